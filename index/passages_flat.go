package index

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/internal/binarray"
)

// The passages section of format 5 is read in place: a search decodes the
// few passages it returns, and opening reads a header and the passages'
// report ordinals. Layout (u32/u64: little endian; n, z, s and i as in
// passages_io.go, i being an index into the string table):
//
//	"RBPAS5\0\0", u64 passages, u64 strings, u64 reports, u64 record bytes,
//	  u64 string bytes
//	passages × u32 report ordinal: the index of the passage's report ID in
//	  the string table, whose first entries are the report IDs in the
//	  order of their first passage                       (padded to 8)
//	passages × u64 period: the year (int32) in the low 32 bits, the index
//	  of its kind in the string table in the high 32 (a figure question
//	  reads the periods of every passage that has a fact about its
//	  indicator, and the records of those of the years asked)
//	(passages+1) × u64 where each passage's record starts, then the end
//	(strings+1) × u64 where each string starts, then the end
//	records: s ID, n Paragraph, n Part, n Parts, n headings, i each,
//	  z Period.Year, i Period.Kind, n Start, n End, s Text, s EmbedKey
//	strings, concatenated
const passagesMagic = "RBPAS5\x00\x00"

// writePassagesFlat writes ps in the layout above. Records are encoded
// twice, to size the offsets table and then to write them, so that the
// section streams out.
func writePassagesFlat(w io.Writer, ps []Passage) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	table := map[string]uint64{}
	var strs []string
	intern := func(s string) {
		if _, ok := table[s]; !ok {
			table[s] = uint64(len(strs))
			strs = append(strs, s)
		}
	}
	for _, p := range ps {
		intern(p.ReportID)
	}
	reports := len(strs)
	for _, p := range ps {
		intern(string(p.Period.Kind))
		for _, h := range p.HeadingPath {
			intern(h)
		}
	}
	var rec []byte
	recOffs := make([]uint64, 0, len(ps)+1)
	var recBytes uint64
	for _, p := range ps {
		rec = appendPassageRecord(rec[:0], p, table)
		recOffs = append(recOffs, recBytes)
		recBytes += uint64(len(rec))
	}
	recOffs = append(recOffs, recBytes)
	var strBytes uint64
	for _, s := range strs {
		strBytes += uint64(len(s))
	}
	buf := appendU64s([]byte(passagesMagic), uint64(len(ps)), uint64(len(strs)), uint64(reports), recBytes, strBytes)
	bw.Write(buf)
	buf = buf[:0]
	for _, p := range ps {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(table[p.ReportID]))
		if len(buf) >= 64<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	buf = append(buf, make([]byte, pad8(4*int64(len(ps))))...)
	for _, p := range ps {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(uint32(int32(p.Period.Year)))|table[string(p.Period.Kind)]<<32)
		if len(buf) >= 64<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	for _, o := range recOffs {
		buf = binary.LittleEndian.AppendUint64(buf, o)
		if len(buf) >= 64<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	at := uint64(0)
	for _, s := range strs {
		buf = binary.LittleEndian.AppendUint64(buf, at)
		at += uint64(len(s))
		if len(buf) >= 64<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	buf = binary.LittleEndian.AppendUint64(buf, at)
	bw.Write(buf)
	for _, p := range ps {
		rec = appendPassageRecord(rec[:0], p, table)
		bw.Write(rec)
	}
	for _, s := range strs {
		bw.WriteString(s)
	}
	return bw.Flush()
}

// appendPassageRecord appends p's record; table numbers its strings.
func appendPassageRecord(b []byte, p Passage, table map[string]uint64) []byte {
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	str(p.ID)
	for _, x := range []int{p.Paragraph, p.Part, p.Parts, len(p.HeadingPath)} {
		b = binary.AppendUvarint(b, uint64(x))
	}
	for _, h := range p.HeadingPath {
		b = binary.AppendUvarint(b, table[h])
	}
	b = binary.AppendVarint(b, int64(p.Period.Year))
	b = binary.AppendUvarint(b, table[string(p.Period.Kind)])
	b = binary.AppendUvarint(b, uint64(p.Start))
	b = binary.AppendUvarint(b, uint64(p.End))
	str(p.Text)
	str(p.EmbedKey)
	return b
}

// passageSection is the passages section of format 5, read in place.
type passageSection struct {
	s                                           inPlace
	n, strs, reports                            int
	recBytes, strBytes                          uint64
	offPeriod, offRec, offStr, offRecs, offStrs int64
	// rowReport is every passage's report ordinal, in place, checked at
	// open to be below reports.
	rowReport []int32
	// ids are the report IDs by ordinal, once read (reportIDs).
	ids []string
	// kinds caches the period kinds by string index (a handful).
	kindsMu sync.Mutex
	kinds   map[uint64]corpus.PeriodKind
}

// openPassages reads the header and the report ordinals of a passages
// section of format 5 and checks that its arrays fit.
func openPassages(s inPlace) (*passageSection, error) {
	v, err := s.header(passagesMagic, 5)
	if err != nil {
		return nil, err
	}
	size := uint64(len(s.data))
	if v[0] > size/4 || v[1] > size/8 || v[2] > v[1] || v[3] > size || v[4] > size {
		return nil, fmt.Errorf("%w: section %q: header: %d passages, %d strings, %d reports in %d bytes", ErrDamaged, s.name, v[0], v[1], v[2], size)
	}
	ps := &passageSection{s: s, n: int(v[0]), strs: int(v[1]), reports: int(v[2]), recBytes: v[3], strBytes: v[4]}
	offRow := int64(len(passagesMagic) + 5*8)
	ps.offPeriod = offRow + 4*int64(ps.n) + pad8(4*int64(ps.n))
	ps.offRec = ps.offPeriod + 8*int64(ps.n)
	ps.offStr = ps.offRec + 8*int64(ps.n+1)
	ps.offRecs = ps.offStr + 8*int64(ps.strs+1)
	ps.offStrs = ps.offRecs + int64(ps.recBytes)
	if end := ps.offStrs + int64(ps.strBytes); end != int64(size) {
		return nil, fmt.Errorf("%w: section %q: %d bytes for a layout of %d", ErrDamaged, s.name, size, end)
	}
	row, err := s.bytes(offRow, offRow+4*int64(ps.n))
	if err != nil {
		return nil, err
	}
	if u := binarray.Uint32s(row); len(u) > 0 {
		ps.rowReport = unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(u))), len(u))
	}
	for i, o := range ps.rowReport {
		if o < 0 || int(o) >= ps.reports {
			return nil, fmt.Errorf("%w: section %q: passage %d of report %d, of %d", ErrDamaged, s.name, i, o, ps.reports)
		}
	}
	return ps, nil
}

