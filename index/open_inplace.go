package index

import (
	"fmt"
	"io"
	"slices"

	"github.com/reportbot/reportbot/lexical"
)

// readInPlace reads the sections of a format 5 file after its manifest:
// the passages, the lexical index and the facts are read in place, in m
// (or, when the file is not mapped, in memory, each section read and
// verified whole), and the vectors and residuals as in format 4.
func (ix *Index) readInPlace(t *sectionTable, m *mapping) error {
	ps, err := placeSection(t, m, secPassages)
	if err != nil {
		return err
	}
	if m != nil {
		// Passages are read with pread (see preadSection); their facts,
		// which a figure question reads for every passage that has some
		// about its indicator, through the mapping.
		e, _ := t.lookup(secPassages)
		ps.rd = newPreadSection(m.file, e)
	}
	if ix.lazy, err = openPassages(ps); err != nil {
		return damagedSection(secPassages, err)
	}
	if err := ix.readVectorsAndResiduals(t, FormatVersion, m); err != nil {
		return err
	}
	ls, err := placeSection(t, m, secLexical)
	if err != nil {
		return err
	}
	var check func(lo, hi int64) error
	if ls.check != nil {
		check = ls.check.ensure
	}
	lex, err := lexical.DecodeFlat(ls.data, check, m)
	if err != nil {
		return damagedSection(secLexical, err)
	}
	if lex.Len() != ix.Len() {
		return damagedSection(secLexical, fmt.Errorf("%d documents for %d passages", lex.Len(), ix.Len()))
	}
	ix.lex = lex
	if _, ok := t.lookup(secFacts); ok {
		fs, err := placeSection(t, m, secFacts)
		if err != nil {
			return err
		}
		if ix.lazyFacts, err = openFacts(fs, ix.Len()); err != nil {
			return damagedSection(secFacts, err)
		}
		ix.factsLoaded = ix.lazyFacts != nil
	}
	if _, ok := t.lookup(secFactsIndex); ok && ix.factsLoaded {
		r, n, err := t.open(secFactsIndex)
		if err != nil {
			return err
		}
		if ix.byIndicator, err = readFactsIndex(r, n, ix.Len()); err != nil {
			return damagedSection(secFactsIndex, err)
		}
	}
	if !ix.factsLoaded {
		// Facts of other extraction rules are extracted again from the
		// passages, which are then read whole.
		if err := ix.materialize(); err != nil {
			return err
		}
	} else {
		ids, err := ix.lazy.reportIDs()
		if err != nil {
			return damagedSection(secPassages, err)
		}
		ix.reportOrd = make(map[string]int32, len(ids))
		for o, id := range ids {
			ix.reportOrd[id] = int32(o)
		}
		ix.rowReport = ix.lazy.rowReport
	}
	ix.indexPassages()
	return nil
}

// placeSection returns section name of a format 5 file to read in place:
// its bytes in m, verified as they are used, or, when m is nil, read and
// verified whole.
func placeSection(t *sectionTable, m *mapping, name string) (inPlace, error) {
	e, ok := t.lookup(name)
	if !ok {
		return inPlace{}, fmt.Errorf("%w: no %q section", ErrDamaged, name)
	}
	if m != nil {
		data := m.bytesOf(e)
		return inPlace{name: name, data: data, check: newLazyCheck(e, data), keep: m}, nil
	}
	r, n, err := t.open(name)
	if err != nil {
		return inPlace{}, err
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return inPlace{}, damagedSection(name, err)
	}
	return inPlace{name: name, data: data}, nil
}

// materialize reads every passage (and its facts) of an index read in
// place into memory, as an index built or read from an older format holds
// them: what Sync and Save work on.
func (ix *Index) materialize() error {
	if ix.lazy == nil {
		return nil
	}
	ps, err := ix.readAll()
	if err != nil {
		return err
	}
	ix.passages, ix.lazy, ix.lazyFacts = ps, nil, nil
	ix.rowReport = slices.Clone(ix.rowReport) // in memory, as the passages
	return nil
}

// readAll returns every passage of an index read in place, with its
// facts, after verifying their sections whole.
func (ix *Index) readAll() ([]Passage, error) {
	ps, err := ix.lazy.all()
	if err != nil {
		return nil, rebuildHint(err)
	}
	if f := ix.lazyFacts; f != nil {
		if err := f.s.check.all(); err != nil {
			return nil, rebuildHint(err)
		}
		own := *f
		own.s = inPlace{name: f.s.name, data: append([]byte(nil), f.s.data...)}
		for i := range ps {
			b, err := own.blob(i)
			if err != nil {
				return nil, rebuildHint(err)
			}
			ps[i].Facts = b
		}
	}
	return ps, nil
}

// Len is the number of passages.
func (ix *Index) Len() int {
	if ix.lazy != nil {
		return ix.lazy.n
	}
	return len(ix.passages)
}

// passageAt returns the passage of row i with its facts.
func (ix *Index) passageAt(i int) (Passage, error) {
	if ix.lazy == nil {
		if i < 0 || i >= len(ix.passages) {
			return Passage{}, fmt.Errorf("passage %d of %d", i, len(ix.passages))
		}
		return ix.passages[i], nil
	}
	p, err := ix.lazy.at(i)
	if err != nil {
		return Passage{}, rebuildHint(err)
	}
	if ix.lazyFacts != nil {
		b, err := ix.lazyFacts.blob(i)
		if err != nil {
			return Passage{}, rebuildHint(err)
		}
		if b != nil {
			p.Facts = append([]byte(nil), b...)
		}
	}
	return p, nil
}

// passageID returns the ID of the passage of row i.
func (ix *Index) passageID(i int) (string, error) {
	if ix.lazy == nil {
		return ix.passages[i].ID, nil
	}
	id, err := ix.lazy.id(i)
	if err != nil {
		return "", rebuildHint(err)
	}
	return id, nil
}
