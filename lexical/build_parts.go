package lexical

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/reportbot/reportbot/internal/binarray"
)

// Writing an index in parts: the documents are cut into parts of
// consecutive documents, each part is built in memory as NewAppend builds
// an index and written in the flat layout to a temporary file, and the
// parts' files are merged, term by term in byte order, into the flat
// layout of the whole index: each term's postings are those of the parts
// in document order, with the parts' document numbers made the index's.
// The bytes are those EncodeFlat writes for the index built whole; the
// build holds one part's postings at a time, all parts in one array.

// flatPartDocs is the most documents WriteFlat builds at once: 2^17
// passages are about 30 million postings (120 MB) and their terms as
// numbers (termSeq, about 140 MB), where the million passages of
// reportbench's largest corpus were 923 MB of postings built whole (index
// peak RSS 3.5 GiB). With 2^18, before the terms were kept as numbers,
// the peak was 1.7-1.8 GiB; keeping them at 2^18 took it to 2.0-2.1 GiB
// (three runs), at 2^17 it is 1.77 GiB again (two runs, 2026-12-07).
// Fewer documents per part only add merge work: each part holds most of
// the corpus's frequent terms (2^16 held no less at its peak).
const flatPartDocs = 1 << 17

// WriteFlat writes the index of n documents that NewAppend would build
// (doc is called as there) to w in the flat layout, as EncodeFlat would
// write it. Above flatPartDocs documents it builds the index in parts,
// each written to a temporary file in dir (removed before WriteFlat
// returns), so that it never holds the postings of more than one part.
func WriteFlat(w io.Writer, dir string, n int, doc func(dst []byte, i int) []byte) error {
	return writeFlatParts(w, dir, n, flatPartDocs, runtime.GOMAXPROCS(0), doc)
}

// writeFlatParts is WriteFlat with parts of at most partDocs documents,
// each built on up to workers goroutines.
func writeFlatParts(w io.Writer, dir string, n, partDocs, workers int, doc func(dst []byte, i int) []byte) error {
	if n > maxLexicalDocs {
		return fmt.Errorf("lexical index: %d documents, at most %d", n, maxLexicalDocs)
	}
	mem := &buildMemory{} // the parts' postings and term sequences, one part at a time
	build := func(lo, hi int) *Index {
		return newFuncReuse(hi-lo, workers, minShardDocs, appendSource(func(dst []byte, i int) []byte { return doc(dst, lo+i) }), mem, hi-lo <= keepTermsDocs)
	}
	if n <= partDocs {
		return build(0, n).EncodeFlat(w)
	}
	var parts []*flatPart
	defer func() {
		for _, p := range parts {
			p.close()
		}
	}()
	for lo := 0; lo < n; lo += partDocs {
		hi := min(lo+partDocs, n)
		p, err := spillPart(dir, build(lo, hi), lo)
		if err != nil {
			return err
		}
		parts = append(parts, p)
	}
	return mergeFlat(w, n, parts)
}

// flatPart is one part of an index written in parts: its flat layout in
// a temporary file, whose term table is read into memory.
type flatPart struct {
	f       *os.File
	first   int // the index's number of the part's first document
	docs    int64
	offDocs int64 // where the document lengths lie in f
	offPost int64 // where the postings lie in f
	terms   []string
	start   []uint64 // per term, its first posting; then the number of postings
}

// spillPart writes l, the index of the documents from first on, to a
// temporary file in dir and reads back its term table.
func spillPart(dir string, l *Index, first int) (*flatPart, error) {
	f, err := os.CreateTemp(dir, "lexical-part-*")
	if err != nil {
		return nil, fmt.Errorf("lexical index: %w", err)
	}
	// Removed at once where the system allows (the open file stays
	// valid), so that a killed process leaves none behind; close removes
	// it elsewhere.
	_ = os.Remove(f.Name())
	p := &flatPart{f: f, first: first}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = l.EncodeFlat(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = p.readTable()
	}
	if err != nil {
		p.close()
		return nil, fmt.Errorf("lexical index: part from document %d: %w", first, err)
	}
	return p, nil
}

