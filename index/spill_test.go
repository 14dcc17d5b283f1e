package index

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSpilledSyncSameIndex checks that a sync with a spill directory
// builds the index a sync in memory builds: the same passages, vectors
// and lexical index, the same search results, and the same file saved,
// whether it completes, stops after a failure (the checkpoint saves a
// part of it) or updates an index it built before; and that it leaves no
// file in the directory.
func TestSpilledSyncSameIndex(t *testing.T) {
	t.Parallel()
	reports := bundled(t)
	fewer := reports[1:] // one report removed, the others kept
	tests := []struct {
		name      string
		okBatches int // -1: the embedder never fails
		then      bool
	}{
		{"complete", -1, false},
		{"fails after 5 batches", 5, false},
		{"updated", -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var files [2][]byte
			var hits [2][]Hit
			var built [2]*Index
			for k, spill := range []bool{false, true} {
				dir, spillDir := t.TempDir(), t.TempDir()
				emb := &failingEmbedder{Embedder: newCounting(t), ok: tt.okBatches}
				ix, err := New(emb)
				if err != nil {
					t.Fatal(err)
				}
				// One call at a time when the embedder fails, so that both
				// syncs embed the same batches before it does.
				opt := SyncOptions{BatchSize: 8, Concurrency: 2, CheckpointEvery: time.Hour, Checkpoint: func() error { return ix.Save(dir) }}
				if tt.okBatches >= 0 {
					opt.Concurrency = 1
				}
				if spill {
					opt.SpillDir = spillDir
				}
				first := reports
				if tt.then {
					first = fewer
				}
				if _, err := ix.Sync(t.Context(), first, opt); err != nil && !errors.Is(err, errEmbedDown) {
					t.Fatal(err)
				}
				if tt.then {
					if _, err := ix.Sync(t.Context(), reports, opt); err != nil {
						t.Fatal(err)
					}
				}
				if err := ix.Save(dir); err != nil {
					t.Fatal(err)
				}
				if files[k], err = os.ReadFile(filepath.Join(dir, IndexFile)); err != nil {
					t.Fatal(err)
				}
				if tt.okBatches < 0 {
					if hits[k], err = ix.Search(t.Context(), "2018年城镇新增就业", queryTerms("城镇新增就业"), Filter{}); err != nil {
						t.Fatal(err)
					}
					// Search returns its hits in no particular order.
					slices.SortFunc(hits[k], func(a, b Hit) int { return strings.Compare(a.Passage.ID, b.Passage.ID) })
				}
				if left, _ := filepath.Glob(filepath.Join(spillDir, "*")); len(left) > 0 {
					t.Errorf("spill %v: files left in the spill directory: %v", spill, left)
				}
				built[k] = ix
			}
			assertSameIndex(t, built[1], built[0])
			if !bytes.Equal(files[1], files[0]) {
				t.Errorf("saved files differ: %d bytes spilled, %d in memory", len(files[1]), len(files[0]))
			}
			if !reflect.DeepEqual(hits[1], hits[0]) {
				for i := range min(len(hits[0]), len(hits[1])) {
					if !reflect.DeepEqual(hits[1][i], hits[0][i]) {
						g, w := hits[1][i], hits[0][i]
						t.Errorf("hit %d: got %s %v v%d %v l%d %v, want %s %v v%d %v l%d %v", i, g.Passage.ID, g.Score, g.VectorRank, g.Similarity, g.LexicalRank, g.LexicalScore,
							w.Passage.ID, w.Score, w.VectorRank, w.Similarity, w.LexicalRank, w.LexicalScore)
						break
					}
				}
				t.Errorf("search results differ (%d hits spilled, %d in memory)", len(hits[1]), len(hits[0]))
			}
		})
	}
}
