package bot

import (
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		user      string
		at        time.Duration // after t0
		want      bool
		wantRetry time.Duration
	}
	tests := []struct {
		name  string
		limit int
		steps []step
	}{
		{name: "unlimited", limit: 0, steps: []step{{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0}}},
		{name: "third in a minute refused", limit: 2, steps: []step{
			{"a", 0, true, 0},
			{"a", 10 * time.Second, true, 0},
			{"a", 20 * time.Second, false, 40 * time.Second},
			{"b", 20 * time.Second, true, 0}, // per user
			{"a", 61 * time.Second, true, 0}, // the first hit left the window
			{"a", 62 * time.Second, false, 8 * time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newRateLimiter(tt.limit, time.Minute)
			for i, s := range tt.steps {
				got, retry := l.Allow(s.user, t0.Add(s.at))
				if got != s.want || retry != s.wantRetry {
					t.Errorf("step %d (%s at %v): got %v retry %v, want %v retry %v", i, s.user, s.at, got, retry, s.want, s.wantRetry)
				}
			}
		})
	}
}

func TestRateLimiterForgetsIdleUsers(t *testing.T) {
	t.Parallel()
	l := newRateLimiter(1, time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2048 {
		l.Allow(string(rune('a'+i%26))+string(rune(i)), t0.Add(time.Duration(i)*time.Second))
	}
	if n := len(l.hits); n > 100 {
		t.Errorf("%d users remembered after sweeps, want at most the recent ones", n)
	}
}
