package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"

	"github.com/reportbot/reportbot/fact"
)

// The facts section: the extraction rules' version (fact.Version) as a
// length-prefixed string, the number of passages as a uvarint, then per
// passage the length of its encoded facts (fact.AppendFacts) as a uvarint
// and those bytes.

// maxFactsBlob bounds one passage's encoded facts (a damaged length must
// not allocate gigabytes).
const maxFactsBlob = 16 << 20

// writeFacts writes the facts section of passages ps.
func writeFacts(w io.Writer, ps []Passage) error {
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(fact.Version)))
	buf = append(buf, fact.Version...)
	buf = binary.AppendUvarint(buf, uint64(len(ps)))
	if _, err := w.Write(buf); err != nil {
		return err
	}
	for _, p := range ps {
		blob := p.Facts
		buf = binary.AppendUvarint(buf[:0], uint64(len(blob)))
		if _, err := w.Write(buf); err != nil {
			return err
		}
		if _, err := w.Write(blob); err != nil {
			return err
		}
	}
	return nil
}

// readFacts reads a facts section of size bytes into the passages ps, each
// passage's facts still encoded (nil for none), and reports whether it
// did: facts of other extraction rules are not read (indexFacts extracts
// them again). Blobs are decoded when used; the section's checksums vouch
// for them.
func readFacts(r io.Reader, size int64, ps []Passage) (bool, error) {
	n := len(ps)
	br := bufio.NewReader(io.LimitReader(r, size))
	vlen, err := binary.ReadUvarint(br)
	if err != nil || vlen > 64 {
		return false, fmt.Errorf("facts version: %v", err)
	}
	v := make([]byte, vlen)
	if _, err := io.ReadFull(br, v); err != nil {
		return false, err
	}
	if string(v) != fact.Version {
		return false, nil // extracted again by indexFacts
	}
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return false, err
	}
	if count != uint64(n) {
		return false, fmt.Errorf("facts of %d passages for %d", count, n)
	}
	// The blobs share one buffer of the rest of the section (which holds
	// them and their lengths): one allocation, not one per passage.
	rest := make([]byte, size)
	k, err := io.ReadFull(br, rest)
	if err != io.ErrUnexpectedEOF && err != nil {
		return false, err
	}
	rest = rest[:k]
	blobs := make([][]byte, n)
	off := 0
	for i := range blobs {
		l, m := binary.Uvarint(rest[off:])
		if m <= 0 {
			return false, fmt.Errorf("passage %d: bad length of facts", i)
		}
		off += m
		if l > maxFactsBlob || l > uint64(len(rest)-off) {
			return false, fmt.Errorf("passage %d: %d bytes of facts", i, l)
		}
		if l == 0 {
			continue
		}
		blobs[i] = rest[off : off+int(l) : off+int(l)]
		off += int(l)
	}
	if off != len(rest) {
		return false, fmt.Errorf("%d bytes left over", len(rest)-off)
	}
	for i := range ps {
		ps[i].Facts = blobs[i]
	}
	return true, nil
}

// The facts-index section: the extraction rules' version as a
// length-prefixed string, the number of passages, the number of
// indicators, then per indicator (in byte order) its ID as a
// length-prefixed string, the number of its rows and the rows as
// increasing uvarint deltas (the first from 0).

// writeFactsIndex writes the facts-index section of an index of n
// passages whose lookup by indicator is byIndicator.
func writeFactsIndex(w io.Writer, n int, byIndicator map[string][]int32) error {
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(fact.Version)))
	buf = append(buf, fact.Version...)
	buf = binary.AppendUvarint(buf, uint64(n))
	buf = binary.AppendUvarint(buf, uint64(len(byIndicator)))
	for _, id := range slices.Sorted(maps.Keys(byIndicator)) {
		rows := byIndicator[id]
		buf = binary.AppendUvarint(buf, uint64(len(id)))
		buf = append(buf, id...)
		buf = binary.AppendUvarint(buf, uint64(len(rows)))
		prev := int32(0)
		for _, r := range rows {
			buf = binary.AppendUvarint(buf, uint64(r-prev))
			prev = r
		}
	}
	_, err := w.Write(buf)
	return err
}

// readFactsIndex reads a facts-index section of size bytes of an index of
// n passages. It returns nil (and indexFacts builds the lookup) when the
// section was written under other extraction rules.
func readFactsIndex(r io.Reader, size int64, n int) (map[string][]int32, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	off := 0
	bad := false
	uv := func(limit int) int {
		x, m := binary.Uvarint(data[off:])
		if m <= 0 || x > uint64(limit) {
			bad = true
			return 0
		}
		off += m
		return int(x)
	}
	str := func() string {
		l := uv(len(data) - off)
		if bad {
			return ""
		}
		s := string(data[off : off+l])
		off += l
		return s
	}
	if v := str(); bad || v != fact.Version {
		return nil, nil
	}
	if uv(math.MaxInt32) != n || bad {
		return nil, fmt.Errorf("facts index of another number of passages")
	}
	ids := uv(len(data))
	out := make(map[string][]int32, ids)
	for range ids {
		id := str()
		rows := make([]int32, 0, uv(len(data)-off))
		row := 0
		for range cap(rows) {
			row += uv(n)
			if bad || row >= n || (len(rows) > 0 && int32(row) <= rows[len(rows)-1]) {
				return nil, fmt.Errorf("facts index: bad rows of %q", id)
			}
			rows = append(rows, int32(row))
		}
		if bad {
			return nil, fmt.Errorf("facts index: bad entry")
		}
		out[id] = rows
	}
	if off != len(data) {
		return nil, fmt.Errorf("facts index: %d bytes left over", len(data)-off)
	}
	return out, nil
}
