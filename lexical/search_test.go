package lexical

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// searchEveryPosting is SearchKeep without pruning: every posting of every
// query term added to its document's score, terms in byte order.
func searchEveryPosting(l *Index, query []WeightedTerm, k int, keep func(doc int) bool) []Hit {
	merged := map[string]float64{}
	for _, q := range query {
		if q.Weight > 0 {
			merged[q.Term] += q.Weight
		}
	}
	scores := make([]float64, l.Len())
	seen := make([]bool, l.Len())
	for _, term := range slices.Sorted(maps.Keys(merged)) {
		idf := l.IDF(term) * merged[term]
		for _, p := range l.postings(term) {
			d, tf := int(p.doc()), float64(p.tf())
			scores[d] += idf * tf * (K1 + 1) / (tf + float64(l.norm[d]))
			seen[d] = true
		}
	}
	var hits []Hit
	for d, s := range scores {
		if seen[d] && (keep == nil || keep(d)) {
			hits = append(hits, Hit{Doc: d, Score: s})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return lexBefore(hits[i], hits[j]) })
	return hits[:min(k, len(hits))]
}

// zipfDocs returns n documents of Latin words drawn with a Zipf law from a
// vocabulary of size words, so that a few terms are in most documents and
// most terms in few, as bigrams of reports are.
func zipfDocs(r *rand.Rand, n, words int) []string {
	z := rand.NewZipf(r, 1.2, 2, uint64(words-1))
	docs := make([]string, n)
	var b strings.Builder
	for i := range docs {
		b.Reset()
		for range 3 + r.IntN(60) {
			fmt.Fprintf(&b, "w%d ", z.Uint64())
		}
		docs[i] = b.String()
	}
	return docs
}

// randomQuery is 1 to 25 terms of the vocabulary (some repeated, some not
// in the index) with weights as the query analyser gives them.
func randomQuery(r *rand.Rand, words int) []WeightedTerm {
	weights := []float64{1, 1, 0.5, 0.3, 2, 0}
	q := make([]WeightedTerm, 1+r.IntN(25))
	for i := range q {
		w := r.IntN(words + 5)
		if r.IntN(3) == 0 {
			w = r.IntN(8) // the common terms
		}
		q[i] = WeightedTerm{Term: fmt.Sprintf("w%d", w), Weight: weights[r.IntN(len(weights))]}
	}
	return q
}

func sameHits(got, want []Hit) bool {
	return slices.EqualFunc(got, want, func(a, b Hit) bool {
		return a.Doc == b.Doc && math.Float64bits(a.Score) == math.Float64bits(b.Score)
	})
}

// TestSearchPrunedIsExact checks that pruning returns exactly the hits and
// scores of scoring every posting, over corpora spanning several blocks,
// with and without filters, for many queries.
func TestSearchPrunedIsExact(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	const words = 400
	l := newIndex(zipfDocs(r, 2*lexBlock+123, words))
	keeps := map[string]func(int) bool{
		"all":     nil,
		"third":   func(d int) bool { return d%3 == 0 },
		"rare":    func(d int) bool { return d%4099 == 0 },
		"late":    func(d int) bool { return d > 2*lexBlock },
		"nothing": func(int) bool { return false },
	}
	for i := range 30 {
		q := randomQuery(r, words)
		for _, k := range []int{1, 50} {
			for name, keep := range keeps {
				want := searchEveryPosting(l, q, k, keep)
				for _, size := range []int{lexBlock, 777} {
					if got := l.searchBlocks(q, k, keep, size); !sameHits(got, want) {
						t.Fatalf("query %d %v, k %d, keep %s, blocks of %d:\ngot  %v\nwant %v", i, q, k, name, size, got, want)
					}
				}
			}
		}
	}
}

// FuzzSearchPruned checks pruning against scoring every posting on small
// corpora cut into small blocks, so that pruning starts early.
func FuzzSearchPruned(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint8(5), uint16(200))
	f.Add(uint64(42), uint8(1), uint8(50), uint16(999))
	f.Fuzz(func(t *testing.T, seed uint64, block, k uint8, n uint16) {
		r := rand.New(rand.NewPCG(seed, 9))
		const words = 60
		l := newIndex(zipfDocs(r, int(n%2000)+1, words))
		q := randomQuery(r, words)
		want := searchEveryPosting(l, q, int(k%64)+1, nil)
		if got := l.searchBlocks(q, int(k%64)+1, nil, int(block)+1); !sameHits(got, want) {
			t.Fatalf("query %v:\ngot  %v\nwant %v", q, got, want)
		}
	})
}

// BenchmarkSearchZipf times a 12-term query over 200,000 Zipf documents,
// with pruning (SearchKeep) and without (blocks of the whole corpus never
// prune: the bar is only set after the first block).
func BenchmarkSearchZipf(b *testing.B) {
	r := rand.New(rand.NewPCG(10, 11))
	const words = 2000
	l := newIndex(zipfDocs(r, 200_000, words))
	var q []WeightedTerm
	for i := range 12 {
		q = append(q, WeightedTerm{Term: fmt.Sprintf("w%d", i*i), Weight: 1})
	}
	b.Run("pruned", func(b *testing.B) {
		for b.Loop() {
			l.SearchKeep(q, 50, nil)
		}
	})
	b.Run("every-posting", func(b *testing.B) {
		for b.Loop() {
			l.searchBlocks(q, 50, nil, l.Len())
		}
	})
}

// TestSearchPostingsOutOfOrder searches an index whose postings a damaged
// or hostile file left out of document order: no panic, whatever the
// blocks.
func TestSearchPostingsOutOfOrder(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(14, 15))
	l := newIndex(zipfDocs(r, 3000, 50))
	slices.Reverse(l.backing) // every term's postings, and their order, scrambled
	for _, size := range []int{1, 7, 64, lexBlock} {
		for range 20 {
			l.searchBlocks(randomQuery(r, 50), 1+r.IntN(20), nil, size)
		}
	}
}
