package lexical

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/reportbot/reportbot/internal/binarray"
)

// The flat layout (index format 5) is searched where it lies, in a mapped
// file: every array has fixed-size entries and starts at a multiple of 8
// bytes of the section (the index file starts its sections at multiples
// of 8), so that opening reads a header and the document lengths, and a
// search touches the entries of its terms and their postings. Layout
// (u32/u64/f32: little endian):
//
//	"RBLEX5\0\0", u64 docs, u64 terms, u64 postings, u64 term bytes
//	docs × f32 document length                         (padded to 8)
//	terms × u32 end of each term in the term bytes     (padded to 8)
//	(terms+1) × u64 first posting of each term, then the number of postings
//	postings × u32 (document << 8 | term frequency)    (padded to 8)
//	the terms in byte order, concatenated
//
// Encode and Decode keep the varint layout of formats 2 to 4.

const flatMagic = "RBLEX5\x00\x00"

// flatHeader is the size of the flat layout's header.
const flatHeader = len(flatMagic) + 4*8

// flatData is what an Index decoded from the flat layout reads in place.
type flatData struct {
	data []byte
	// check verifies bytes lo to hi-1 of the section the first time they
	// are used (nil when data was verified as a whole).
	check func(lo, hi int64) error
	// keep holds what keeps data valid (the file's mapping) for as long
	// as the index is reachable.
	keep  any
	start []uint64
	// offsets of the arrays in data
	offEnds, offStart, offPost, offTerms int64
	err                                  atomic.Pointer[error]
}

// ok verifies bytes lo to hi-1, recording the first failure.
func (f *flatData) ok(lo, hi int64) bool {
	if f.check == nil || hi <= lo {
		return true
	}
	if err := f.check(lo, hi); err != nil {
		f.fail(err)
		return false
	}
	return true
}

func (f *flatData) fail(err error) { f.err.CompareAndSwap(nil, &err) }

// pad8 is the padding after n bytes to the next multiple of 8.
func pad8(n int64) int64 { return (8 - n%8) % 8 }

