package lexical

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/reportbot/reportbot/internal/binarray"
)

// Lexical indexes are saved with the index (see Index.Save) so that opening
// an index does not re-tokenize every passage. Layout (n: unsigned varint,
// u32/f32: little endian):
//
//	n docs, docs × f32 document length
//	n terms, n postings, n term bytes, the terms concatenated in byte order
//	terms × n term length, terms × n document frequency
//	postings × u32 (document << 8 | term frequency), term by term
//
// The postings are fixed-size so that reading them is a copy.

// Encode writes l to w in the layout above.
func (l *Index) Encode(w io.Writer) error {
	if err := l.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	uv(uint64(len(l.docLen)))
	for _, d := range l.docLen {
		bw.Write(binary.LittleEndian.AppendUint32(buf[:0], math.Float32bits(d)))
	}
	terms, nums := l.sortedTerms()
	size := 0
	for _, t := range terms {
		size += len(t)
	}
	uv(uint64(len(terms)))
	uv(uint64(len(l.backing)))
	uv(uint64(size))
	for _, t := range terms {
		bw.WriteString(t)
	}
	for _, t := range terms {
		uv(uint64(len(t)))
	}
	for _, t := range nums {
		lo, hi := l.span(t, false)
		uv(uint64(hi - lo))
	}
	for _, t := range nums {
		lo, hi := l.span(t, true)
		for _, p := range l.backing[lo:hi] {
			bw.Write(binary.LittleEndian.AppendUint32(buf[:0], uint32(p)))
		}
	}
	return bw.Flush()
}

// sortedTerms returns the terms in byte order and their numbers.
func (l *Index) sortedTerms() ([]string, []int) {
	if l.ids == nil {
		terms, nums := make([]string, len(l.ends)), make([]int, len(l.ends))
		for t := range terms {
			terms[t], nums[t] = l.decodedTerm(t), t
		}
		return terms, nums
	}
	nums := make([]int, len(l.ids.keys))
	for t := range nums {
		nums[t] = t
	}
	slices.SortFunc(nums, func(a, b int) int { return strings.Compare(l.ids.keys[a], l.ids.keys[b]) })
	terms := make([]string, len(nums))
	for i, t := range nums {
		terms[i] = l.ids.keys[t]
	}
	return terms, nums
}

// errLexical reports a damaged lexical section.
var errLexical = errors.New("bad lexical index")

// readLexical reads what Encode wrote; size is the section's length.
func Decode(r io.Reader, size int64) (*Index, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, size), 1<<20)
	var err error
	uv := func(limit uint64) int {
		if err != nil {
			return 0
		}
		var x uint64
		if x, err = binary.ReadUvarint(br); err == nil && x > limit {
			err = fmt.Errorf("%w: value %d over %d", errLexical, x, limit)
		}
		return int(x)
	}
	docs := uv(uint64(min(size/4, maxLexicalDocs)))
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", errLexical, err)
	}
	l := &Index{docLen: make([]float32, docs)}
	if err := binarray.ReadFloat32s(br, l.docLen); err != nil {
		return nil, fmt.Errorf("%w: document lengths: %w", errLexical, err)
	}
	var total float64
	for _, d := range l.docLen {
		total += float64(d)
	}
	if docs > 0 {
		l.avgLen = total / float64(docs)
	}
	nTerms := uv(uint64(size))
	nPost := uv(uint64(size / 4))
	nBytes := uv(uint64(size))
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", errLexical, err)
	}
	if nBytes > math.MaxUint32 {
		return nil, fmt.Errorf("%w: %d bytes of terms", errLexical, nBytes)
	}
	tb := make([]byte, nBytes)
	if _, err := io.ReadFull(br, tb); err != nil {
		return nil, fmt.Errorf("%w: terms: %w", errLexical, err)
	}
	all := string(tb)
	lens := make([]int, nTerms)
	for i := range lens {
		lens[i] = uv(uint64(nBytes))
	}
	dfs := make([]int, nTerms)
	for i := range dfs {
		dfs[i] = uv(uint64(docs))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: term table: %w", errLexical, err)
	}
	backing := make([]posting, nPost)
	if err := binarray.ReadUint32s(br, unsafe.Slice((*uint32)(unsafe.SliceData(backing)), len(backing))); err != nil {
		return nil, fmt.Errorf("%w: postings: %w", errLexical, err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the postings", errLexical)
	}
	l.terms, l.backing = all, backing
	l.ends, l.start = make([]uint32, nTerms), make([]int, nTerms+1)
	pos, at := 0, 0
	for i := range nTerms {
		if at+lens[i] > len(all) || pos+dfs[i] > len(backing) {
			return nil, fmt.Errorf("%w: term table", errLexical)
		}
		term := all[at : at+lens[i]]
		if i > 0 && term <= l.decodedTerm(i-1) {
			return nil, fmt.Errorf("%w: terms out of order at %q", errLexical, term)
		}
		at += lens[i]
		l.ends[i] = uint32(at)
		for _, p := range backing[pos : pos+dfs[i]] {
			if int(p.doc()) >= docs {
				return nil, fmt.Errorf("%w: postings of %q", errLexical, term)
			}
		}
		pos += dfs[i]
		l.start[i+1] = pos
	}
	if pos != len(backing) || at != len(all) {
		return nil, fmt.Errorf("%w: term table does not match the postings", errLexical)
	}
	l.prepare()
	return l, nil
}

// littleEndian is set when the machine stores numbers little-endian, as the
