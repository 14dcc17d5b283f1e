// Package backoff is the one retry policy of reportbot's network clients
// (the OpenAI-compatible provider and the Weaviate store): exponential
// backoff with full jitter, and a sleep that ends with its context.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Floor is the shortest wait Delay returns.
const Floor = 10 * time.Millisecond

// Delay is the wait before retry number attempt (0 for the first retry): a
// random duration in [Floor, min(ceil, base·2^attempt)].
func Delay(attempt int, base, ceil time.Duration) time.Duration {
	upper := min(ceil, base<<min(max(attempt, 0), 20))
	return max(Floor, time.Duration(rand.Int64N(int64(upper)+1)))
}

// Sleep waits for d or until ctx is done, whichever comes first, and
// returns ctx's cause in the second case.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
