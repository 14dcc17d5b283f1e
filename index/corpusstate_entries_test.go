package index

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reportbot/reportbot/corpus"
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
	st, err := StampCorpus(dir, "s", corpus.LinksInside)
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
	again, err := StampCorpus(dir, "s", corpus.LinksInside)
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
	third, _ := StampCorpus(dir, "s", corpus.LinksInside)
	if same, _ := third.Unchanged(ReadCorpusState(data), data); !same {
		t.Error("changed on a third run over the same directory")
	}
}
