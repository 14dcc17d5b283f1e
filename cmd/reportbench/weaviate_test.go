package main

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

func TestParseHNSW(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    map[string]any
		wantErr bool
	}{
		{"", nil, false},
		{"efConstruction=64", map[string]any{"efConstruction": 64}, false},
		{"efConstruction=64, maxConnections=16", map[string]any{"efConstruction": 64, "maxConnections": 16}, false},
		{"efConstruction", nil, true},
		{"ef=x", nil, true},
	} {
		got, err := parseHNSW(tc.in)
		if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseHNSW(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestScriptSettings(t *testing.T) {
	t.Parallel()
	env := []string{"PATH=/bin", "WEAVIATE_SERVER_GOGC=300", "WEAVIATE_BIN=/x/weaviate-server", "WEAVIATE_ASYNC_INDEXING=true", "HOME=/root"}
	got := scriptSettings(env)
	want := []string{"WEAVIATE_ASYNC_INDEXING=true", "WEAVIATE_SERVER_GOGC=300"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scriptSettings = %v, want %v", got, want)
	}
}

// TestPollSearchableUnreachable: a sampled passage the vector index never
// returns is counted as unreachable once unreachableWait has passed since
// the commit, and the check goes on, rather than waiting searchableTimeout
// and failing the run (the HNSW graph does not reach a few passages of the
// bench's corpus of near-copies).
func TestPollSearchableUnreachable(t *testing.T) {
	t.Parallel()
	ts := &timedStore{
		search: func(_ context.Context, q index.SharedSearch) ([]index.SharedHit, error) {
			// Every passage by BM25; by vector all but "c".
			id := q.Text
			h := index.SharedHit{Passage: index.Passage{Passage: corpus.Passage{ID: id}}, LexicalRank: 1}
			if id != "c" {
				h.VectorRank = 1
			}
			return []index.SharedHit{h}, nil
		},
		cpu: func() (time.Duration, time.Duration) { return 0, 0 },
	}
	ts.committed.Store(time.Now().Add(-2 * unreachableWait).UnixNano())
	var check []sampled
	for _, id := range []string{"a", "c", "b"} {
		check = append(check, sampled{p: index.Passage{Passage: corpus.Passage{ID: id, Text: id}}})
	}
	if err := ts.pollSearchable(t.Context(), check); err != nil {
		t.Fatal(err)
	}
	if ts.unreachable != 1 || ts.keywordMissing != 0 || ts.searchable.IsZero() {
		t.Errorf("unreachable %d, keyword missing %d, searchable at %v; want 1, 0 and a time", ts.unreachable, ts.keywordMissing, ts.searchable)
	}
}
