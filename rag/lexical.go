package rag

import (
	"math"
	"sort"
)

// BM25 parameters (the usual Robertson/Sparck Jones defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type posting struct {
	doc int32
	tf  uint32
}

// Lexical is an in-memory BM25 index over Terms (CJK bigrams, words,
// numbers). It is built once from a fixed set of documents and is safe for
// concurrent readers.
type Lexical struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float64
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
}

// LexicalHit is a document number (its position in the slice given to
// NewLexical) and its BM25 score.
type LexicalHit struct {
	Doc   int
	Score float64
}

// NewLexical indexes docs; document i is reported as Doc i in hits.
func NewLexical(docs []string) *Lexical {
	l := &Lexical{postings: make(map[string][]posting), docLen: make([]float32, len(docs))}
	counts := make(map[string]uint32)
	var total float64
	var terms []string
	for i, d := range docs {
		terms = appendIndexTerms(terms[:0], d)
		clear(counts)
		for _, t := range terms {
			counts[t]++
		}
		for t, c := range counts {
			l.postings[t] = append(l.postings[t], posting{doc: int32(i), tf: c})
		}
		l.docLen[i] = float32(len(terms))
		total += float64(len(terms))
	}
	if len(docs) > 0 {
		l.avgLen = total / float64(len(docs))
	}
	return l
}

// Len is the number of indexed documents.
func (l *Lexical) Len() int { return len(l.docLen) }

// DocFreq is the number of documents that contain term.
func (l *Lexical) DocFreq(term string) int { return len(l.postings[term]) }

// IDF is the BM25 inverse document frequency of term (0 for unknown terms).
func (l *Lexical) IDF(term string) float64 {
	df := len(l.postings[term])
	if df == 0 {
		return 0
	}
	n := float64(len(l.docLen))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// MaxIDF is the IDF of a term found in a single document.
func (l *Lexical) MaxIDF() float64 {
	n := float64(len(l.docLen))
	return math.Log(1 + (n-0.5)/1.5)
}

// Search scores the documents that contain at least one query term and
// returns the best k, highest first. Repeated terms add their weights.
func (l *Lexical) Search(query []WeightedTerm, k int) []LexicalHit {
	if k <= 0 || len(l.docLen) == 0 {
		return nil
	}
	merged := make(map[string]float64, len(query))
	for _, q := range query {
		if q.Weight > 0 {
			merged[q.Term] += q.Weight
		}
	}
	scores := make(map[int32]float64)
	for term, w := range merged {
		ps := l.postings[term]
		if len(ps) == 0 {
			continue
		}
		idf := l.IDF(term) * w
		for _, p := range ps {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*float64(l.docLen[p.doc])/l.avgLen)
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	hits := make([]LexicalHit, 0, len(scores))
	for d, s := range scores {
		hits = append(hits, LexicalHit{Doc: int(d), Score: s})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Doc < hits[j].Doc
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}
