package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/chromemstore"
)

// The exact top k that the index's vector search is measured against
// (vector recall@50) is computed by streaming: the passages are re-embedded
// batch by batch and scored against every question, each question keeping
// a bounded top k, so memory stays a batch of vectors per worker whatever
// the corpus size (a chromem-go collection of a million passages' float32
// vectors took about 6 GB and minutes to build). For the same vectors the
// scores are chromem-go's (v0.7.0) to the bit: the same normalisation of
// vectors that are not unit length, and the same float32 dot product summed
// in the same order, so the top k is the one chromem-go's QueryEmbedding
// returns after chromemstore's ordering (similarity, then ID). Where several
// passages tie at the 50th place, chromem-go keeps whichever its goroutines
// met first; here the smaller ID wins, so the reference is the same on every
// run. (The hash embedder adds a text's terms in map order, so embedding the
// same text twice now and then differs in a last bit: two references built
// by two embeddings can swap near-ties.)

// exactBatch is the number of passages embedded and scored at once.
const exactBatch = 256

// vectorSource is what the exact search streams over: n rows, each with an
// ID (unique) and a vector, read batch by batch.
type vectorSource struct {
	n  int
	id func(row int) string
	// vectors returns the vectors of rows [lo, hi); it is called from
	// several goroutines at once.
	vectors func(ctx context.Context, lo, hi int) ([][]float32, error)
}

// passageSource streams the index's passages re-embedded by emb, as the
// index embedded them (index.EmbedText).
func passageSource(ix *index.Index, emb embed.Embedder) (vectorSource, error) {
	ps, err := ix.Passages()
	if err != nil {
		return vectorSource{}, fmt.Errorf("bench: exact search: %w", err)
	}
	return vectorSource{
		n:  len(ps),
		id: func(row int) string { return ps[row].ID },
		vectors: func(ctx context.Context, lo, hi int) ([][]float32, error) {
			texts := make([]string, 0, hi-lo)
			for _, p := range ps[lo:hi] {
				r, _ := ix.Report(p.ReportID)
				texts = append(texts, index.EmbedText(r, p.Passage))
			}
			vecs, err := emb.Embed(ctx, texts)
			if err == nil {
				err = embed.CheckVectors(emb, vecs, len(texts))
			}
			return vecs, err
		},
	}, nil
}

