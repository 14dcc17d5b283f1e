package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDelayBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attempt    int
		base, ceil time.Duration
	}{
		{0, 500 * time.Millisecond, 8 * time.Second},
		{3, 500 * time.Millisecond, 8 * time.Second},
		{60, 500 * time.Millisecond, 8 * time.Second},
		{-1, 200 * time.Millisecond, 5 * time.Second},
	}
	for _, tt := range tests {
		upper := min(tt.ceil, tt.base<<min(max(tt.attempt, 0), 20))
		for range 200 {
			if d := Delay(tt.attempt, tt.base, tt.ceil); d < Floor || d > max(Floor, upper) {
				t.Fatalf("Delay(%d, %v, %v) = %v; want within [%v, %v]", tt.attempt, tt.base, tt.ceil, d, Floor, upper)
			}
		}
	}
}

func TestSleepEndsWithContext(t *testing.T) {
	t.Parallel()
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	if err := Sleep(ctx, time.Hour); !errors.Is(err, cause) {
		t.Fatalf("Sleep on a cancelled context = %v; want %v", err, cause)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v", err)
	}
}