// str returns string j of the table, copied out of the section when copy
// is set and the section is mapped (a mapped file's strings must not
// outlive its mapping).
func (ps *passageSection) str(j uint64, copy bool) (string, error) {
	if j >= uint64(ps.strs) {
		return "", fmt.Errorf("%w: section %q: string %d of %d", ErrDamaged, ps.s.name, j, ps.strs)
	}
	lo, hi, err := ps.s.span(ps.offStr, int(j), ps.strBytes)
	if err != nil {
		return "", err
	}
	// The string table (report IDs, headings, kinds: a few percent of
	// the section) is read through the mapping: a passage names several
	// headings, and a read each cost more than the passage's record.
	b, err := ps.s.bytes(ps.offStrs+int64(lo), ps.offStrs+int64(hi))
	if err != nil {
		return "", err
	}
	return sectionString(b, copy && ps.s.keep != nil), nil
}

// sectionString is b as a string: a copy, or (share) b itself, for
// sections held in memory that is never written again.
func sectionString(b []byte, copy bool) string {
	if copy {
		return string(b)
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// reportIDs returns the report IDs by ordinal.
func (ps *passageSection) reportIDs() ([]string, error) {
	if ps.ids != nil {
		return ps.ids, nil
	}
	// The report IDs are the first strings: one read.
	ids := make([]string, ps.reports)
	if ps.reports > 0 {
		offs, err := ps.s.bytes(ps.offStr, ps.offStr+8*int64(ps.reports+1))
		if err != nil {
			return nil, err
		}
		at := func(j int) uint64 { return binary.LittleEndian.Uint64(offs[8*j:]) }
		lo, hi := at(0), at(ps.reports)
		if lo > hi || hi > ps.strBytes {
			return nil, fmt.Errorf("%w: section %q: report IDs at %d to %d of %d", ErrDamaged, ps.s.name, lo, hi, ps.strBytes)
		}
		b, _, err := ps.s.record(ps.offStrs+int64(lo), ps.offStrs+int64(hi))
		if err != nil {
			return nil, err
		}
		all := string(b) // one copy the IDs share
		for j := range ids {
			from, to := at(j)-lo, at(j+1)-lo
			if from > to || to > uint64(len(all)) {
				return nil, fmt.Errorf("%w: section %q: report ID %d", ErrDamaged, ps.s.name, j)
			}
			ids[j] = all[from:to]
		}
	}
	ps.ids = ids
	return ids, nil
}

// id returns the ID of passage i (copied), the first field of its record.
func (ps *passageSection) id(i int) (string, error) {
	if i < 0 || i >= ps.n {
		return "", fmt.Errorf("%w: section %q: passage %d of %d", ErrDamaged, ps.s.name, i, ps.n)
	}
	lo, hi, err := ps.s.span(ps.offRec, i, ps.recBytes)
	if err != nil {
		return "", err
	}
	rec, owned, err := ps.s.record(ps.offRecs+int64(lo), ps.offRecs+int64(hi))
	if err != nil {
		return "", err
	}
	_ = owned
	// Copied even from a read of its own: the ID outlives the read (the
	// lookup by ID keeps one for every passage), its block need not.
	d := recordDecoder{b: rec, copy: true}
	id := d.str()
	if d.bad {
		return "", fmt.Errorf("%w: section %q: passage %d does not decode", ErrDamaged, ps.s.name, i)
	}
	return id, nil
}

// period returns the period of passage i, from its column.
func (ps *passageSection) period(i int) (corpus.Period, error) {
	if i < 0 || i >= ps.n {
		return corpus.Period{}, fmt.Errorf("%w: section %q: passage %d of %d", ErrDamaged, ps.s.name, i, ps.n)
	}
	x, err := ps.s.u64(ps.offPeriod + 8*int64(i))
	if err != nil {
		return corpus.Period{}, err
	}
	kind, err := ps.kind(x >> 32)
	if err != nil {
		return corpus.Period{}, err
	}
	return corpus.Period{Year: int(int32(uint32(x))), Kind: kind}, nil
}

// kind returns the period kind that is string j, read once.
func (ps *passageSection) kind(j uint64) (corpus.PeriodKind, error) {
	ps.kindsMu.Lock()
	defer ps.kindsMu.Unlock()
	if k, ok := ps.kinds[j]; ok {
		return k, nil
	}
	s, err := ps.str(j, true)
	if err != nil {
		return "", err
	}
	if ps.kinds == nil {
		ps.kinds = map[uint64]corpus.PeriodKind{}
	}
	ps.kinds[j] = corpus.PeriodKind(s)
	return corpus.PeriodKind(s), nil
}

// at decodes passage i (strings copied; see str).
func (ps *passageSection) at(i int) (Passage, error) { return ps.decode(i, true) }

// decode decodes passage i, its strings copied when copy is set.
func (ps *passageSection) decode(i int, copy bool) (Passage, error) {
	if i < 0 || i >= ps.n {
		return Passage{}, fmt.Errorf("%w: section %q: passage %d of %d", ErrDamaged, ps.s.name, i, ps.n)
	}
	lo, hi, err := ps.s.span(ps.offRec, i, ps.recBytes)
	if err != nil {
		return Passage{}, err
	}
	rec, owned, err := ps.s.record(ps.offRecs+int64(lo), ps.offRecs+int64(hi))
	if err != nil {
		return Passage{}, err
	}
	d := recordDecoder{b: rec, copy: copy && !owned}
	var p Passage
	if ps.ids != nil {
		p.ReportID = ps.ids[ps.rowReport[i]]
	} else if p.ReportID, err = ps.str(uint64(ps.rowReport[i]), copy); err != nil {
		return Passage{}, err
	}
	p.ID = d.str()
	p.Paragraph, p.Part, p.Parts = int(d.uv()), int(d.uv()), int(d.uv())
	if h := d.uv(); h > 0 && h <= uint64(len(rec)) {
		p.HeadingPath = make([]string, h)
		for k := range p.HeadingPath {
			if p.HeadingPath[k], err = ps.str(d.uv(), copy); err != nil {
				return Passage{}, err
			}
		}
	} else if h > 0 {
		d.bad = true
	}
	y := d.v()
	kind, err := ps.str(d.uv(), copy)
	if err != nil {
		return Passage{}, err
	}
	p.Period = corpus.Period{Year: int(y), Kind: corpus.PeriodKind(kind)}
	p.Start, p.End = int(d.uv()), int(d.uv())
	p.Text = d.str()
	p.EmbedKey = d.str()
	if d.bad || d.off != len(rec) {
		return Passage{}, fmt.Errorf("%w: section %q: passage %d does not decode", ErrDamaged, ps.s.name, i)
	}
	return p, nil
}

// all decodes every passage after verifying the whole section; their
// strings share one copy of it.
func (ps *passageSection) all() ([]Passage, error) {
	if err := ps.s.check.all(); err != nil {
		return nil, err
	}
	own := &passageSection{s: inPlace{name: ps.s.name, data: bytes.Clone(ps.s.data)}, n: ps.n, strs: ps.strs, reports: ps.reports,
		recBytes: ps.recBytes, strBytes: ps.strBytes, offPeriod: ps.offPeriod, offRec: ps.offRec, offStr: ps.offStr,
		offRecs: ps.offRecs, offStrs: ps.offStrs, ids: ps.ids}
	row := binarray.Uint32s(own.s.data[len(passagesMagic)+5*8:][:4*ps.n])
	if len(row) > 0 {
		own.rowReport = unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(row))), len(row))
	}
	out := make([]Passage, ps.n)
	for i := range out {
		var err error
		if out[i], err = own.decode(i, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordDecoder reads the varints and strings of one passage record.
type recordDecoder struct {
	b    []byte
	off  int
	bad  bool
	copy bool
}

func (d *recordDecoder) uv() uint64 {
	x, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.off += n
	return x
}

func (d *recordDecoder) v() int64 {
	x, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.off += n
	return x
}

func (d *recordDecoder) str() string {
	n := d.uv()
	if d.bad || n > uint64(len(d.b)-d.off) {
		d.bad = true
		return ""
	}
	s := sectionString(d.b[d.off:d.off+int(n)], d.copy)
	d.off += int(n)
	return s
}
