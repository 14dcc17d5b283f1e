package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// TestLoadSkipsBadEntries puts one of each entry that once stopped Load
// (issue 15, item 2) beside a good report: each is a named Problem and the
// good report is loaded.
func TestLoadSkipsBadEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", readSeed(t, seed2018))
	link("missing.txt", "dang.txt")
	link("loop-b.txt", "loop-a.txt")
	link("loop-a.txt", "loop-b.txt")
	write("bad\xffname.txt", "甲市政府工作报告。")
	if err := os.Mkdir(filepath.Join(dir, "bad\xfedir"), 0o755); err != nil {
		t.Fatal(err)
	}
	reports, problems, err := LoadDir(t.Context(), dir, LoadOptions{})
	if err != nil {
		t.Fatalf("Load() error = %v, want the bad entries as problems", err)
	}
	if len(reports) != 1 || reports[0].Source != "good.txt" {
		t.Errorf("got %d reports, want good.txt", len(reports))
	}
	got := map[string]error{}
	for _, p := range problems {
		got[p.Source] = p.Err
	}
	for src, want := range map[string]error{
		"dang.txt": ErrUnreadable, "loop-a.txt": ErrUnreadable, "loop-b.txt": ErrUnreadable,
		"bad\uFFFDname.txt": ErrName, "bad\uFFFDdir": ErrName,
	} {
		if !errors.Is(got[src], want) {
			t.Errorf("problem of %q = %v, want %v", src, got[src], want)
		}
	}
}

// faultyFS lists its files but fails to open or list some, as a file
// deleted while the corpus is read or one without permission does.
type faultyFS struct {
	fstest.MapFS
	fail map[string]error
}

func (f faultyFS) Open(name string) (fs.File, error) {
	if err := f.fail[name]; err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f.MapFS.Open(name)
}

func (f faultyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.fail[name]; err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return f.MapFS.ReadDir(name)
}

func TestLoadSkipsUnreadableEntries(t *testing.T) {
	t.Parallel()
	fsys := faultyFS{
		MapFS: fstest.MapFS{
			"good.txt":       {Data: []byte(readSeed(t, seed2018))},
			"deleted.txt":    {Data: []byte("甲")},
			"locked.txt":     {Data: []byte("乙")},
			"sub/a.txt":      {Data: []byte("丙")},
			"side.txt":       {Data: []byte(readSeed(t, seedFragment))},
			"side.meta.yaml": {Data: []byte("title: x\n")},
		},
		fail: map[string]error{
			"deleted.txt": fs.ErrNotExist, "locked.txt": fs.ErrPermission, "sub": fs.ErrPermission,
			"side.meta.yaml": fs.ErrPermission,
		},
	}
	reports, problems, err := Load(fsys, ".", LoadOptions{})
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if len(reports) != 1 || reports[0].Source != "good.txt" {
		t.Errorf("got %d reports, want good.txt", len(reports))
	}
	var srcs []string
	for _, p := range problems {
		if !errors.Is(p.Err, ErrUnreadable) {
			t.Errorf("problem %s: %v, want ErrUnreadable", p.Source, p.Err)
		}
		srcs = append(srcs, p.Source)
	}
	slices.Sort(srcs)
	if want := []string{"deleted.txt", "locked.txt", "side.meta.yaml", "sub"}; !slices.Equal(srcs, want) {
		t.Errorf("problems = %q, want %q", srcs, want)
	}
}
