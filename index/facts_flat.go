package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/reportbot/reportbot/fact"
)

// The facts section of format 5 is read in place, a passage's facts when
// a question asks for them. Layout (u64: little endian):
//
//	"RBFAC5\0\0", u64 version length, u64 passages
//	the extraction rules' version (fact.Version)      (padded to 8)
//	(passages+1) × u64 where each passage's facts start, then the end
//	the passages' facts (fact.AppendFacts), one after another
const factsMagic = "RBFAC5\x00\x00"

// writeFactsFlat writes the facts of passages ps in the layout above.
func writeFactsFlat(w io.Writer, ps []Passage) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	buf := appendU64s([]byte(factsMagic), uint64(len(fact.Version)), uint64(len(ps)))
	buf = append(buf, fact.Version...)
	buf = append(buf, make([]byte, pad8(int64(len(fact.Version))))...)
	at := uint64(0)
	for _, p := range ps {
		buf = binary.LittleEndian.AppendUint64(buf, at)
		at += uint64(len(p.Facts))
		if len(buf) >= 64<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	bw.Write(binary.LittleEndian.AppendUint64(buf, at))
	for _, p := range ps {
		bw.Write(p.Facts)
	}
	return bw.Flush()
}

// factsSection is the facts section of format 5, read in place.
type factsSection struct {
	s            inPlace
	n            int
	offOffs, off int64 // the offsets table, the facts
	size         uint64
}

// openFacts reads the header of a facts section of format 5 for n
// passages. It returns nil when the facts were extracted under other
// rules (indexFacts extracts them again).
func openFacts(s inPlace, n int) (*factsSection, error) {
	v, err := s.header(factsMagic, 2)
	if err != nil {
		return nil, err
	}
	if v[0] > 64 || v[1] != uint64(n) {
		return nil, fmt.Errorf("%w: section %q: facts of %d passages for %d", ErrDamaged, s.name, v[1], n)
	}
	at := int64(len(factsMagic) + 2*8)
	ver, err := s.bytes(at, at+int64(v[0]))
	if err != nil {
		return nil, err
	}
	if string(ver) != fact.Version {
		return nil, nil
	}
	f := &factsSection{s: s, n: n, offOffs: at + int64(v[0]) + pad8(int64(v[0]))}
	f.off = f.offOffs + 8*int64(n+1)
	if f.off > int64(len(s.data)) {
		return nil, fmt.Errorf("%w: section %q: %d bytes, too short for %d passages", ErrDamaged, s.name, len(s.data), n)
	}
	f.size = uint64(int64(len(s.data)) - f.off)
	last, err := s.u64(f.offOffs + 8*int64(n))
	if err != nil {
		return nil, err
	}
	if last != f.size {
		return nil, fmt.Errorf("%w: section %q: facts end at %d of %d", ErrDamaged, s.name, last, f.size)
	}
	return f, nil
}

// blob returns the encoded facts of passage row (nil for none), in place.
func (f *factsSection) blob(row int) ([]byte, error) {
	if row < 0 || row >= f.n {
		return nil, nil
	}
	lo, hi, err := f.s.span(f.offOffs, row, f.size)
	if err != nil || lo == hi {
		return nil, err
	}
	b, _, err := f.s.record(f.off+int64(lo), f.off+int64(hi))
	return b, err
}
