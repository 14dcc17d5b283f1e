package main

import (
	"context"
	"errors"
	"reflect"
	"slices"
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

// TestPollSearchableUnreachable: a sampled passage the HNSW graph never
// returns ("c") is asked for restricted to its report once the commit has
// seen every vector indexed, not before; found so, it is searchable and
// counted as unreachable, and the check goes on rather than waiting
// searchableTimeout and failing the run (the graph does not reach a few
// passages of the bench's corpus of near-copies).
func TestPollSearchableUnreachable(t *testing.T) {
	t.Parallel()
	var ts *timedStore
	misses, early := 0, 0
	ts = &timedStore{
		search: func(_ context.Context, q index.SharedSearch) ([]index.SharedHit, error) {
			// Every passage by BM25; by vector all but "c", which only
			// a search restricted to its report returns.
			id := q.Text
			h := index.SharedHit{Passage: index.Passage{Passage: corpus.Passage{ID: id}}, LexicalRank: 1}
			switch {
			case len(q.Reports) > 0 && !ts.committed.Load():
				early++
			case id != "c" || slices.Equal(q.Reports, []string{"report-c"}):
				h.VectorRank = 1
			default:
				misses++
				if misses == 3 {
					// The commit returns while this query runs: the
					// round that asked it does not count it.
					ts.committed.Store(true)
				}
				if misses > 10 {
					return nil, errors.New("the restricted query was never asked, or not for c's report")
				}
			}
			return []index.SharedHit{h}, nil
		},
		interval: time.Millisecond,
		cpu:      func() (time.Duration, time.Duration) { return 0, 0 },
	}
	var check []sampled
	for _, id := range []string{"a", "c", "b"} {
		check = append(check, sampled{p: index.Passage{Passage: corpus.Passage{ID: id, ReportID: "report-" + id, Text: id}}})
	}
	if err := ts.pollSearchable(t.Context(), check); err != nil {
		t.Fatal(err)
	}
	if ts.unreachable != 1 || ts.keywordMissing != 0 || ts.searchable.IsZero() || early != 0 {
		t.Errorf("unreachable %d, keyword missing %d, searchable at %v, %d restricted searches before the commit; want 1, 0, a time and 0",
			ts.unreachable, ts.keywordMissing, ts.searchable, early)
	}
	if ts.polls != 6 || ts.misses != 3 {
		t.Errorf("%d polls, %d missed; want 6 and 3 (a, four for c, b)", ts.polls, ts.misses)
	}
}

// TestPollOneDeadline: a passage never found is given up at the deadline
// (false, no error), and a cancelled context stops the pause.
func TestPollOneDeadline(t *testing.T) {
	t.Parallel()
	ts := &timedStore{interval: time.Millisecond}
	never := func() (bool, error) { return false, nil }
	ok, err := ts.pollOne(t.Context(), time.Now().Add(-time.Second), true, never)
	if ok || err != nil || ts.polls != 1 || ts.misses != 1 {
		t.Errorf("pollOne = %v, %v after %d polls (%d missed); want false, nil, 1 and 1", ok, err, ts.polls, ts.misses)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ts.interval = time.Hour
	done := make(chan error, 1)
	go func() {
		_, err := ts.pollOne(ctx, time.Now().Add(time.Hour), false, never)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("pollOne with a cancelled context returned no error")
		}
	case <-time.After(time.Minute):
		t.Fatal("pollOne with a cancelled context still waits its hour-long pause")
	}
}
