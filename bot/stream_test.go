package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestStreamerThrottles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		interval time.Duration
		every    time.Duration // between updates
		updates  int
		maxEdits int
	}{
		{name: "fast deltas coalesce", interval: time.Second, every: 50 * time.Millisecond, updates: 100, maxEdits: 6},
		{name: "slow deltas each edit", interval: time.Second, every: 2 * time.Second, updates: 4, maxEdits: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var (
					mu    sync.Mutex
					edits []string
					times = []time.Time{time.Now()} // the progress edit
				)
				s := newStreamer(t.Context(), tt.interval, func(_ context.Context, text string) error {
					mu.Lock()
					defer mu.Unlock()
					edits = append(edits, text)
					times = append(times, time.Now())
					return nil
				})
				var text strings.Builder
				for i := range tt.updates {
					fmt.Fprintf(&text, "%d ", i)
					s.Update(text.String())
					time.Sleep(tt.every)
				}
				synctest.Wait()
				s.Stop()
				mu.Lock()
				defer mu.Unlock()
				if len(edits) == 0 || len(edits) > tt.maxEdits {
					t.Fatalf("got %d edits, want 1 to %d", len(edits), tt.maxEdits)
				}
				for i := 1; i < len(times); i++ {
					if gap := times[i].Sub(times[i-1]); gap < tt.interval {
						t.Errorf("edits %d and %d only %v apart (interval %v; edit 0 is the progress note)", i-1, i, gap, tt.interval)
					}
				}
				if got, want := edits[len(edits)-1], text.String(); got != want {
					t.Errorf("last streamed edit %q, want the newest text %q", got, want)
				}
			})
		})
	}
}

func TestStreamerStopWaitsForEdit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		finished := false
		s := newStreamer(t.Context(), time.Second, func(context.Context, string) error {
			<-release
			finished = true
			return nil
		})
		s.Update("x")
		time.Sleep(2 * time.Second) // past the first interval
		synctest.Wait()             // the edit is now blocked
		go func() { time.Sleep(time.Second); close(release) }()
		s.Stop()
		if !finished {
			t.Error("Stop returned while an edit was still running")
		}
	})
}
