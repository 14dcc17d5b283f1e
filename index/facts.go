package index

import (
	"bytes"
	"runtime"
	"slices"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
)

// FactHit is one fact of the index with the passage and report it is in.
type FactHit struct {
	Fact    fact.Fact     `json:"fact"`
	Passage Passage       `json:"-"`
	Report  corpus.Report `json:"-"`
	// Row is the passage's position in the index: facts of one report
	// come in reading order.
	Row int `json:"-"`
}

// factsOfPassage reads the facts of passage p of report r in scope s
// (fact.Extract, with the passage's section period, the report's year and
// what the paragraphs before it say: fact.Review).
func factsOfPassage(r corpus.Report, p corpus.Passage, s fact.Scope) []fact.Fact {
	return fact.Extract(p.Text, s.Context(r, p))
}

// scopes are the scopes of the passages of ps (reports' passages in
// reading order; fact.Review): a paragraph's scope can be set by one
// before it, so this reads them in order, before the extraction reads
// them in chunks.
func scopes(ps []Passage, reports map[string]corpus.Report) []fact.Scope {
	out := make([]fact.Scope, len(ps))
	var r fact.Review
	for i := range ps {
		out[i] = r.Next(ps[i].Passage, reports[ps[i].ReportID].Year)
	}
	return out
}

// indexFacts extracts the facts of every passage (unless they were read
// with it: factsLoaded) and builds the lookup by indicator. The passages
// are read in chunks of factChunkRows on GOMAXPROCS goroutines; the lookup
// is then built from the chunks in row order.
//
// An index whose facts and their lookup were both read from its file
// (readSections: byIndicator set) keeps them as they are.
func (ix *Index) indexFacts() { ix.indexFactsIn(factChunkRows, runtime.GOMAXPROCS(0)) }

// indexFactsIn is indexFacts in chunks of chunkRows passages on up to
// workers goroutines.
func (ix *Index) indexFactsIn(chunkRows, workers int) {
	if ix.factsLoaded && ix.byIndicator != nil {
		ix.factsLoaded = false
		return
	}
	loaded := ix.factsLoaded
	ix.factsLoaded = false
	if !loaded {
		ix.byIndicator = lookupByIndicator(extractFactsIn(ix.passages, ix.reports, chunkRows, workers), nil)
		return
	}
	n := ix.Len()
	found := make([][]rowIndicator, (n+chunkRows-1)/chunkRows)
	forChunks(n, chunkRows, workers, func(c, lo, hi int) {
		var out []rowIndicator
		for i := lo; i < hi; i++ {
			out = appendIndicators(out, int32(i), ix.factsAt(i))
		}
		found[c] = out
	})
	ix.byIndicator = lookupByIndicator(slices.Concat(found...), nil)
}

// factsAbout decodes the facts of passage row about the indicators
// (fact.ReadFactsAbout); none on damage, as factsAt.
func (ix *Index) factsAbout(row int, indicators []string) []fact.Fact {
	blob := ix.factsBlob(row)
	if blob == nil {
		return nil
	}
	fs, err := fact.ReadFactsAbout(blob, indicators)
	if err != nil {
		return nil
	}
	return fs
}

// factsBlob returns the encoded facts of passage row (nil for none).
func (ix *Index) factsBlob(row int) []byte {
	switch {
	case ix.lazyFacts != nil:
		blob, _ := ix.lazyFacts.blob(row) // damage: none, as for a blob that does not decode
		return blob
	case row < len(ix.passages):
		return ix.passages[row].Facts
	}
	return nil
}

// extractFacts sets the Facts of every passage of ps, whose reports are
// reports, in chunks of factChunkRows on GOMAXPROCS goroutines, and
// returns the indicators they are about by position in ps, in order.
// Sync extracts them as soon as the passages are planned: the heap is
// small then, so the extraction's garbage does not make it grow as it did
// once the vectors and postings were allocated, and each commit of the
// Sync builds the lookup by indicator from what this returns (see
// lookupByIndicator), without extracting or decoding again.
func extractFacts(ps []Passage, reports map[string]corpus.Report) []rowIndicator {
	return extractFactsIn(ps, reports, factChunkRows, runtime.GOMAXPROCS(0))
}

// extractFactsIn is extractFacts in chunks of chunkRows on up to workers
// goroutines.
func extractFactsIn(ps []Passage, reports map[string]corpus.Report, chunkRows, workers int) []rowIndicator {
	scope := scopes(ps, reports)
	found := make([][]rowIndicator, (len(ps)+chunkRows-1)/chunkRows)
	forChunks(len(ps), chunkRows, workers, func(c, lo, hi int) {
		var buf []byte
		var out []rowIndicator
		for i := lo; i < hi; i++ {
			p := &ps[i]
			p.Facts = nil
			fs := factsOfPassage(reports[p.ReportID], p.Passage, scope[i])
			if len(fs) == 0 {
				continue
			}
			buf = fact.AppendFacts(buf[:0], fs)
			p.Facts = bytes.Clone(buf) // exactly sized
			out = appendIndicators(out, int32(i), fs)
		}
		found[c] = out
	})
	return slices.Concat(found...)
}

