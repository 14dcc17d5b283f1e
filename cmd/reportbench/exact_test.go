package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/index/chromemstore"
)

// randomSource returns n random vectors of dimension dim, IDs in an order
// unrelated to the rows; dups rows repeat an earlier row's vector (ties),
// every fifth vector is left unnormalised and zeros rows are zero vectors.
func randomSource(seed uint64, n, dim, dups, zeros int) (vectorSource, [][]float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	vecs := make([][]float32, n)
	for i := range vecs {
		v := make([]float32, dim)
		switch {
		case i < zeros:
		case i >= n-dups && i > 0:
			copy(v, vecs[rng.IntN(n-dups)])
		default:
			for j := range v {
				v[j] = float32(rng.NormFloat64())
			}
			if i%5 != 0 {
				v = chromemNormalized(v)
			}
		}
		vecs[i] = v
	}
	ids := make([]string, n)
	for i, p := range rng.Perm(n) {
		ids[i] = fmt.Sprintf("p%05d", p)
	}
	return vectorSource{
		n:  n,
		id: func(row int) string { return ids[row] },
		vectors: func(_ context.Context, lo, hi int) ([][]float32, error) {
			return vecs[lo:hi], nil
		},
	}, vecs
}

// sparseQueries returns n random vectors of dimension dim with nnz
// non-zero components each, like questions embedded by the hash embedder.
func sparseQueries(seed uint64, n, dim, nnz int) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	qs := make([][]float32, n)
	for i := range qs {
		qs[i] = make([]float32, dim)
		for _, j := range rng.Perm(dim)[:nnz] {
			qs[i][j] = float32(rng.NormFloat64())
		}
	}
	return qs
}

// bruteTopK scores every vector against q and sorts them all.
func bruteTopK(src vectorSource, vecs [][]float32, q []float32, k int) []chromemstore.Hit {
	q = chromemNormalized(q)
	var all []chromemstore.Hit
	for row, v := range vecs {
		if isZeroVector(v) {
			continue
		}
		v = chromemNormalized(v)
		var s float32
		for i := range v {
			s += q[i] * v[i]
		}
		all = append(all, chromemstore.Hit{ID: src.id(row), Similarity: s})
	}
	slices.SortFunc(all, func(a, b chromemstore.Hit) int {
		return cmp.Or(cmp.Compare(b.Similarity, a.Similarity), strings.Compare(a.ID, b.ID))
	})
	return all[:min(k, len(all))]
}

func TestExactTopK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		n, dim, dups, zeros, k int
		queries, workers       int
		nnz                    int // non-zero components of a query, 0 for all
	}{
		{"fewer rows than k", 20, 16, 0, 0, 50, 3, 2, 0},
		{"as many rows as k", 50, 16, 0, 0, 50, 5, 2, 0},
		{"one worker", 300, 32, 0, 0, 10, 7, 1, 0},
		{"several batches", 3*exactBatch + 17, 64, 0, 0, 50, 9, 2, 0},
		{"more workers than batches", 100, 8, 0, 0, 5, 4, 5, 0},
		{"ties", 700, 8, 300, 0, 50, 6, 2, 0},
		{"ties, k of 1", 400, 4, 200, 0, 1, 6, 3, 0},
		{"zero vectors", 120, 16, 0, 30, 100, 5, 2, 0},
		{"sparse queries", 2000, 64, 0, 0, 50, 9, 2, 5},
		{"sparse queries, ties", 900, 64, 400, 0, 50, 9, 2, 3},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src, vecs := randomSource(uint64(i), tt.n, tt.dim, tt.dups, tt.zeros)
			_, qs := randomSource(uint64(100+i), tt.queries, tt.dim, 0, 0)
			if tt.nnz > 0 {
				qs = sparseQueries(uint64(100+i), tt.queries, tt.dim, tt.nnz)
			}
			got, err := exactTopK(t.Context(), src, qs, tt.k, tt.workers)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(qs) {
				t.Fatalf("got %d results for %d queries", len(got), len(qs))
			}
			for j, q := range qs {
				if want := bruteTopK(src, vecs, q, tt.k); !slices.Equal(got[j], want) {
					t.Errorf("query %d: got %v, want %v", j, got[j], want)
				}
			}
		})
	}
}

