package index

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

// TestStampCorpusFollowsLinks: a report reached through a symbolic link is
// stamped by its target, so that an edit to it is noticed (only the link
// was stamped, and the edit never was); a link the policy does not follow
// (to /etc/passwd) is never hashed; a corpus directory that is itself a
// link is walked, not stamped as one file (issue 15, item 5).
func TestStampCorpusFollowsLinks(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	write := func(t *testing.T, p, text string, when time.Time) {
		t.Helper()
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	link := func(t *testing.T, target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		links corpus.Links
		// setup makes the corpus and returns the directory to stamp and
		// the file to edit.
		setup func(t *testing.T, dir, outside string) (string, string)
	}{
		{"link inside", corpus.LinksInside, func(t *testing.T, dir, _ string) (string, string) {
			target := filepath.Join(dir, ".store", "r.txt")
			if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, target, "甲市2021年政府工作报告", at)
			link(t, ".store/r.txt", filepath.Join(dir, "r.txt"))
			return dir, target
		}},
		{"link outside, followed", corpus.LinksOutside, func(t *testing.T, dir, outside string) (string, string) {
			target := filepath.Join(outside, "r.jsonl")
			write(t, target, `{"title":"甲市2021年政府工作报告","content":"甲"}`, at)
			link(t, target, filepath.Join(dir, "r.jsonl"))
			return dir, target
		}},
		{"corpus directory is a link", corpus.LinksInside, func(t *testing.T, dir, outside string) (string, string) {
			target := filepath.Join(dir, "r.txt")
			write(t, target, "甲市2021年政府工作报告", at)
			root := filepath.Join(outside, "corpus")
			link(t, dir, root)
			return root, target
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, outside, data := t.TempDir(), t.TempDir(), t.TempDir()
			stampDir, edit := tt.setup(t, dir, outside)
			link(t, "/etc/passwd", filepath.Join(dir, "passwd.txt"))
			write(t, filepath.Join(data, IndexFile), "index", at)
			st, err := StampCorpus(stampDir, "s", tt.links)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Files) != 2 {
				t.Fatalf("stamped %+v, want the report and the link to /etc/passwd", st.Files)
			}
			if err := st.Hash(); err != nil {
				t.Fatal(err)
			}
			for _, f := range st.Files {
				if filepath.Base(f.Path) == "passwd.txt" && tt.links == corpus.LinksInside && (f.Note == "" || f.SHA256 != unhashable) {
					t.Errorf("link to /etc/passwd stamped as read: %+v", f)
				}
			}
			if err := st.Save(data); err != nil {
				t.Fatal(err)
			}
			again, _ := StampCorpus(stampDir, "s", tt.links)
			if same, _ := again.Unchanged(ReadCorpusState(data), data); !same {
				t.Fatal("changed without an edit")
			}
			// Same size, another time and content: the stamp or the hash
			// differs only if the target is what is stamped.
			b, _ := os.ReadFile(edit)
			write(t, edit, string(b[:len(b)-3])+"乙", at.Add(time.Hour))
			again, _ = StampCorpus(stampDir, "s", tt.links)
			if same, _ := again.Unchanged(ReadCorpusState(data), data); same {
				t.Error("an edit to the report is not noticed")
			}
		})
	}
}