// readTable reads the part's header, terms and term table.
func (p *flatPart) readTable() error {
	head := make([]byte, flatHeader)
	if _, err := p.f.ReadAt(head, 0); err != nil {
		return err
	}
	var v [4]int64
	for i := range v {
		v[i] = int64(binary.LittleEndian.Uint64(head[len(flatMagic)+8*i:]))
	}
	docs, nTerms, nPost, nBytes := v[0], v[1], v[2], v[3]
	at := int64(flatHeader)
	next := func(n int64) int64 { o := at; at += n + pad8(n); return o }
	p.docs, p.offDocs = docs, next(4*docs)
	offEnds := next(4 * nTerms)
	offStart := next(8 * (nTerms + 1))
	p.offPost = next(4 * nPost)
	buf := make([]byte, 4*nTerms+8*(nTerms+1)+nBytes)
	ends, starts, text := buf[:4*nTerms], buf[4*nTerms:4*nTerms+8*(nTerms+1)], buf[4*nTerms+8*(nTerms+1):]
	for _, r := range []struct {
		b   []byte
		off int64
	}{{ends, offEnds}, {starts, offStart}, {text, at}} {
		if _, err := p.f.ReadAt(r.b, r.off); err != nil {
			return err
		}
	}
	all := string(text)
	p.terms = make([]string, nTerms)
	from := uint32(0)
	for t, end := range binarray.Uint32s(ends) {
		p.terms[t], from = all[from:end], end
	}
	p.start = binarray.Uint64s(starts)
	return nil
}

// close closes and removes the part's file.
func (p *flatPart) close() {
	p.f.Close()
	os.Remove(p.f.Name())
}

// mergeFlat writes the flat layout of the index of n documents whose
// parts, in document order, are parts.
func mergeFlat(w io.Writer, n int, parts []*flatPart) error {
	// The index's terms in byte order, and where each is in each part
	// (-1 where it is not).
	var terms []string
	var local [][]int32
	at := make([]int, len(parts))
	for {
		next, ok := "", false
		for i, p := range parts {
			if at[i] < len(p.terms) && (!ok || p.terms[at[i]] < next) {
				next, ok = p.terms[at[i]], true
			}
		}
		if !ok {
			break
		}
		in := make([]int32, len(parts))
		for i, p := range parts {
			in[i] = -1
			if at[i] < len(p.terms) && p.terms[at[i]] == next {
				in[i] = int32(at[i])
				at[i]++
			}
		}
		terms, local = append(terms, next), append(local, in)
	}
	count := func(t int) uint64 {
		c := uint64(0)
		for i, l := range local[t] {
			if l >= 0 {
				c += parts[i].start[l+1] - parts[i].start[l]
			}
		}
		return c
	}
	return writeFlatLayout(w, flatLayout{
		docs:     n,
		terms:    terms,
		postings: count,
		writeDocLens: func(w io.Writer) error {
			for _, p := range parts {
				if _, err := io.Copy(w, io.NewSectionReader(p.f, p.offDocs, 4*p.docs)); err != nil {
					return err
				}
			}
			return nil
		},
		writePostings: func(w io.Writer) error { return mergePostings(w, parts, local) },
	})
}

// mergePostings writes the postings of each term (local: where it is in
// each part), those of the parts in order, renumbering the parts'
// documents. Each part's postings are read once, in order.
func mergePostings(w io.Writer, parts []*flatPart, local [][]int32) error {
	readers := make([]*bufio.Reader, len(parts))
	for i, p := range parts {
		n := int64(p.start[len(p.start)-1])
		readers[i] = bufio.NewReaderSize(io.NewSectionReader(p.f, p.offPost, 4*n), 1<<20)
	}
	buf := make([]byte, 64<<10)
	for _, in := range local {
		for i, l := range in {
			if l < 0 {
				continue
			}
			p := parts[i]
			shift := uint32(p.first) << 8 // a posting is document << 8 | frequency
			for left := 4 * int(p.start[l+1]-p.start[l]); left > 0; {
				b := buf[:min(left, len(buf))]
				if _, err := io.ReadFull(readers[i], b); err != nil {
					return fmt.Errorf("lexical index: part from document %d: %w", p.first, err)
				}
				for k := 0; k < len(b); k += 4 {
					binary.LittleEndian.PutUint32(b[k:], binary.LittleEndian.Uint32(b[k:])+shift)
				}
				if _, err := w.Write(b); err != nil {
					return err
				}
				left -= len(b)
			}
		}
	}
	return nil
}

// appendU64s appends xs, little endian.
func appendU64s(b []byte, xs ...uint64) []byte {
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return b
}
