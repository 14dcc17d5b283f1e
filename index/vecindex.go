package index

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
	"sync"
)

// vecIndex is the search form of the passage vectors: one contiguous
// column-major matrix (dimension d of row i at data[d*n+i]), row i being
// passage i of the index, quantized to int8 with one scale per row.
//
// Column-major order makes a query cost proportional to its non-zero
// components: score += q[d] * column d. Queries from the offline hash
// embedder have a few dozen non-zero components out of 512, so a scan over
// 100k passages reads a few dozen contiguous columns instead of every
// element of every vector; a dense query (an API embedder) costs the same as
// a row-major scan and is split across cores when large.
//
// Quantization (x ≈ scale[i] * int8, scale = max|x| / 127) keeps a quarter
// of the memory, disk and memory traffic of float32; similarities are
// within about 0.01 of exact and the vector ranker's top 50 nearly
// unchanged (bench reports the overlap with chromem-go's exact results).
type vecIndex struct {
	dim, n int
	data   []int8    // len dim*n
	scale  []float32 // len n
}

// buildVecIndex returns an index of n rows. src(i) gives row i either as a
// row of old (oldRow >= 0) or as a vector of length dim; a row with neither
// stays zero.
func buildVecIndex(dim, n int, old *vecIndex, src func(i int) (oldRow int, vec []float32)) *vecIndex {
	v := &vecIndex{dim: dim, n: n, data: make([]int8, dim*n), scale: make([]float32, n)}
	// Transpose in blocks of rows so that both sides stay in cache.
	const block = 256
	var olds []int // rows copied from old, by position in the block
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		olds = olds[:0]
		for i := lo; i < hi; i++ {
			o, vec := src(i)
			switch {
			case vec != nil:
				v.setRow(i, vec)
				olds = append(olds, -1)
			case o >= 0:
				v.scale[i] = old.scale[o]
				olds = append(olds, o)
			default:
				olds = append(olds, -1)
			}
		}
		if old == nil || old.n == 0 {
			continue
		}
		for d := range dim {
			col := v.data[d*n+lo : d*n+hi]
			oldCol := old.col(d)
			for k, o := range olds {
				if o >= 0 {
					col[k] = oldCol[o]
				}
			}
		}
	}
	return v
}

// setRow sets row i to vec, quantized.
func (v *vecIndex) setRow(i int, vec []float32) {
	var m float32
	for _, x := range vec[:v.dim] {
		m = max(m, x, -x)
	}
	if m == 0 || m != m {
		v.scale[i] = 0
		for d := range v.dim {
			v.data[d*v.n+i] = 0
		}
		return
	}
	v.scale[i] = m / 127
	inv := 127 / m
	for d, x := range vec[:v.dim] {
		q := x * inv
		if q >= 0 {
			q += 0.5
		} else {
			q -= 0.5
		}
		v.data[d*v.n+i] = int8(max(-127, min(127, q)))
	}
}

// col returns column d.
func (v *vecIndex) col(d int) []int8 { return v.data[d*v.n : (d+1)*v.n] }

// row returns row i, dequantized.
func (v *vecIndex) row(i int) []float32 {
	r := make([]float32, v.dim)
	for d := range r {
		r[d] = float32(v.data[d*v.n+i]) * v.scale[i]
	}
	return r
}

// parallelWork is the number of multiply-adds above which a query is split
// across cores.
const parallelWork = 1 << 22

var scorePool = sync.Pool{New: func() any { return new([]float32) }}

// search returns the k rows with the highest dot product with q among the
// rows keep accepts (every row when keep is nil), best first; ties go to the
// lower row.
func (v *vecIndex) search(q []float32, k int, keep func(row int) bool) []vecHit {
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
		return topK(scores, 0, k, keep)
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
			parts[w] = topK(scores[:hi], lo, k, keep)
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
			s[i] += w * float32(c[i])
			s[i+1] += w * float32(c[i+1])
			s[i+2] += w * float32(c[i+2])
			s[i+3] += w * float32(c[i+3])
		}
		for ; i < len(s); i++ {
			s[i] += w * float32(c[i])
		}
	}
	for i, sc := range v.scale[lo:hi] {
		s[i] *= sc
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

// topK returns the best k of scores[lo:] that keep accepts (all when keep
// is nil), best first.
func topK(scores []float32, lo, k int, keep func(row int) bool) []vecHit {
	h := make(hitHeap, 0, k)
	for i := lo; i < len(scores); i++ {
		s := scores[i]
		if keep != nil && !keep(i) {
			continue
		}
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
