package index

import (
	"cmp"
	"container/heap"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/reportbot/reportbot/internal/binarray"
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
//
// Each row also keeps a residual: what quantization lost, quantized again
// (resid, row-major, x ≈ scale[i] * (int8 + resid/residSteps)), so that
// the best candidates of the int8 scan are re-scored at about 15 bits of
// precision (see rescoreFactor). resid nil means every residual is zero
// (an index migrated from format 3, whose file kept no residuals).
//
// An index opened from a mapped file holds data and resid in the mapping,
// and verifies their checksum blocks when a search first touches them
// (cols, resids; nil for vectors in memory).
type vecIndex struct {
	dim, n int
	data   []int8    // len dim*n
	scale  []float32 // len n
	resid  []int8    // len dim*n or 0
	// cols checks the vectors section, whose column d is at byte
	// colOff+d*n; resids checks the residuals section.
	cols, resids *lazyCheck
	colOff       int64
	// keep is the mapping data and resid lie in, held for as long as
	// the vectors are (see mapping); residRd, when set, reads the rows a
	// search re-scores from the file (see preadSection), resid being
	// read through the mapping only by code that reads it all.
	keep    *mapping
	residRd *preadSection
}

// residSteps is the residual's scale: a residual r stands for
// r/residSteps of a quantization step. The rounding error of the int8
// value is at most half a step, so residuals lie in [-127, 127].
const residSteps = 254

// rescoreFactor is how many candidates per wanted hit the int8 scan
// hands to the residual re-score. Measured with reportbench at 100k
// passages only (recall@50 against exact float search 0.990 without the
// re-score, 0.9995 with it; docs/performance.md).
const rescoreFactor = 4

// buildVecIndex returns an index of n rows. src(i) gives row i either as a
// row of old (oldRow >= 0) or as a vector of length dim; a row with neither
// stays zero.
func buildVecIndex(dim, n int, old *vecIndex, src func(i int) (oldRow int, vec []float32)) *vecIndex {
	v := &vecIndex{dim: dim, n: n, data: make([]int8, dim*n), scale: make([]float32, n), resid: make([]int8, dim*n)}
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
				if old.resid != nil {
					copy(v.resid[i*dim:(i+1)*dim], old.resid[o*dim:(o+1)*dim])
				}
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

// setRow sets row i to vec, quantized (see setRows).
func (v *vecIndex) setRow(i int, vec []float32) { v.setRows([]int{i}, [][]float32{vec}) }

// round rounds x to the nearest integer, halves away from zero.
func round(x float32) float32 {
	if x >= 0 {
		return float32(int32(x + 0.5))
	}
	return float32(int32(x - 0.5))
}

// verifyAll verifies every block of a mapped index's vectors not verified
// yet (nothing for vectors in memory), before code that reads them all.
func (v *vecIndex) verifyAll() error {
	if err := v.cols.all(); err != nil {
		return err
	}
	return v.resids.all()
}

// writeResiduals writes the residuals, row by row (zeros for an index
// without them).
func (v *vecIndex) writeResiduals(w io.Writer) error {
	if v.resid != nil {
		_, err := w.Write(binarray.Int8Bytes(v.resid))
		return err
	}
	zeros := make([]byte, 64<<10)
	for left := v.n * v.dim; left > 0; left -= len(zeros) {
		if _, err := w.Write(zeros[:min(left, len(zeros))]); err != nil {
			return err
		}
	}
	return nil
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

// blockPool holds scanBlock scores for a scan worker.
var blockPool = sync.Pool{New: func() any { return new([scanBlock]float32) }}

// search returns the k rows with the highest dot product with q among the
// rows keep accepts (every row when keep is nil), best first; ties go to the
// lower row.
func (v *vecIndex) search(q []float32, k int, keep func(row int) bool) ([]vecHit, error) {
	k = min(k, v.n)
	if k <= 0 || len(q) != v.dim {
		return nil, nil
	}
	nz := make([]int, 0, 64)
	for d, x := range q {
		if x != 0 {
			nz = append(nz, d)
			if err := v.cols.ensure(v.colOff+int64(d*v.n), v.colOff+int64((d+1)*v.n)); err != nil {
				return nil, err
			}
		}
	}
	pool := min(v.n, k) // without residuals (a format 3 file) there is nothing to re-score
	if v.resid != nil {
		pool = min(v.n, k*rescoreFactor)
	}
	hits := v.scan(q, nz, pool, keep)
	return v.rescore(q, nz, hits, k)
}

// scan returns the k rows of the highest int8 dot product with q (whose
// non-zero components are nz) among those keep accepts, best first. Large
// scans are split into row ranges, one per core.
func (v *vecIndex) scan(q []float32, nz []int, k int, keep func(row int) bool) []vecHit {
	w := make([]float32, len(nz))
	for j, d := range nz {
		w[j] = q[d]
	}
	workers := 1
	if len(nz)*v.n > parallelWork {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	if workers == 1 {
		return v.scanRows(w, nz, 0, v.n, k, keep)
	}
	var wg sync.WaitGroup
	per := (v.n + workers - 1) / workers
	parts := make([][]vecHit, workers)
	for i := range workers {
		lo, hi := i*per, min((i+1)*per, v.n)
		if lo >= hi {
			continue
		}
		wg.Go(func() { parts[i] = v.scanRows(w, nz, lo, hi, k, keep) })
	}
	wg.Wait()
	all := slices.Concat(parts...)
	slices.SortFunc(all, compareVecHits)
	return all[:min(k, len(all))]
}

// scanRows returns the best k of rows lo..hi-1 that keep accepts, best
// first, w[j] being the query's component nz[j]. Each block's scores are
// read for the best rows while they are in the first-level cache.
func (v *vecIndex) scanRows(w []float32, nz []int, lo, hi, k int, keep func(row int) bool) []vecHit {
	buf := blockPool.Get().(*[scanBlock]float32)
	defer blockPool.Put(buf)
	cols := make([]*int8, len(nz))
	h := make(hitHeap, 0, k)
	for b := lo; b < hi; b += scanBlock {
		s := buf[:min(scanBlock, hi-b)]
		v.accumulateBlock(s, w, nz, cols, b)
		h.offerBlock(s, b, k, keep)
	}
	slices.SortFunc(h, compareVecHits)
	return h
}

// rescore re-scores hits with the rows' residuals and returns the best
// k, best first. Rows without residuals keep their int8 scores.
func (v *vecIndex) rescore(q []float32, nz []int, hits []vecHit, k int) ([]vecHit, error) {
	if v.resid != nil {
		dim := int64(v.dim)
		var row []byte // one row read at a time, into the same array
		for i, h := range hits {
			var res []int8
			if v.residRd != nil {
				var err error
				row, err = v.residRd.readInto(row, int64(h.row)*dim, int64(h.row+1)*dim)
				if err != nil {
					return nil, err
				}
				res = binarray.BytesInt8(row)
			} else {
				if err := v.resids.ensure(int64(h.row)*dim, int64(h.row+1)*dim); err != nil {
					return nil, err
				}
				res = v.resid[h.row*v.dim : (h.row+1)*v.dim]
			}
			var s float32
			for _, d := range nz {
				s += q[d] * (float32(v.data[d*v.n+h.row]) + float32(res[d])*(1.0/residSteps))
			}
			hits[i].sim = s * v.scale[h.row]
		}
		slices.SortFunc(hits, compareVecHits)
	}
	return hits[:min(k, len(hits))], nil
}

// scanBlock is how many rows a scan sums at a time (accumulateBlock) before
// it picks the best of them (offerBlock): 4096 float32 scores (16 KiB) stay
// in the first-level cache while every column adds to them and while they
// are compared, instead of each column reading and writing a score array
// of the whole corpus (4 MB at 1M rows). Chosen with BenchmarkVecScan
// (random rows) only, before the AVX2 kernel; the sums are the same, in the
// same order, for any value.
const scanBlock = 4096

// accumulateBlock sets s to the dot products of rows lo..lo+len(s)-1
// with the query whose component nz[j] is w[j]; cols is room for a
// pointer per column. The vector kernel (accumRowsSIMD) does the leading
// rows it can, the scalar loop the rest, each summing the columns in the
// order of nz.
func (v *vecIndex) accumulateBlock(s, w []float32, nz []int, cols []*int8, lo int) {
	clear(s)
	hi := lo + len(s)
	if len(s) >= 32 {
		for j, d := range nz {
			cols[j] = &v.data[d*v.n+lo]
		}
	}
	done := accumRowsSIMD(s, cols, w)
	for j, d := range nz {
		accumRowsGo(s[done:], v.data[d*v.n+lo+done:d*v.n+hi], w[j])
	}
	for i, sc := range v.scale[lo:hi] {
		s[i] *= sc
	}
}

// accumRowsGo adds w*c[i] to s[i] for every i.
func accumRowsGo(s []float32, c []int8, w float32) {
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

// offerBlock adds to h, which holds at most k hits, the rows lo.. whose
// scores are s that beat its weakest hit and that keep accepts (all when
// keep is nil). Rows come in increasing order, so equal scores keep the
// lower row already held.
func (h *hitHeap) offerBlock(s []float32, lo, k int, keep func(row int) bool) {
	for i, sim := range s {
		if len(*h) == k && !(sim > (*h)[0].sim) { // NaN never enters a full heap, as before
			continue
		}
		row := lo + i
		if keep != nil && !keep(row) {
			continue
		}
		if len(*h) < k {
			heap.Push(h, vecHit{row, sim})
			continue
		}
		(*h)[0] = vecHit{row, sim}
		heap.Fix(h, 0)
	}
}
