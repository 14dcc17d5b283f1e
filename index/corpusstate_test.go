package index

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

// TestCorpusStateDetectsChanges saves the state of a corpus directory and
// changes it step by step: an unchanged directory (or one whose files were
// only touched) is unchanged, any change to a file's content, size or
// presence, to the settings or to the index file is not.
func TestCorpusStateDetectsChanges(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	write := func(path, text string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	a := filepath.Join(dir, "a-2021.txt")
	write(a, "甲市2021年政府工作报告\n\n新增就业6万人以上。\n", at)
	write(filepath.Join(data, IndexFile), "index v1", at)
	const settings = "hash-512 corpus=v1 max_passage_runes=300 max_file_mb=32"

	first, err := StampCorpus(dir, settings, corpus.LinksInside)
	if err != nil {
		t.Fatal(err)
	}
	if same, _ := first.Unchanged(ReadCorpusState(data), data); same {
		t.Fatal("unchanged without a saved state")
	}
	if err := first.Hash(); err != nil {
		t.Fatal(err)
	}
	first.Skipped = []SkippedFile{{Source: "broken.txt", Reason: "not UTF-8"}}
	if err := first.Save(data); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name          string
		change        func()
		settings      string
		same, touched bool
	}{
		{"unchanged", func() {}, settings, true, false},
		{"hidden file added", func() { write(filepath.Join(dir, ".notes.txt"), "x", at) }, settings, true, false},
		{"hidden directory added", func() {
			os.Mkdir(filepath.Join(dir, ".git"), 0o755)
			write(filepath.Join(dir, ".git", "HEAD"), "ref", at)
		}, settings, true, false},
		{"touched, same content", func() {
			write(a, "甲市2021年政府工作报告\n\n新增就业6万人以上。\n", at.Add(time.Hour))
		}, settings, true, true},
		{"touched, one byte changed", func() {
			write(a, "甲市2021年政府工作报告\n\n新增就业7万人以上。\n", at.Add(2*time.Hour))
		}, settings, false, false},
		{"size changed", func() { write(a, "甲市2021年政府工作报告\n\n新增就业6万人以上。。\n", at) }, settings, false, false},
		{"file added", func() { write(filepath.Join(dir, "b-2021.txt"), "乙市", at) }, settings, false, false},
		{"other settings", func() {}, settings + " other", false, false},
		{"index rewritten", func() { write(filepath.Join(data, IndexFile), "index v2", at.Add(time.Hour)) }, settings, false, false},
	}
	for _, st := range steps {
		// Each step starts from the first state, saved for the first index.
		write(a, "甲市2021年政府工作报告\n\n新增就业6万人以上。\n", at)
		os.Remove(filepath.Join(dir, "b-2021.txt"))
		write(filepath.Join(data, IndexFile), "index v1", at)
		if err := first.Save(data); err != nil {
			t.Fatal(err)
		}
		st.change()
		cur, err := StampCorpus(dir, st.settings, corpus.LinksInside)
		if err != nil {
			t.Fatal(err)
		}
		same, touched := cur.Unchanged(ReadCorpusState(data), data)
		if same != st.same || touched != st.touched {
			t.Errorf("%s: Unchanged = %v, touched %v; want %v, %v", st.name, same, touched, st.same, st.touched)
		}
		if same && (len(cur.Skipped) != 1 || cur.Files[0].SHA256 != first.Files[0].SHA256) {
			t.Errorf("%s: skipped files %v and hash %q not carried over from the saved state", st.name, cur.Skipped, cur.Files[0].SHA256)
		}
	}
}

// TestCorpusStateTouchSavedAgain checks that after a touch settled by the
// content hashes, saving the state makes the next comparison a stat-only
// one, and that a state saved without hashes never settles a touch.
func TestCorpusStateTouchSavedAgain(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(dir, "c-2021.txt")
	os.WriteFile(path, []byte("丙市"), 0o644)
	os.Chtimes(path, at, at)
	os.WriteFile(filepath.Join(data, IndexFile), []byte("index"), 0o644)

	unhashed, err := StampCorpus(dir, "s", corpus.LinksInside)
	if err != nil {
		t.Fatal(err)
	}
	if err := unhashed.Save(data); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, at.Add(time.Minute), at.Add(time.Minute))
	cur, _ := StampCorpus(dir, "s", corpus.LinksInside)
	if same, _ := cur.Unchanged(ReadCorpusState(data), data); same {
		t.Error("a touch was settled against a state without content hashes")
	}

	if err := cur.Hash(); err != nil {
		t.Fatal(err)
	}
	if err := cur.Save(data); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, at.Add(time.Hour), at.Add(time.Hour))
	touched, _ := StampCorpus(dir, "s", corpus.LinksInside)
	if same, wasTouched := touched.Unchanged(ReadCorpusState(data), data); !same || !wasTouched {
		t.Fatalf("touch: Unchanged = %v, touched %v; want true, true", same, wasTouched)
	}
	if err := touched.Save(data); err != nil {
		t.Fatal(err)
	}
	again, _ := StampCorpus(dir, "s", corpus.LinksInside)
	if same, wasTouched := again.Unchanged(ReadCorpusState(data), data); !same || wasTouched {
		t.Errorf("after saving the touched state: Unchanged = %v, touched %v; want true, false", same, wasTouched)
	}
}

func TestReadCorpusStateBadFile(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if st := ReadCorpusState(data); st != nil {
		t.Errorf("ReadCorpusState of an empty directory = %+v, want nil", st)
	}
	os.WriteFile(filepath.Join(data, CorpusStateFile), []byte(`{"settings": "s", "files": [`), 0o644)
	if st := ReadCorpusState(data); st != nil {
		t.Errorf("ReadCorpusState of a torn file = %+v, want nil", st)
	}
	if err := (&CorpusState{}).Save(data); err == nil {
		t.Error("Save without an index file succeeded")
	}
	if _, err := StampCorpus(filepath.Join(data, "missing"), "s", corpus.LinksInside); err == nil {
		t.Error("StampCorpus of a missing directory succeeded")
	}
}
