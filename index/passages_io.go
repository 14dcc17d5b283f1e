package index

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/reportbot/reportbot/corpus"
)

// Passages are saved in their own compact section rather than in the gob
// manifest: decoding 100k passages with gob was two thirds of opening an
// index. Layout (n: unsigned varint, z: signed varint, s: n length + bytes,
// i: n index into the string table):
//
//	n strings, the table (report ids, headings, period kinds): s each
//	n passages, each: s ID, i ReportID, n Paragraph, n Part, n Parts,
//	  n headings, i each, z Period.Year, i Period.Kind, n Start, n End,
//	  s Text, s EmbedKey
//
// Reading makes every string a substring of the section, so a passage costs
// no allocation beyond its heading path. TestPassageCodecFields fails when
// corpus.Passage or StoredPassage gains a field this codec does not save.

// writePassages writes ps in the layout above.
func writePassages(w io.Writer, ps []Passage) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	str := func(s string) { uv(uint64(len(s))); bw.WriteString(s) }
	table := map[string]int{}
	var strs []string
	intern := func(s string) {
		if _, ok := table[s]; !ok {
			table[s] = len(strs)
			strs = append(strs, s)
		}
	}
	for _, p := range ps {
		intern(p.ReportID)
		intern(string(p.Period.Kind))
		for _, h := range p.HeadingPath {
			intern(h)
		}
	}
	uv(uint64(len(strs)))
	for _, s := range strs {
		str(s)
	}
	uv(uint64(len(ps)))
	for _, p := range ps {
		str(p.ID)
		uv(uint64(table[p.ReportID]))
		uv(uint64(p.Paragraph))
		uv(uint64(p.Part))
		uv(uint64(p.Parts))
		uv(uint64(len(p.HeadingPath)))
		for _, h := range p.HeadingPath {
			uv(uint64(table[h]))
		}
		bw.Write(buf[:binary.PutVarint(buf[:], int64(p.Period.Year))])
		uv(uint64(table[string(p.Period.Kind)]))
		uv(uint64(p.Start))
		uv(uint64(p.End))
		str(p.Text)
		str(p.EmbedKey)
	}
	return bw.Flush()
}

var errPassages = errors.New("bad passage list")

// readPassages reads what writePassages wrote; size is the section's length.
func readPassages(r io.Reader, size int64) ([]Passage, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	// data is never written again: its strings can share it.
	blob := unsafe.String(unsafe.SliceData(data), len(data))
	off := 0
	bad := false
	uv := func() int {
		x, n := binary.Uvarint(data[off:])
		if n <= 0 || x > uint64(len(data)) {
			bad = true
			return 0
		}
		off += n
		return int(x)
	}
	str := func() string {
		n := uv()
		if bad || off+n > len(data) {
			bad = true
			return ""
		}
		s := blob[off : off+n]
		off += n
		return s
	}
	strs := make([]string, uv())
	for i := range strs {
		strs[i] = str()
	}
	idx := func() string {
		i := uv()
		if i >= len(strs) {
			bad = true
			return ""
		}
		return strs[i]
	}
	n := uv()
	if bad || n > len(data) {
		return nil, fmt.Errorf("%w: header", errPassages)
	}
	ps := make([]Passage, n)
	for i := range ps {
		p := &ps[i]
		p.ID = str()
		p.ReportID = idx()
		p.Paragraph, p.Part, p.Parts = uv(), uv(), uv()
		if h := uv(); h > 0 && !bad {
			p.HeadingPath = make([]string, min(h, len(data)-off))
			for k := range p.HeadingPath {
				p.HeadingPath[k] = idx()
			}
		}
		y, m := binary.Varint(data[off:])
		if m <= 0 {
			bad = true
		} else {
			off += m
		}
		p.Period = corpus.Period{Year: int(y), Kind: corpus.PeriodKind(idx())}
		p.Start, p.End = uv(), uv()
		p.Text = str()
		p.EmbedKey = str()
		if bad {
			return nil, fmt.Errorf("%w: passage %d", errPassages, i)
		}
	}
	if off != len(data) {
		return nil, fmt.Errorf("%w: %d bytes left over", errPassages, len(data)-off)
	}
	return ps, nil
}
