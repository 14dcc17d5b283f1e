package index

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSyncResumesFromJournal simulates a process killed between
// checkpoints: the first Sync journals its batches and fails, nothing is
// checkpointed (the kill came first), and the next Sync, on a fresh index,
// embeds only what the journal does not hold.
func TestSyncResumesFromJournal(t *testing.T) {
	t.Parallel()
	reports := bundled(t)
	full := testIndex(t)
	dir := t.TempDir()
	emb := &failingEmbedder{Embedder: newCounting(t), ok: 4}
	j, err := OpenEmbedJournal(dir, emb.ID(), emb.Dim())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := New(emb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(t.Context(), reports, SyncOptions{BatchSize: 8, Concurrency: 1, Journal: j}); !errors.Is(err, errEmbedDown) {
		t.Fatalf("first sync: got %v, want %v", err, errEmbedDown)
	}
	if emb.texts != 32 {
		t.Fatalf("first sync embedded %d passages, want 32 (4 batches of 8)", emb.texts)
	}
	// The process dies: no index was saved, and its lock on the journal
	// goes with it (closing the file is what the kernel does then).
	j.Close()
	j2, err := OpenEmbedJournal(dir, emb.ID(), emb.Dim())
	if err != nil {
		t.Fatal(err)
	}
	if j2.Len() != emb.texts {
		t.Fatalf("reopened journal holds %d vectors, want %d", j2.Len(), emb.texts)
	}
	emb2 := newCounting(t)
	ix2, err := New(emb2)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ix2.Sync(t.Context(), reports, SyncOptions{BatchSize: 8, Concurrency: 2, Journal: j2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := emb2.count(), full.Len()-emb.texts; got != want || st.Resumed != emb.texts {
		t.Errorf("resumed sync: embedded %d and resumed %d; want %d and %d", got, st.Resumed, want, emb.texts)
	}
	assertSameIndex(t, ix2, full)
	if err := j2.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, JournalFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal still there after Remove: %v", err)
	}
}

// TestJournalTornTailAndOtherEmbedder checks that a record cut short by a
// crash is dropped (and only it), and that a journal written for another
// embedder is discarded rather than reused.
func TestJournalTornTailAndOtherEmbedder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j, err := OpenEmbedJournal(dir, "emb-a", 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append([]string{"k1", "k2"}, [][]float32{{1, 0, 0, 0}, {0, 1, 0, 0}}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append([]string{"k3"}, [][]float32{{0, 0, 1, 0}}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	path := filepath.Join(dir, JournalFile)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)-3], 0o644) // k3's record torn

	tests := []struct {
		name     string
		embedder string
		dim      int
		want     []string
		missing  []string
	}{
		{"torn tail dropped", "emb-a", 4, []string{"k1", "k2"}, []string{"k3"}},
		{"other embedder discarded", "emb-b", 4, nil, []string{"k1", "k2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := OpenEmbedJournal(dir, tt.embedder, tt.dim)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			for _, k := range tt.want {
				if _, ok := j.Lookup(k); !ok {
					t.Errorf("%s missing", k)
				}
			}
			for _, k := range tt.missing {
				if _, ok := j.Lookup(k); ok {
					t.Errorf("%s present", k)
				}
			}
		})
	}
	// After the torn tail was dropped, appends land after the last whole
	// record and read back.
	j, err = OpenEmbedJournal(t.TempDir(), "emb-a", 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append([]string{"x"}, [][]float32{{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append([]string{"y"}, [][]float32{{1}}); err == nil {
		t.Error("a vector of the wrong dimension was accepted")
	}
}

// TestJournalIsLocked checks that a second process (here: a second open)
// cannot write into a journal in use, and can once it is closed.
func TestJournalIsLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j, err := OpenEmbedJournal(dir, "emb", 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenEmbedJournal(dir, "emb", 2); err == nil || !strings.Contains(err.Error(), "another reportbot process") {
		t.Fatalf("second open of a journal in use: %v; want a refusal naming the other process", err)
	}
	j.Close()
	j2, err := OpenEmbedJournal(dir, "emb", 2)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	j2.Close()
}

// FuzzReadJournal feeds arbitrary bytes after a valid header to the
// journal reader: it must not panic, must stop at a whole record, and
// every vector it returns has the journal's dimension.
func FuzzReadJournal(f *testing.F) {
	header := journalHeader("emb", 3)
	dir := f.TempDir()
	j, err := OpenEmbedJournal(dir, "emb", 3)
	if err != nil {
		f.Fatal(err)
	}
	j.Append([]string{"key"}, [][]float32{{1, 2, 3}})
	j.Close()
	valid, _ := os.ReadFile(filepath.Join(dir, JournalFile))
	f.Add(valid[len(header):])
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 'a'})
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append(append([]byte{}, header...), body...)
		have, end, err := readJournal(bufio.NewReader(bytes.NewReader(data)), header, 3)
		if err != nil {
			t.Fatalf("valid header rejected: %v", err)
		}
		if end < int64(len(header)) || end > int64(len(data)) {
			t.Fatalf("end %d outside [%d, %d]", end, len(header), len(data))
		}
		for k, v := range have {
			if len(v) != 3 || k == "" {
				t.Fatalf("record %q has %d values", k, len(v))
			}
		}
	})
}
