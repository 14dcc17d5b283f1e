package lexical

import (
	"container/heap"
	"maps"
	"math/bits"
	"slices"
	"sort"
)

// SearchKeep is Search over the documents keep accepts (every document when
// keep is nil): the best k of those, so that a filter that drops most of
// the corpus still returns k hits when k of its documents match. Scores are
// those Search gives (the corpus statistics are the whole index's).
//
// Documents are scored a block at a time (lexBlock), every walked term's
// postings in the block before the next block (postings are in document
// order), so that the block's scores and norms stay in cache. Once k hits
// are held, the terms whose postings can add least are no longer walked
// (MaxScore, Turtle and Flood 1995): while the bounds of the
// least-contributing terms sum to less than the weakest hit held, a
// document holding only those terms cannot be among the best k, so only
// documents holding a walked term are candidates, and of those only the
// ones whose partial score plus the skipped terms' bounds could still beat
// the weakest hit are scored in full. A candidate's full score adds its
// terms in the same order as a walked block does, so the hits and scores are
// exactly those of scoring every posting (TestSearchPrunedIsExact,
// FuzzSearchPruned).
func (l *Index) SearchKeep(query []WeightedTerm, k int, keep func(doc int) bool) []Hit {
	return l.searchBlocks(query, k, keep, lexBlock)
}

// searchBlocks is SearchKeep scoring size documents at a time.
func (l *Index) searchBlocks(query []WeightedTerm, k int, keep func(doc int) bool, size int) []Hit {
	if k <= 0 || len(l.docLen) == 0 {
		return nil
	}
	lists := l.termLists(query)
	sc := lexScorePool.Get().(*lexScores)
	defer lexScorePool.Put(sc)
	if len(sc.score) < len(l.docLen) {
		sc.score = make([]float64, len(l.docLen))
	}
	s := &searchState{l: l, lists: lists, k: k, keep: keep, scores: sc.score, touched: sc.touched[:0], h: make(lexHeap, 0, k)}
	s.orderByBound()
	for lo := 0; lo < len(l.docLen); lo += size {
		s.block(int32(lo), int32(min(lo+size, len(l.docLen))))
	}
	s.checkEnds()
	sc.touched = s.touched
	hits := []Hit(s.h)
	sort.Slice(hits, func(i, j int) bool { return lexBefore(hits[i], hits[j]) })
	return hits
}

// pruneSlack is the relative margin by which pruning errs towards scoring a
// document in full: it covers the rounding of sums taken in another order
// than a document's full score (a few units in the last place), so that a
// document left out scores strictly below the weakest hit held. Not a
// ranking weight: any small positive value gives the same hits.
const pruneSlack = 1e-9

// termList is a query term's postings and its place in a search.
type termList struct {
	term  string
	ps    []posting
	idf   float64 // IDF times the term's query weight
	bound float64 // at least what one posting adds: tf/(tf+norm) < 1
	next  int     // walking: the first posting not yet added
	probe int     // probing: no posting before it is of a document still to be scored
	skip  bool    // not walked (its bound is among the skipped ones)
}

// termLists returns the query's terms that occur in the index, with their
// merged weights, in byte order (a fixed order keeps float sums
// reproducible).
func (l *Index) termLists(query []WeightedTerm) []termList {
	merged := make(map[string]float64, len(query))
	for _, q := range query {
		if q.Weight > 0 {
			merged[q.Term] += q.Weight
		}
	}
	var lists []termList
	for _, term := range slices.Sorted(maps.Keys(merged)) {
		if ps := l.postings(term); len(ps) > 0 {
			idf := l.idf(len(ps)) * merged[term] // len(ps) is the term's document frequency
			lists = append(lists, termList{term: term, ps: ps, idf: idf, bound: idf * (K1 + 1) * (1 + pruneSlack)})
		}
	}
	return lists
}

// searchState is one SearchKeep.
type searchState struct {
	l       *Index
	lists   []termList
	k       int
	keep    func(doc int) bool
	scores  []float64 // per document, zero outside a block's walk
	touched []int32   // the block's documents with a partial score
	marks   []uint64  // the block's candidates, a bit per document
	h       lexHeap   // the best hits so far, the weakest at the root
	// byBound lists the terms by bound, least first; skipped of them are
	// not walked, and prefix[i] bounds what byBound[:i] can add together.
	byBound []int
	prefix  []float64
	skipped int
}