// EncodeFlat writes l to w in the flat layout. An index decoded from that
// layout writes its own bytes, after verifying all of them.
func (l *Index) EncodeFlat(w io.Writer) error {
	if f := l.flat; f != nil {
		if !f.ok(0, int64(len(f.data))) {
			return l.Err()
		}
		_, err := w.Write(f.data)
		return err
	}
	terms, nums := l.sortedTerms()
	return writeFlatLayout(w, flatLayout{
		docs:     len(l.docLen),
		terms:    terms,
		postings: func(t int) uint64 { return uint64(l.start[nums[t]+1] - l.start[nums[t]]) },
		writeDocLens: func(w io.Writer) error {
			return binarray.WriteFloat32s(w, l.docLen)
		},
		writePostings: func(w io.Writer) error {
			for _, t := range nums {
				ps := l.backing[l.start[t]:l.start[t+1]]
				if err := binarray.WriteUint32s(w, unsafe.Slice((*uint32)(unsafe.SliceData(ps)), len(ps))); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// flatLayout is what writeFlatLayout writes: the index of docs documents
// whose terms, in byte order, are terms, term t having postings(t)
// postings; writeDocLens writes the documents' lengths and writePostings
// every term's postings, term after term.
type flatLayout struct {
	docs                        int
	terms                       []string
	postings                    func(t int) uint64
	writeDocLens, writePostings func(io.Writer) error
}

// writeFlatLayout writes the flat layout of f to w: the one writer of the
// layout's header, tables and padding, for an index in memory (EncodeFlat)
// and one merged from parts (mergeFlat).
func writeFlatLayout(w io.Writer, f flatLayout) error {
	var size, postings uint64
	for t, term := range f.terms {
		size += uint64(len(term))
		postings += f.postings(t)
	}
	if size > math.MaxUint32 {
		return fmt.Errorf("lexical index: %d bytes of terms, at most %d", size, uint64(math.MaxUint32))
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.Write(appendU64s([]byte(flatMagic), uint64(f.docs), uint64(len(f.terms)), postings, size))
	var zero [8]byte
	if err := f.writeDocLens(bw); err != nil {
		return err
	}
	bw.Write(zero[:pad8(4*int64(f.docs))])
	buf := make([]byte, 0, 64<<10)
	flush := func(force bool) {
		if force || len(buf) >= 60<<10 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	end := uint32(0)
	for _, t := range f.terms {
		end += uint32(len(t))
		buf = binary.LittleEndian.AppendUint32(buf, end)
		flush(false)
	}
	flush(true)
	bw.Write(zero[:pad8(4*int64(len(f.terms)))])
	first := uint64(0)
	for t := range f.terms {
		buf = binary.LittleEndian.AppendUint64(buf, first)
		first += f.postings(t)
		flush(false)
	}
	buf = binary.LittleEndian.AppendUint64(buf, first)
	flush(true)
	if err := f.writePostings(bw); err != nil {
		return err
	}
	bw.Write(zero[:pad8(4*int64(postings))])
	for _, t := range f.terms {
		bw.WriteString(t)
	}
	return bw.Flush()
}

// DecodeFlat returns the index EncodeFlat wrote into data, reading it in
// place: data must stay unchanged while the index is used. check, when
// not nil, verifies bytes lo to hi-1 of data before they are first used
// (DecodeFlat verifies the header and the document lengths; searches
// verify the entries and postings of their terms), and a failure makes
// the search that met it find nothing for that term and Err return it.
// keep is held by the index for as long as it is reachable (the mapping
// that holds data, whose release is tied to it).
func DecodeFlat(data []byte, check func(lo, hi int64) error, keep any) (*Index, error) {
	f := &flatData{data: data, check: check, keep: keep}
	if len(data) < flatHeader || string(data[:len(flatMagic)]) != flatMagic {
		return nil, fmt.Errorf("%w: not the flat layout", errLexical)
	}
	if !f.ok(0, int64(flatHeader)) {
		return nil, *f.err.Load()
	}
	var v [4]uint64
	for i := range v {
		v[i] = binary.LittleEndian.Uint64(data[len(flatMagic)+8*i:])
	}
	docs, nTerms, nPost, nBytes := v[0], v[1], v[2], v[3]
	size := uint64(len(data))
	if docs > maxLexicalDocs || nTerms > size/4 || nPost > size/4 || nBytes > size || nBytes > math.MaxUint32 {
		return nil, fmt.Errorf("%w: header: %d documents, %d terms, %d postings, %d bytes of terms in %d bytes", errLexical, docs, nTerms, nPost, nBytes, size)
	}
	at := int64(flatHeader)
	next := func(n int64) int64 { o := at; at += n + pad8(n); return o }
	offDocs := next(4 * int64(docs))
	f.offEnds = next(4 * int64(nTerms))
	f.offStart = next(8 * int64(nTerms+1))
	f.offPost = next(4 * int64(nPost))
	f.offTerms = at
	at += int64(nBytes)
	if at != int64(size) {
		return nil, fmt.Errorf("%w: %d bytes for a layout of %d", errLexical, size, at)
	}
	if !f.ok(offDocs, f.offEnds) || !f.ok(f.offStart+8*int64(nTerms), f.offStart+8*int64(nTerms+1)) {
		return nil, *f.err.Load()
	}
	l := &Index{flat: f}
	l.docLen = binarray.Float32s(data[offDocs : offDocs+4*int64(docs)])
	l.ends = binarray.Uint32s(data[f.offEnds : f.offEnds+4*int64(nTerms)])
	f.start = binarray.Uint64s(data[f.offStart : f.offStart+8*int64(nTerms+1)])
	u := binarray.Uint32s(data[f.offPost : f.offPost+4*int64(nPost)])
	if len(u) > 0 {
		l.backing = unsafe.Slice((*posting)(unsafe.SliceData(u)), len(u))
	}
	if nBytes > 0 {
		l.terms = unsafe.String(&data[f.offTerms], int(nBytes))
	}
	if f.start[nTerms] != nPost {
		return nil, fmt.Errorf("%w: the term table counts %d postings of %d", errLexical, f.start[nTerms], nPost)
	}
	var total float64
	for _, d := range l.docLen {
		total += float64(d)
	}
	if docs > 0 {
		l.avgLen = total / float64(docs)
	}
	l.prepare()
	return l, nil
}

// Err returns the first damage a search found in an index decoded in place
// (DecodeFlat): a block that did not match its checksum, or entries that
// do not hold together. Searches that met it found nothing for the terms
// concerned; nil when there was none.
func (l *Index) Err() error {
	if l.flat == nil {
		return nil
	}
	if e := l.flat.err.Load(); e != nil {
		return *e
	}
	return nil
}

// flatTerm is decodedTerm for an index read in place.
func (l *Index) flatTerm(t int) string {
	f := l.flat
	if !f.ok(f.offEnds+4*int64(max(t-1, 0)), f.offEnds+4*int64(t+1)) {
		return ""
	}
	from := uint32(0)
	if t > 0 {
		from = l.ends[t-1]
	}
	to := l.ends[t]
	if from > to || int(to) > len(l.terms) {
		f.fail(fmt.Errorf("%w: term %d ends at %d, after %d", errLexical, t, to, from))
		return ""
	}
	if !f.ok(f.offTerms+int64(from), f.offTerms+int64(to)) {
		return ""
	}
	return l.terms[from:to]
}

// flatSpan is span for an index read in place; postings says whether the
// postings are to be read (and verified), not only counted.
func (l *Index) flatSpan(t int, postings bool) (int, int) {
	f := l.flat
	if !f.ok(f.offStart+8*int64(t), f.offStart+8*int64(t+2)) {
		return 0, 0
	}
	lo, hi := f.start[t], f.start[t+1]
	if lo > hi || hi > uint64(len(l.backing)) {
		f.fail(fmt.Errorf("%w: postings %d to %d of term %d, of %d", errLexical, lo, hi, t, len(l.backing)))
		return 0, 0
	}
	if postings && !f.ok(f.offPost+4*int64(lo), f.offPost+4*int64(hi)) {
		return 0, 0
	}
	return int(lo), int(hi)
}

// Check verifies every byte of an index read in place and that its
// entries hold together, as Decode checks the varint layout: terms in
// byte order, postings in their bounds, every posting's document one of
// the index's. It returns nil for an index built or decoded in memory.
func (l *Index) Check() error {
	f := l.flat
	if f == nil {
		return nil
	}
	if !f.ok(0, int64(len(f.data))) {
		return l.Err()
	}
	prev := ""
	for t := range l.ends {
		term := l.flatTerm(t)
		if err := l.Err(); err != nil {
			return err
		}
		if t > 0 && term <= prev {
			return fmt.Errorf("%w: terms out of order at %q", errLexical, term)
		}
		prev = term
		lo, hi := l.flatSpan(t, true)
		if err := l.Err(); err != nil {
			return err
		}
		for _, p := range l.backing[lo:hi] {
			if int(p.doc()) >= len(l.docLen) {
				return fmt.Errorf("%w: postings of %q name document %d of %d", errLexical, term, p.doc(), len(l.docLen))
			}
		}
	}
	return nil
}