// appendIndicators appends the indicators of facts fs of the passage at
// row to dst, each once.
func appendIndicators(dst []rowIndicator, row int32, fs []fact.Fact) []rowIndicator {
	first := len(dst)
	for _, f := range fs {
		if f.Indicator != "" && !slices.ContainsFunc(dst[first:], func(ri rowIndicator) bool { return ri.indicator == f.Indicator }) {
			dst = append(dst, rowIndicator{row, f.Indicator})
		}
	}
	return dst
}

// lookupByIndicator is the lookup by indicator (Index.byIndicator) of the
// facts found at positions in the plan (extractFacts): rowOf[p] is the
// row of the passage at position p, -1 when it is not in the index; nil
// when every position is its row.
func lookupByIndicator(found []rowIndicator, rowOf []int32) map[string][]int32 {
	m := map[string][]int32{}
	for _, ri := range found {
		row := ri.row
		if rowOf != nil {
			if row = rowOf[row]; row < 0 {
				continue
			}
		}
		rows := m[ri.indicator]
		if k := len(rows); k == 0 || rows[k-1] != row {
			m[ri.indicator] = append(rows, row)
		}
	}
	return m
}

// factChunkRows is how many passages a goroutine of indexFacts takes at a
// time: enough that taking one is rare next to extracting its facts (about
// 10 µs a passage, docs/performance.md), few enough that the two halves of
// a 100k-passage corpus come out even.
const factChunkRows = 1024

// rowIndicator is one fact's indicator and the row of its passage.
type rowIndicator struct {
	row       int32
	indicator string
}

// factsAt decodes the facts of passage row; none when it has none or its
// encoding does not decode (the index file's checksums make that rare).
func (ix *Index) factsAt(row int) []fact.Fact {
	blob := ix.factsBlob(row)
	if blob == nil {
		return nil
	}
	fs, err := fact.ReadFacts(blob)
	if err != nil {
		return nil
	}
	return fs
}

// FactsAbout returns the facts about any of the indicators (vocabulary
// IDs) in the passages f keeps, in index order.
func (ix *Index) FactsAbout(indicators []string, f Filter) []FactHit {
	return ix.FactsAboutIn(indicators, f, nil)
}

// FactKeep decides from a fact, the period of its passage's section and
// its report whether FactsAboutIn returns it.
type FactKeep func(fa fact.Fact, period corpus.Period, r corpus.Report) bool

// FactsAboutIn is FactsAbout keeping only the facts keep accepts (all when
// keep is nil). keep sees a passage's period before the passage is read:
// at a million passages an indicator such as GDP has facts in tens of
// thousands of passages, and a question about one year needs a few.
func (ix *Index) FactsAboutIn(indicators []string, f Filter, keepFact FactKeep) []FactHit {
	var out []FactHit
	ix.EachFact(indicators, f, keepFact, func(h FactHit) bool {
		out = append(out, h)
		return true
	})
	return out
}

// EachFact calls yield with each fact FactsAboutIn returns, in the same
// order, until yield returns false.
func (ix *Index) EachFact(indicators []string, f Filter, keepFact FactKeep, yield func(FactHit) bool) {
	keep := ix.keepRows(f)
	seen := map[int32]bool{}
	for _, id := range indicators {
		for _, row := range ix.byIndicator[id] {
			if seen[row] || (keep != nil && !keep(int(row))) {
				continue
			}
			seen[row] = true
			var p Passage
			var period corpus.Period
			var r corpus.Report
			read, placed := false, false
			for _, fa := range ix.factsAbout(int(row), indicators) {
				if keepFact != nil {
					if !placed {
						var err error
						if period, r, err = ix.periodAt(int(row)); err != nil {
							break // damage: a search names it
						}
						placed = true
					}
					if !keepFact(fa, period, r) {
						continue
					}
				}
				if !read {
					var err error
					if p, err = ix.passageAt(int(row)); err != nil {
						break // damage: a search names it
					}
					read = true
				}
				if !yield(FactHit{Fact: fa, Passage: p, Report: ix.reports[p.ReportID], Row: int(row)}) {
					return
				}
			}
		}
	}
}

// periodAt returns the period of the section of the passage of row and
// its report, without reading the rest of the passage.
func (ix *Index) periodAt(row int) (corpus.Period, corpus.Report, error) {
	if ix.lazy == nil {
		p := ix.passages[row]
		return p.Period, ix.reports[p.ReportID], nil
	}
	period, err := ix.lazy.period(row)
	if err != nil {
		return corpus.Period{}, corpus.Report{}, err
	}
	ids, err := ix.lazy.reportIDs()
	if err != nil {
		return corpus.Period{}, corpus.Report{}, err
	}
	return period, ix.reports[ids[ix.lazy.rowReport[row]]], nil
}

// FactCount is the number of facts in the index.
func (ix *Index) FactCount() int {
	n := 0
	for row := range ix.Len() {
		n += len(ix.factsAt(row))
	}
	return n
}
