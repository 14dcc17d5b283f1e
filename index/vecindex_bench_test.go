package index

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkVecScan times the int8 scan (accumulate, top k, re-score) of a
// query with 32 non-zero components, as a hash-embedded question has, over
// random rows of dimension 512.
func BenchmarkVecScan(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(itoa(n), func(b *testing.B) {
			if testing.Short() && n > 100_000 {
				b.Skip("-short")
			}
			v := randomVecIndex(n, 512)
			q := make([]float32, 512)
			r := rand.New(rand.NewPCG(1, 2))
			for range 32 {
				q[r.IntN(512)] = r.Float32()
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := v.search(q, CandidatesPerRanker, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(n int) string {
	switch {
	case n >= 1_000_000:
		return string(rune('0'+n/1_000_000)) + "M"
	default:
		return string(rune('0'+n/100_000)) + "00k"
	}
}

// randomVecIndex is n random rows of dimension dim, with residuals.
func randomVecIndex(n, dim int) *vecIndex {
	r := rand.New(rand.NewPCG(3, 4))
	v := &vecIndex{dim: dim, n: n, data: make([]int8, dim*n), scale: make([]float32, n), resid: make([]int8, dim*n)}
	x := uint64(88172645463325252)
	for i := range v.data {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		v.data[i], v.resid[i] = int8(x), int8(x>>8)
	}
	for i := range v.scale {
		v.scale[i] = r.Float32() / 127
	}
	return v
}
