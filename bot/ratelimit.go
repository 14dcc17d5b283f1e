package bot

import (
	"sync"
	"time"
)

// rateLimiter allows each user at most limit questions in any window
// (a sliding window log). A limit of 0 allows everything.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu    sync.Mutex
	hits  map[string][]time.Time
	calls int
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, hits: map[string][]time.Time{}}
}

// Allow records a question by user at now when the user is under the
// limit. Otherwise it records nothing and says how long until the next
// question is allowed.
func (l *rateLimiter) Allow(user string, now time.Time) (bool, time.Duration) {
	if l.limit <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%1024 == 0 {
		l.sweep(now)
	}
	h := l.recent(user, now)
	if len(h) >= l.limit {
		l.hits[user] = h
		return false, h[0].Add(l.window).Sub(now)
	}
	l.hits[user] = append(h, now)
	return true, 0
}

// recent returns user's hits inside the window ending at now.
func (l *rateLimiter) recent(user string, now time.Time) []time.Time {
	h := l.hits[user]
	i := 0
	for i < len(h) && !h[i].After(now.Add(-l.window)) {
		i++
	}
	return h[i:]
}

// sweep forgets users with no hits in the window, so memory stays bounded
// by the number of recently active users.
func (l *rateLimiter) sweep(now time.Time) {
	for u := range l.hits {
		if h := l.recent(u, now); len(h) == 0 {
			delete(l.hits, u)
		} else {
			l.hits[u] = h
		}
	}
}