// orderByBound sorts the terms by bound and sums the bounds.
func (s *searchState) orderByBound() {
	s.byBound = make([]int, len(s.lists))
	for i := range s.byBound {
		s.byBound[i] = i
	}
	slices.SortStableFunc(s.byBound, func(a, b int) int {
		return cmpFloat(s.lists[a].bound, s.lists[b].bound)
	})
	s.prefix = make([]float64, len(s.lists)+1)
	for i, li := range s.byBound {
		s.prefix[i+1] = (s.prefix[i] + s.lists[li].bound) * (1 + pruneSlack)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// block scores documents lo to hi-1.
func (s *searchState) block(lo, hi int32) {
	// The weakest hit held only rises, so terms once skipped stay skipped.
	if len(s.h) == s.k {
		theta := s.h[0].Score
		for s.skipped < len(s.byBound) && s.prefix[s.skipped+1] < theta {
			s.lists[s.byBound[s.skipped]].skip = true
			s.skipped++
		}
	}
	s.touched = s.touched[:0]
	for li := range s.lists {
		t := &s.lists[li]
		t.probe = max(t.probe, t.next) // no document of this block is before it
		if !t.skip {
			s.walk(t, hi)
		}
	}
	if s.skipped == 0 {
		for _, d := range s.touched {
			x := Hit{Doc: int(d), Score: s.scores[d]}
			s.scores[d] = 0
			s.offer(x)
		}
		return
	}
	// The bar is the weakest hit as the block began: it only rises as
	// the block's hits are offered, so testing against it keeps more.
	theta, rest := s.h[0].Score, s.prefix[s.skipped]
	// Candidates are marked in a bitmap of the block and read back in
	// document order (the order probing needs), which costs less than
	// sorting them when they are many.
	words := int(hi-lo+63) / 64
	if cap(s.marks) < words {
		s.marks = make([]uint64, words)
	}
	marks := s.marks[:words]
	for _, d := range s.touched {
		// d < lo only from postings out of order (a damaged or hostile
		// index file, reported by checkEnds when they are the last):
		// such a document is not a candidate.
		if d >= lo && (s.scores[d]+rest)*(1+pruneSlack) > theta {
			marks[(d-lo)/64] |= 1 << ((d - lo) % 64)
		} else {
			s.scores[d] = 0
		}
	}
	for w, m := range marks {
		marks[w] = 0
		for ; m != 0; m &= m - 1 {
			d := lo + int32(w*64+bits.TrailingZeros64(m))
			partial := s.scores[d]
			s.scores[d] = 0
			if (s.keep == nil || s.keep(int(d))) && s.couldBeat(d, partial, theta) {
				s.keepBest(Hit{Doc: int(d), Score: s.full(d)})
			}
		}
	}
}

// couldBeat reports whether document d, whose walked terms add up to
// partial, could still score above theta once the skipped terms' postings
// are added, the terms of highest bound first, giving up as soon as the
// bounds of those left cannot close the gap.
func (s *searchState) couldBeat(d int32, partial, theta float64) bool {
	for i := s.skipped - 1; i >= 0; i-- {
		if (partial+s.prefix[i+1])*(1+pruneSlack) <= theta {
			return false
		}
		t := &s.lists[s.byBound[i]]
		t.probe = seek(t.ps, t.probe, d)
		if t.probe < len(t.ps) && t.ps[t.probe].doc() == d {
			tf := float64(t.ps[t.probe].tf())
			partial += t.idf * tf * (K1 + 1) / (tf + float64(s.l.norm[d]))
		}
	}
	return partial*(1+pruneSlack) > theta
}

// walk adds t's postings of documents before hi to their scores.
func (s *searchState) walk(t *termList, hi int32) {
	norm := s.l.norm
	i := t.next
	for ; i < len(t.ps); i++ {
		p := t.ps[i]
		d, tf := p.doc(), float64(p.tf())
		if d >= hi {
			break
		}
		if s.scores[d] == 0 {
			s.touched = append(s.touched, d)
		}
		s.scores[d] += t.idf * tf * (K1 + 1) / (tf + float64(norm[d]))
	}
	t.next = i
}

// full is document d's score over every term, added in the order a walk
// adds them. Documents are asked in increasing order.
func (s *searchState) full(d int32) float64 {
	var sum float64
	for li := range s.lists {
		t := &s.lists[li]
		t.probe = seek(t.ps, t.probe, d)
		if t.probe < len(t.ps) && t.ps[t.probe].doc() == d {
			tf := float64(t.ps[t.probe].tf())
			sum += t.idf * tf * (K1 + 1) / (tf + float64(s.l.norm[d]))
		}
	}
	return sum
}

// seek returns the first posting at or after from whose document is d or
// later (len(ps) when none is): a few steps one by one (the documents
// asked are often close together), then galloping and halving.
func seek(ps []posting, from int, d int32) int {
	for range seekLinear {
		if from >= len(ps) || ps[from].doc() >= d {
			return from
		}
		from++
	}
	lo, step := from-1, 1 // ps[lo] is before d
	hi := from
	for hi < len(ps) && ps[hi].doc() < d {
		lo, step = hi, step*2
		hi = lo + step
	}
	hi = min(hi, len(ps))
	for lo+1 < hi { // ps[lo] is before d; ps[hi], if any, is not
		mid := int(uint(lo+hi) >> 1)
		if ps[mid].doc() < d {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// seekLinear is how many postings seek steps over one by one before it
// gallops. Chosen with BenchmarkSearchZipf only (the postings a probe
// skips are few when candidates are dense); any value gives the same
// postings.
const seekLinear = 8

// offer keeps x if keep accepts it and it is among the best k so far.
func (s *searchState) offer(x Hit) {
	if s.keep == nil || s.keep(x.Doc) {
		s.keepBest(x)
	}
}

// keepBest keeps x, which keep accepts, if it is among the best k so far.
func (s *searchState) keepBest(x Hit) {
	switch {
	case len(s.h) < s.k:
		heap.Push(&s.h, x)
	case lexBefore(x, s.h[0]):
		s.h[0] = x
		heap.Fix(&s.h, 0)
	}
}

// checkEnds reports postings that no block reached: walked to the end,
// a term's postings name documents past the last or out of order; a
// skipped term's last posting is checked against the number of documents.
func (s *searchState) checkEnds() {
	n := int32(len(s.l.docLen))
	for _, t := range s.lists {
		switch {
		case !t.skip && t.next < len(t.ps):
			s.l.damaged(t.term, t.ps[t.next].doc())
		case t.skip && t.ps[len(t.ps)-1].doc() >= n:
			s.l.damaged(t.term, t.ps[len(t.ps)-1].doc())
		}
	}
}
