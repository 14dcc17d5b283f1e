package index

import (
	"bytes"

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

// factsOfPassage reads the facts of passage p of report r (fact.Extract,
// with the passage's section period and the report's year).
func factsOfPassage(r corpus.Report, p corpus.Passage) []fact.Fact {
	return fact.Extract(p.Text, fact.Context{Year: p.Period.Year, Kind: p.Period.Kind, ReportYear: r.Year})
}

// indexFacts extracts the facts of every passage (unless they were read
// with it: factsLoaded) and builds the lookup by indicator.
//
// An index whose facts and their lookup were both read from its file
// (readSections: byIndicator set) keeps them as they are.
func (ix *Index) indexFacts() {
	if ix.factsLoaded && ix.byIndicator != nil {
		ix.factsLoaded = false
		return
	}
	ix.byIndicator = map[string][]int32{}
	add := func(row int, fs []fact.Fact) {
		for _, f := range fs {
			if f.Indicator == "" {
				continue
			}
			rows := ix.byIndicator[f.Indicator]
			if n := len(rows); n == 0 || rows[n-1] != int32(row) {
				ix.byIndicator[f.Indicator] = append(rows, int32(row))
			}
		}
	}
	loaded := ix.factsLoaded
	ix.factsLoaded = false
	var buf []byte
	for i := range ix.Len() {
		if loaded {
			add(i, ix.factsAt(i))
			continue
		}
		p := &ix.passages[i]
		p.Facts = nil
		fs := factsOfPassage(ix.reports[p.ReportID], p.Passage)
		if len(fs) == 0 {
			continue
		}
		buf = fact.AppendFacts(buf[:0], fs)
		p.Facts = bytes.Clone(buf) // exactly sized
		add(i, fs)
	}
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
