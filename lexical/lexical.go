// Package lexical cuts text into the terms reportbot matches on (overlapping
// bigrams of Han characters, lower-cased Latin words, numbers as written) and
// ranks documents by BM25 over them. Index is the in-memory inverted index
// with its binary codec (Encode, Decode).
package lexical

import (
	"fmt"
	"math"
	"sort"
	"sync"
)

// BM25 parameters (the usual Robertson/Sparck Jones defaults).
const (
	K1 = 1.2
	B  = 0.75
)

// posting is a document number (high 24 bits) and the term's frequency in
// it (low 8 bits, saturating at 255, where BM25's term-frequency curve is
// flat): half the memory of two 32-bit fields at 100k passages.
type posting uint32

// maxLexicalDocs is the number of documents a Lexical can hold.
const maxLexicalDocs = 1<<24 - 1

func newPosting(doc int) posting { return posting(uint32(doc)<<8 | 1) }
func (p posting) doc() int32     { return int32(p >> 8) }
func (p posting) tf() uint32     { return uint32(p & 0xff) }

// Index is an in-memory BM25 index over Terms (CJK bigrams, words,
// numbers). It is built once from a fixed set of documents and is safe for
// concurrent readers.
//
// Postings lie in one array (backing), term after term; start[t] to
// start[t+1] are term t's. An index built in memory numbers its terms in
// the order it met them and finds them through ids; one decoded from its
// saved form numbers them in byte order, as saved, and finds them by
// binary search over their concatenation (terms, term t ending at
// ends[t]), so that opening builds no table of terms.
type Index struct {
	ids     *termIDs // built: term → number; nil when decoded
	terms   string   // decoded: the terms in byte order, concatenated
	ends    []uint32 // decoded: where each term ends in terms
	start   []int    // len terms+1
	backing []posting
	docLen  []float32
	avgLen  float64
	norm    []float32 // per document: k1 * (1 - b + b * len/avgLen)
	flat    *flatData // decoded in place (DecodeFlat): start is flat.start
}

// prepare precomputes the per-document length normalisation.
func (l *Index) prepare() {
	l.norm = make([]float32, len(l.docLen))
	for i, n := range l.docLen {
		l.norm[i] = float32(K1 * (1 - B + B*float64(n)/l.avgLen))
	}
}

// WeightedTerm is a query term with a weight (1 for a term typed by the user,
// less for an expansion).
type WeightedTerm struct {
	Term   string
	Weight float64
	// Group and Alt tie a term to the question concept it stands for: the
	// terms of one alternative (say the bigrams of 就业) share Group and Alt;
	// alternatives of one concept (就业 or 职业 for "employment") share Group.
	Group, Alt int
	// Optional terms count for evidence that holds them and not against
	// evidence that lacks them (see intentJunctions).
	Optional bool
	// Scale multiplies the weight of the term's concept when evidence is
	// scored (0 counts as 1); search ignores it. An indicator the question
	// names in several words is one concept that weighs as much as its
	// words did.
	Scale float64
}

// Hit is a document number (its position in the slice given to
// NewLexical) and its BM25 score.
type Hit struct {
	Doc   int
	Score float64
}

// postings returns the postings of term (nil for an unknown term).
func (l *Index) postings(term string) []posting {
	t, ok := l.termNumber(term)
	if !ok {
		return nil
	}
	lo, hi := l.span(t, true)
	return l.backing[lo:hi:hi]
}

// span returns where term t's postings lie in backing; postings says
// whether they are to be read, not only counted (see flatSpan).
func (l *Index) span(t int, postings bool) (int, int) {
	if l.flat != nil {
		return l.flatSpan(t, postings)
	}
	return l.start[t], l.start[t+1]
}

// docFreq is the number of documents that contain term.
func (l *Index) docFreq(term string) int {
	t, ok := l.termNumber(term)
	if !ok {
		return 0
	}
	lo, hi := l.span(t, false)
	return hi - lo
}

// termNumber returns the number of term.
func (l *Index) termNumber(term string) (int, bool) {
	if l.ids != nil {
		id, ok := l.ids.get(term)
		return int(id), ok
	}
	t := sort.Search(len(l.ends), func(i int) bool { return l.decodedTerm(i) >= term })
	return t, t < len(l.ends) && l.decodedTerm(t) == term
}

// decodedTerm is term t of a decoded index.
func (l *Index) decodedTerm(t int) string {
	if l.flat != nil {
		return l.flatTerm(t)
	}
	from := uint32(0)
	if t > 0 {
		from = l.ends[t-1]
	}
	return l.terms[from:l.ends[t]]
}

// Len is the number of indexed documents.
func (l *Index) Len() int { return len(l.docLen) }

// DocFreq is the number of documents that contain term.
func (l *Index) DocFreq(term string) int { return l.docFreq(term) }

// IDF is the BM25 inverse document frequency of term (0 for unknown terms).
func (l *Index) IDF(term string) float64 { return l.idf(l.docFreq(term)) }

// idf is the BM25 inverse document frequency of a term found in df
// documents (0 for none).
func (l *Index) idf(df int) float64 {
	if df == 0 {
		return 0
	}
	n := float64(len(l.docLen))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// MaxIDF is the IDF of a term found in a single document.
func (l *Index) MaxIDF() float64 {
	n := float64(len(l.docLen))
	return math.Log(1 + (n-0.5)/1.5)
}

// Search scores the documents that contain at least one query term and
// returns the best k, highest first. Repeated terms add their weights.
func (l *Index) Search(query []WeightedTerm, k int) []Hit {
	return l.SearchKeep(query, k, nil)
}

// lexBlock is how many documents SearchKeep scores at a time: 16,384
// float64 scores and float32 norms (192 KiB) stay in the second-level
// cache while every query term adds its postings to them. Chosen on the
// 1M-passage bench index (four questions, CPU time of one core: 7.3 to 5.3 ms a search; 4K and 64K blocks gave the same) only; the
// sums are the same for any value.
const lexBlock = 1 << 14

// damaged records a posting of term for document d, past the last one,
// in an index read in place (an index built or decoded in memory has none).
func (l *Index) damaged(term string, d int32) {
	if l.flat != nil {
		l.flat.fail(fmt.Errorf("%w: postings of %q name document %d of %d", errLexical, term, d, len(l.docLen)))
	}
}

// lexBefore orders hits by score, then document.
func lexBefore(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Doc < b.Doc
}

// lexHeap is a heap of hits with the weakest at the root.
type lexHeap []Hit

func (h lexHeap) Len() int           { return len(h) }
func (h lexHeap) Less(i, j int) bool { return lexBefore(h[j], h[i]) }
func (h lexHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *lexHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *lexHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type lexScores struct {
	score   []float64
	touched []int32
}

var lexScorePool = sync.Pool{New: func() any { return new(lexScores) }}
