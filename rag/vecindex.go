package rag

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
	"sync"
)

// vecIndex is the search form of the passage vectors: one contiguous
// column-major matrix (dimension d of row i at data[d*n+i]), row i being
// passage i of the index. It is kept alongside the chromem-go store, which
// remains the store of record for upserts and deletes.
//
// Column-major order makes a query cost proportional to its non-zero
// components: score += q[d] * column d. Queries from the offline hash
// embedder have a few dozen non-zero components out of 512, so a scan over
// 100k passages reads a few dozen contiguous columns instead of every
// element of every vector; a dense query (an API embedder) costs the same as
// a row-major scan and is split across cores when large. The results equal
// an exhaustive dot-product scan (chromem-go's) up to float rounding.
type vecIndex struct {
	dim, n int
	data   []float32 // len dim*n
}

// buildVecIndex returns an index of n rows. src(i) gives row i either as a
// row of old (oldRow >= 0) or as a vector of length dim; a row with neither
// stays zero.
func buildVecIndex(dim, n int, old *vecIndex, src func(i int) (oldRow int, vec []float32)) *vecIndex {
	v := &vecIndex{dim: dim, n: n, data: make([]float32, dim*n)}
	// Transpose in blocks of rows so that both sides stay in cache.
	const block = 256
	type source struct {
		old int
		vec []float32
	}
	rows := make([]source, 0, block)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		rows = rows[:0]
		for i := lo; i < hi; i++ {
			o, vec := src(i)
			rows = append(rows, source{o, vec})
		}
		for d := range dim {
			col := v.data[d*n+lo : d*n+hi]
			var oldCol []float32
			if old != nil && old.n > 0 {
				oldCol = old.col(d)
			}
			for k, r := range rows {
				switch {
				case r.vec != nil:
					col[k] = r.vec[d]
				case r.old >= 0:
					col[k] = oldCol[r.old]
				}
			}
		}
	}
	return v
}

// setRow sets row i to vec.
func (v *vecIndex) setRow(i int, vec []float32) {
	for d, x := range vec[:v.dim] {
		v.data[d*v.n+i] = x
	}
}

// col returns column d.
func (v *vecIndex) col(d int) []float32 { return v.data[d*v.n : (d+1)*v.n] }

// row returns a copy of row i.
func (v *vecIndex) row(i int) []float32 {
	r := make([]float32, v.dim)
	for d := range r {
		r[d] = v.data[d*v.n+i]
	}
	return r
}

// parallelWork is the number of multiply-adds above which a query is split
// across cores.
const parallelWork = 1 << 22

var scorePool = sync.Pool{New: func() any { return new([]float32) }}

// search returns the k rows with the highest dot product with q, best first;
// ties go to the lower row.
func (v *vecIndex) search(q []float32, k int) []vecHit {
	k = min(k, v.n)
	if k <= 0 || len(q) != v.dim {
		return nil
	}
	nz := make([]int, 0, 64)
	for d, x := range q {
		if x != 0 {
			nz = append(nz, d)
		}
	}
	sp := scorePool.Get().(*[]float32)
	defer scorePool.Put(sp)
	if cap(*sp) < v.n {
		*sp = make([]float32, v.n)
	}
	scores := (*sp)[:v.n]
	workers := 1
	if len(nz)*v.n > parallelWork {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	if workers == 1 {
		v.accumulate(scores, q, nz, 0, v.n)
		return topK(scores, 0, k)
	}
	var wg sync.WaitGroup
	per := (v.n + workers - 1) / workers
	parts := make([][]vecHit, workers)
	for w := range workers {
		lo, hi := w*per, min((w+1)*per, v.n)
		if lo >= hi {
			continue
		}
		wg.Go(func() {
			v.accumulate(scores, q, nz, lo, hi)
			parts[w] = topK(scores[:hi], lo, k)
		})
	}
	wg.Wait()
	all := slices.Concat(parts...)
	slices.SortFunc(all, compareVecHits)
	return all[:min(k, len(all))]
}

// accumulate sets scores[lo:hi] to the dot products of rows lo..hi-1 with q,
// reading only the columns listed in nz.
func (v *vecIndex) accumulate(scores, q []float32, nz []int, lo, hi int) {
	s := scores[lo:hi]
	clear(s)
	for _, d := range nz {
		w := q[d]
		c := v.data[d*v.n+lo : d*v.n+hi]
		c = c[:len(s)]
		i := 0
		for ; i+4 <= len(s); i += 4 {
			s[i] += w * c[i]
			s[i+1] += w * c[i+1]
			s[i+2] += w * c[i+2]
			s[i+3] += w * c[i+3]
		}
		for ; i < len(s); i++ {
			s[i] += w * c[i]
		}
	}
}

// vecHit is a row and its similarity.
type vecHit struct {
	row int
	sim float32
}

func compareVecHits(a, b vecHit) int {
	if a.sim != b.sim {
		return cmp.Compare(b.sim, a.sim)
	}
	return cmp.Compare(a.row, b.row)
}

// hitHeap is a min-heap of the best hits so far: the root is the worst.
type hitHeap []vecHit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return compareVecHits(h[i], h[j]) > 0 }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(vecHit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topK returns the best k of scores[lo:], best first.
func topK(scores []float32, lo, k int) []vecHit {
	h := make(hitHeap, 0, k)
	for i := lo; i < len(scores); i++ {
		s := scores[i]
		if len(h) < k {
			heap.Push(&h, vecHit{i, s})
			continue
		}
		if s > h[0].sim { // equal scores keep the lower row already held
			h[0] = vecHit{i, s}
			heap.Fix(&h, 0)
		}
	}
	slices.SortFunc(h, compareVecHits)
	return h
}
