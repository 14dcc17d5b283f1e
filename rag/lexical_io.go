package rag

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Lexical indexes are saved with the index (see Index.Save) so that opening
// an index does not re-tokenize every passage. Layout, all integers
// unsigned varints unless noted:
//
//	docs, docs × float32 (little endian) document length
//	terms, postings, term-bytes length, term bytes (all terms concatenated)
//	terms × term length, terms × document frequency
//	per term, per posting: document delta, term frequency

// writeTo writes l to w in the layout above, terms in byte order.
func (l *Lexical) writeTo(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	uv(uint64(len(l.docLen)))
	for _, d := range l.docLen {
		binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(d))
		bw.Write(buf[:4])
	}
	terms := sortedKeys(l.postings)
	total, size := 0, 0
	for _, t := range terms {
		total += len(l.postings[t])
		size += len(t)
	}
	uv(uint64(len(terms)))
	uv(uint64(total))
	uv(uint64(size))
	for _, t := range terms {
		bw.WriteString(t)
	}
	for _, t := range terms {
		uv(uint64(len(t)))
	}
	for _, t := range terms {
		uv(uint64(len(l.postings[t])))
	}
	for _, t := range terms {
		prev := int32(0)
		for _, p := range l.postings[t] {
			uv(uint64(p.doc - prev))
			uv(uint64(p.tf))
			prev = p.doc
		}
	}
	return bw.Flush()
}

// errLexical reports a damaged lexical section.
var errLexical = errors.New("bad lexical index")

// readLexical reads what writeTo wrote; data is the whole section.
func readLexical(data []byte) (*Lexical, error) {
	off := 0
	bad := false
	uv := func(limit uint64) int {
		x, n := binary.Uvarint(data[off:])
		if n <= 0 || x > limit {
			bad = true
			return 0
		}
		off += n
		return int(x)
	}
	rest := func() uint64 { return uint64(len(data) - off) }
	docs := uv(rest() / 4)
	if bad {
		return nil, fmt.Errorf("%w: header", errLexical)
	}
	l := &Lexical{docLen: make([]float32, docs)}
	var total float64
	for i := range l.docLen {
		l.docLen[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[off:]))
		off += 4
		total += float64(l.docLen[i])
	}
	if docs > 0 {
		l.avgLen = total / float64(docs)
	}
	nTerms := uv(rest())
	nPost := uv(rest() / 2)
	size := uv(rest())
	if bad {
		return nil, fmt.Errorf("%w: header", errLexical)
	}
	all := string(data[off : off+size])
	off += size
	lens := make([]int, nTerms)
	for i := range lens {
		lens[i] = uv(uint64(size))
	}
	dfs := make([]int, nTerms)
	for i := range dfs {
		dfs[i] = uv(uint64(docs))
	}
	if bad {
		return nil, fmt.Errorf("%w: terms", errLexical)
	}
	backing := make([]posting, nPost)
	l.postings = make(map[string][]posting, nTerms)
	pos, at := 0, 0
	for i := range nTerms {
		if at+lens[i] > len(all) || pos+dfs[i] > len(backing) {
			return nil, fmt.Errorf("%w: term table", errLexical)
		}
		term := all[at : at+lens[i]]
		at += lens[i]
		ps := backing[pos : pos+dfs[i] : pos+dfs[i]]
		pos += dfs[i]
		doc := 0
		for k := range ps {
			doc += uv(uint64(docs))
			tf := uv(math.MaxUint32)
			if bad || doc >= docs {
				return nil, fmt.Errorf("%w: postings of %q", errLexical, term)
			}
			ps[k] = posting{doc: int32(doc), tf: uint32(tf)}
		}
		l.postings[term] = ps
	}
	if pos != len(backing) || off != len(data) {
		return nil, fmt.Errorf("%w: %d bytes left over", errLexical, len(data)-off)
	}
	l.prepare()
	return l, nil
}

// equalLexical reports whether two lexical indexes hold the same data (for
// tests).
func equalLexical(a, b *Lexical) bool {
	if !slices.Equal(a.docLen, b.docLen) || len(a.postings) != len(b.postings) {
		return false
	}
	for t, ps := range a.postings {
		if !slices.Equal(ps, b.postings[t]) {
			return false
		}
	}
	return true
}
