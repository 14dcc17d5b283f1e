package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadDirLinkPolicy: a link to a report inside the corpus directory is
// read; links that lead outside (to /etc/passwd, to another directory) are
// named and never read (issue 15, item 5).
func TestLoadDirLinkPolicy(t *testing.T) {
	t.Parallel()
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".store"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, ".store", "r.txt"), filepath.Join(outside, "o.txt")} {
		if err := os.WriteFile(p, []byte(readSeed(t, seed2018)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for target, name := range map[string]string{
		".store/r.txt":                  "inside.txt",
		"/etc/passwd":                   "passwd.txt",
		filepath.Join(outside, "o.txt"): "outside.txt",
		"../" + filepath.Base(outside):  "updir.txt",
		filepath.Join(dir, ".store"):    "dirlink.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	reports, problems, err := LoadDir(t.Context(), dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Source != "inside.txt" {
		t.Errorf("got %d reports, want inside.txt", len(reports))
	}
	got := map[string]error{}
	for _, p := range problems {
		got[p.Source] = p.Err
	}
	for src, want := range map[string]error{
		"passwd.txt": ErrSymlink, "outside.txt": ErrSymlink, "updir.txt": ErrSymlink, "dirlink.txt": ErrNotRegular,
	} {
		if !errors.Is(got[src], want) {
			t.Errorf("problem of %s = %v, want %v", src, got[src], want)
		}
	}
}
