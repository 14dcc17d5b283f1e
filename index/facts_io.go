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

// writeFacts writes the facts section; facts[i] are passage i's, encoded.
func writeFacts(w io.Writer, facts [][]byte) error {
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(fact.Version)))
	buf = append(buf, fact.Version...)
	buf = binary.AppendUvarint(buf, uint64(len(facts)))
	if _, err := w.Write(buf); err != nil {
		return err
	}
	for _, blob := range facts {
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

// readFacts reads a facts section of size bytes for n passages, each
// passage's facts still encoded (nil for none). Facts of other extraction
// rules read as nil: indexFacts extracts them again. Blobs are decoded when
// used; the section's checksums vouch for them.
func readFacts(r io.Reader, size int64, n int) ([][]byte, error) {
	br := bufio.NewReader(io.LimitReader(r, size))
	vlen, err := binary.ReadUvarint(br)
	if err != nil || vlen > 64 {
		return nil, fmt.Errorf("facts version: %v", err)
	}
	v := make([]byte, vlen)
	if _, err := io.ReadFull(br, v); err != nil {
		return nil, err
	}
	if string(v) != fact.Version {
		return nil, nil // extracted again by indexFacts
	}
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, err
	}
	if count != uint64(n) {
		return nil, fmt.Errorf("facts of %d passages for %d", count, n)
	}
	out := make([][]byte, n)
	for i := range out {
		l, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, err
		}
		if l > maxFactsBlob {
			return nil, fmt.Errorf("passage %d: %d bytes of facts", i, l)
		}
		if l == 0 {
			continue
		}
		out[i] = make([]byte, l)
		if _, err := io.ReadFull(br, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
