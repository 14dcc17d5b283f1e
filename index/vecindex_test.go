package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRescoreRecall: the int8 scan with the residual re-score finds the
// exact float top k; without residuals (an index migrated from format 3)
// it still returns k rows, best first by their int8 scores.
func TestRescoreRecall(t *testing.T) {
	t.Parallel()
	const n, dim, k = 3000, 64, 20
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = make([]float32, dim)
		for d := range rows[i] {
			rows[i][d] = float32(rng.NormFloat64())
		}
	}
	v := buildVecIndex(dim, n, nil, func(i int) (int, []float32) { return -1, rows[i] })
	noResid := *v
	noResid.resid = nil
	tests := []struct {
		name      string
		v         *vecIndex
		minRecall float64
	}{
		{"with residuals", v, 0.999},
		{"without residuals", &noResid, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(3, 4)) // the same queries for both
			var found, total int
			for range 30 {
				q := make([]float32, dim)
				for d := range q {
					q[d] = float32(rng.NormFloat64())
				}
				exact := make([]vecHit, n)
				for i, r := range rows {
					var s float32
					for d := range r {
						s += q[d] * r[d]
					}
					exact[i] = vecHit{i, s}
				}
				slices.SortFunc(exact, compareVecHits)
				got, err := tt.v.search(q, k, nil)
				if err != nil || len(got) != k || !slices.IsSortedFunc(got, compareVecHits) {
					t.Fatalf("search: %d hits, %v; want %d, best first", len(got), err, k)
				}
				in := map[int]bool{}
				for _, h := range got {
					in[h.row] = true
				}
				for _, h := range exact[:k] {
					if in[h.row] {
						found++
					}
				}
				total += k
			}
			r := float64(found) / float64(total)
			t.Logf("recall@%d = %.3f", k, r)
			if r < tt.minRecall {
				t.Errorf("recall@%d = %.3f, want ≥ %.2f", k, r, tt.minRecall)
			}
		})
	}
}
