package index

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStampCorpusBadEntries: a dangling link, a link loop, a name that is
// not UTF-8 and a file deleted between the walk and the hashing neither
// stop the fingerprint nor make every run re-read the corpus (issue 15,
// item 2).
func TestStampCorpusBadEntries(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	for name, text := range map[string]string{"a.txt": "甲", "gone.txt": "乙", "bad\xffname.txt": "丙", IndexFile: ""} {
		d := dir
		if name == IndexFile {
			d = data
		}
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for target, name := range map[string]string{"missing.txt": "dang.txt", "loop-b.txt": "loop-a.txt", "loop-a.txt": "loop-b.txt"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := StampCorpus(dir, "s")
	if err != nil {
		t.Fatalf("StampCorpus() error = %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	if err := st.Hash(); err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	if err := st.Save(data); err != nil {
		t.Fatal(err)
	}
	again, err := StampCorpus(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	if same, _ := again.Unchanged(ReadCorpusState(data), data); same {
		t.Error("unchanged after a file was deleted")
	}
	if err := again.Hash(); err != nil {
		t.Fatal(err)
	}
	if err := again.Save(data); err != nil {
		t.Fatal(err)
	}
	third, _ := StampCorpus(dir, "s")
	if same, _ := third.Unchanged(ReadCorpusState(data), data); !same {
		t.Error("changed on a third run over the same directory")
	}
}

// TestStampCorpusFollowsLinksInside: a report reached through a link
// inside the corpus directory is stamped by its target, so that a change
// to it is noticed; a link to a file outside is never read (issue 15,
// item 5).
func TestStampCorpusFollowsLinksInside(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	target := filepath.Join(dir, ".store", "r.txt")
	if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, text string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	write(target, "甲市2021年政府工作报告")
	write(filepath.Join(data, IndexFile), "index")
	if err := os.Symlink(".store/r.txt", filepath.Join(dir, "r.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.txt")); err != nil {
		t.Fatal(err)
	}
	st, err := StampCorpus(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range st.Files {
		if filepath.Base(f.Path) == "passwd.txt" && f.Note == "" {
			t.Errorf("link to /etc/passwd stamped as read: %+v", f)
		}
	}
	if err := st.Hash(); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(data); err != nil {
		t.Fatal(err)
	}
	write(target, "乙市2021年政府工作报告") // same size and time: only the hash differs
	if err := os.Chtimes(target, at.Add(time.Hour), at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	again, err := StampCorpus(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	if same, _ := again.Unchanged(ReadCorpusState(data), data); same {
		t.Error("a change to a linked report is not noticed")
	}
}