// exactTopK returns, for each query, the k rows of src with the highest
// cosine similarity, best first, equal similarities by ID: what a
// chromemstore.Store holding src's vectors answers to Query(ctx, q, k).
// Zero vectors are skipped as the store skips them. workers goroutines
// (at least one) share the batches.
func exactTopK(ctx context.Context, src vectorSource, queries [][]float32, k, workers int) ([][]chromemstore.Hit, error) {
	qs := make([]sparseVector, len(queries))
	for i, q := range queries {
		qs[i] = sparse(chromemNormalized(q))
		if i > 0 && len(q) != len(queries[0]) {
			return nil, fmt.Errorf("bench: exact search: query %d has dimension %d, want %d", i, len(q), len(queries[0]))
		}
	}
	if k <= 0 || len(qs) == 0 {
		return make([][]chromemstore.Hit, len(qs)), nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64 // the next batch's first row
	tops := make([][]topK, max(1, workers))
	var wg sync.WaitGroup
	for w := range tops {
		tops[w] = make([]topK, len(qs))
		for i := range tops[w] {
			tops[w][i] = topK{k: k, id: src.id}
		}
		wg.Go(func() {
			sims := make([]float32, len(qs))
			for {
				lo := int(next.Add(exactBatch)) - exactBatch
				if lo >= src.n || ctx.Err() != nil {
					return
				}
				hi := min(lo+exactBatch, src.n)
				vecs, err := src.vectors(ctx, lo, hi)
				if err == nil && len(vecs) != hi-lo {
					err = fmt.Errorf("%d vectors for %d rows", len(vecs), hi-lo)
				}
				if err != nil {
					cancel(fmt.Errorf("bench: exact search: rows %d-%d: %w", lo, hi, err))
					return
				}
				for j, v := range vecs {
					if len(v) != len(queries[0]) {
						cancel(fmt.Errorf("bench: exact search: row %d has dimension %d, want %d", lo+j, len(v), len(queries[0])))
						return
					}
					if isZeroVector(v) {
						continue
					}
					dotProducts(sims, qs, chromemNormalized(v))
					for i, s := range sims {
						tops[w][i].add(s, int32(lo+j))
					}
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	out := make([][]chromemstore.Hit, len(qs))
	for i := range qs {
		var all []scored
		for w := range tops {
			all = append(all, tops[w][i].h...)
		}
		slices.SortFunc(all, func(a, b scored) int { return -compareScored(a, b, src.id) })
		all = all[:min(k, len(all))]
		out[i] = make([]chromemstore.Hit, len(all))
		for j, s := range all {
			out[i][j] = chromemstore.Hit{ID: src.id(int(s.row)), Similarity: s.sim}
		}
	}
	return out, nil
}

// scored is one row's similarity to one query.
type scored struct {
	sim float32
	row int32
}

// compareScored orders a before b when it ranks lower: a smaller similarity,
// or the same similarity and a larger ID.
func compareScored(a, b scored, id func(int) string) int {
	if c := cmp.Compare(a.sim, b.sim); c != 0 {
		return c
	}
	if a.row == b.row {
		return 0
	}
	return strings.Compare(id(int(b.row)), id(int(a.row)))
}

// topK keeps the k best scored rows seen, as a min-heap: h[0] is the lowest
// ranked kept.
type topK struct {
	k  int
	id func(int) string
	h  []scored
}

// add offers row with similarity sim.
func (t *topK) add(sim float32, row int32) {
	s := scored{sim, row}
	if len(t.h) < t.k {
		t.h = append(t.h, s)
		t.up(len(t.h) - 1)
		return
	}
	if sim < t.h[0].sim || compareScored(s, t.h[0], t.id) <= 0 {
		return // the common case decided by the first comparison
	}
	t.h[0] = s
	t.down(0)
}

func (t *topK) less(i, j int) bool { return compareScored(t.h[i], t.h[j], t.id) < 0 }

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.less(i, p) {
			return
		}
		t.h[i], t.h[p] = t.h[p], t.h[i]
		i = p
	}
}

func (t *topK) down(i int) {
	for {
		m := i
		if l := 2*i + 1; l < len(t.h) && t.less(l, m) {
			m = l
		}
		if r := 2*i + 2; r < len(t.h) && t.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}

// sparseVector is a vector's non-zero components, in index order.
type sparseVector struct {
	idx []int
	val []float32
}

// sparse returns v's non-zero components. A question embedded by the hash
// embedder has a few dozen of 512.
func sparse(v []float32) sparseVector {
	var sv sparseVector
	for i, x := range v {
		if x != 0 {
			sv.idx, sv.val = append(sv.idx, i), append(sv.val, x)
		}
	}
	return sv
}

// dotProducts sets sims[i] to the dot product of qs[i] and v, summed in
// float32 in index order as chromem-go's dotProduct does. A zero component
// adds a zero, which leaves a float sum as it is (but for the sign of an
// exact zero, which compares equal), so summing only the non-zero ones
// gives chromem-go's value bit for bit.
func dotProducts(sims []float32, qs []sparseVector, v []float32) {
	for i, q := range qs {
		val := q.val[:len(q.idx)]
		var s float32
		for j, k := range q.idx {
			s += val[j] * v[k]
		}
		sims[i] = s
	}
}

// chromemNormalized returns v as chromem-go v0.7.0 stores and queries it:
// v itself when its length is within 1e-6 of 1 (isNormalized), else v
// divided by its float32 norm (normalizeVector), in a new slice.
func chromemNormalized(v []float32) []float32 {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	if math.Abs(math.Sqrt(sq)-1) < 1e-6 {
		return v
	}
	var norm float32
	for _, x := range v {
		norm += x * x
	}
	norm = float32(math.Sqrt(float64(norm)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / norm
	}
	return out
}

// isZeroVector reports whether every component of v is zero (chromemstore
// does not store such vectors).
func isZeroVector(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// exactWorkers is how many goroutines the exact search uses: one per
// usable core.
func exactWorkers() int { return runtime.GOMAXPROCS(0) }

// tiedRecall is the share of the exact top k (exact, best first) that got
// matches when a passage counts as found either by its ID or, when the
// exact search had to choose among equal similarities at its k-th place,
// by an exact similarity equal to or above the k-th's: the scale corpus
// re-issues every report as province variants, and passages that
// differ in a place name only can embed to the same vector, so that
// several equally good top k exist and ID recall would count the choice
// among them as a miss. sim gives the exact similarity of a passage ID
// (as exactTopK computes it).
func tiedRecall(got, exact []chromemstore.Hit, sim func(id string) (float32, error)) (float64, error) {
	if len(exact) == 0 {
		return 1, nil
	}
	last := exact[len(exact)-1].Similarity
	in := map[string]bool{}
	for _, h := range exact {
		in[h.ID] = true
	}
	n := 0
	for _, h := range got {
		if in[h.ID] {
			n++
			continue
		}
		s, err := sim(h.ID)
		if err != nil {
			return 0, err
		}
		if s >= last {
			n++
		}
	}
	return float64(min(n, len(exact))) / float64(len(exact)), nil
}

// exactSimilarity returns the exact similarity of passage id to the query q
// as exactTopK computes it: both re-embedded and normalized as
// chromem-go does, the dot product summed in index order.
func exactSimilarity(ctx context.Context, ix *index.Index, emb embed.Embedder, q []float32, id string) (float32, error) {
	p, ok := ix.Passage(id)
	if !ok {
		return 0, fmt.Errorf("bench: exact similarity: no passage %s", id)
	}
	r, _ := ix.Report(p.ReportID)
	vecs, err := emb.Embed(ctx, []string{index.EmbedText(r, p.Passage)})
	if err != nil {
		return 0, err
	}
	sims := make([]float32, 1)
	dotProducts(sims, []sparseVector{sparse(chromemNormalized(q))}, chromemNormalized(vecs[0]))
	return sims[0], nil
}