// TestExactTopKMatchesChromem checks the exact search against chromem-go
// itself (through chromemstore) on vectors without ties: the same IDs, in
// the same order, with bit-identical similarities, for dense queries and
// sparse ones (whose zero components the exact search skips).
func TestExactTopKMatchesChromem(t *testing.T) {
	t.Parallel()
	const n, dim, k = 1500, 64, 50
	src, vecs := randomSource(7, n, dim, 0, 0)
	_, qs := randomSource(8, 20, dim, 0, 0)
	qs = append(qs, sparseQueries(9, 20, dim, 6)...)
	st, err := chromemstore.New(dim)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = src.id(i)
	}
	if err := st.Upsert(t.Context(), ids, vecs); err != nil {
		t.Fatal(err)
	}
	got, err := exactTopK(t.Context(), src, qs, k, 2)
	if err != nil {
		t.Fatal(err)
	}
	for j, q := range qs {
		want, err := st.Query(t.Context(), q, k)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[j], want) {
			t.Errorf("query %d: got %v, want chromem-go's %v", j, got[j], want)
		}
	}
}

func TestExactTopKErrors(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	src, _ := randomSource(1, 1000, 8, 0, 0)
	_, qs := randomSource(2, 3, 8, 0, 0)
	failing := src
	failing.vectors = func(_ context.Context, lo, hi int) ([][]float32, error) {
		if lo >= exactBatch {
			return nil, errBoom
		}
		return src.vectors(t.Context(), lo, hi)
	}
	short := src
	short.vectors = func(_ context.Context, lo, hi int) ([][]float32, error) {
		vs, _ := src.vectors(t.Context(), lo, hi)
		return vs[1:], nil
	}
	_, wide := randomSource(3, 2, 16, 0, 0)
	tests := []struct {
		name    string
		src     vectorSource
		queries [][]float32
		is      error
	}{
		{"source fails", failing, qs, errBoom},
		{"too few vectors", short, qs, nil},
		{"query dimension", src, append(slices.Clone(qs), wide[0]), nil},
		{"row dimension", src, wide, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := exactTopK(t.Context(), tt.src, tt.queries, 10, 2)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("exactTopK: got error %v, want one (%v)", err, tt.is)
			}
		})
	}
}

// BenchmarkDotProducts scores one 512-dimensional vector against 330
// questions of 40 non-zero components (the bench's questions), the exact
// search's inner loop.
func BenchmarkDotProducts(b *testing.B) {
	qs := sparseQueries(1, 330, 512, 40)
	_, vs := randomSource(2, 1, 512, 0, 0)
	sqs := make([]sparseVector, len(qs))
	for i, q := range qs {
		sqs[i] = sparse(q)
	}
	sims := make([]float32, len(qs))
	for b.Loop() {
		dotProducts(sims, sqs, vs[0])
	}
}

// TestTiedRecall: a returned passage missing from the exact top k by ID
// counts when its exact similarity equals the k-th's (an equally good
// exact top k), not when it is below.
func TestTiedRecall(t *testing.T) {
	t.Parallel()
	exact := []chromemstore.Hit{{ID: "a", Similarity: 0.9}, {ID: "b", Similarity: 0.8}, {ID: "c", Similarity: 0.7}}
	sims := map[string]float32{"a": 0.9, "b": 0.8, "c": 0.7, "c2": 0.7, "d": 0.6}
	sim := func(id string) (float32, error) { return sims[id], nil }
	tests := []struct {
		name string
		got  []string
		want float64
	}{
		{"the same", []string{"a", "b", "c"}, 1},
		{"a tie at the last place", []string{"a", "b", "c2"}, 1},
		{"a lower one", []string{"a", "b", "d"}, 2.0 / 3},
		{"two missing", []string{"a", "d"}, 1.0 / 3},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		var got []chromemstore.Hit
		for _, id := range tt.got {
			got = append(got, chromemstore.Hit{ID: id})
		}
		r, err := tiedRecall(got, exact, sim)
		if err != nil || math.Abs(r-tt.want) > 1e-9 {
			t.Errorf("%s: recall %v (%v), want %v", tt.name, r, err, tt.want)
		}
	}
	if r, _ := tiedRecall(nil, nil, sim); r != 1 {
		t.Errorf("empty exact top k: recall %v, want 1", r)
	}
}
