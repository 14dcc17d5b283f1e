package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

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
	blobs := make([][]byte, n)
	for i := range blobs {
		l, err := binary.ReadUvarint(br)
		if err != nil {
			return false, err
		}
		if l > maxFactsBlob {
			return false, fmt.Errorf("passage %d: %d bytes of facts", i, l)
		}
		if l == 0 {
			continue
		}
		blobs[i] = make([]byte, l)
		if _, err := io.ReadFull(br, blobs[i]); err != nil {
			return false, err
		}
	}
	for i := range ps {
		ps[i].Facts = blobs[i]
	}
	return true, nil
}
