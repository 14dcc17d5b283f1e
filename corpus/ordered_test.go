package corpus

import (
	"fmt"
	"testing"
)

func TestInOrder(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, workers, window int }{
		{0, 2, 4}, {1, 2, 4}, {100, 1, 4}, {100, 2, 1}, {100, 2, 16}, {1000, 8, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d items, %d workers, window %d", tt.n, tt.workers, tt.window), func(t *testing.T) {
			t.Parallel()
			var got []string
			inOrder(tt.n, tt.workers, tt.window, func(i int) string {
				return fmt.Sprint(i * i)
			}, func(i int, v string) {
				if v != fmt.Sprint(i*i) || i != len(got) {
					t.Errorf("use(%d, %q) after %d items, want use(%d, %q)", i, v, len(got), len(got), fmt.Sprint(i*i))
				}
				got = append(got, v)
			})
			if len(got) != tt.n {
				t.Errorf("got %d items, want %d", len(got), tt.n)
			}
		})
	}
}
