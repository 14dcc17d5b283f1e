package index

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The index file, format 3, is a magic line, the sections one after
// another, a section table and a fixed-size trailer:
//
//	"REPORTBOT-INDEX 3\n"
//	section bytes ... (each at the offset its table entry gives)
//	table: n count, then per section: n name length, name, 1 byte flags,
//	  n offset, n length, n block size, n blocks, blocks × u32 CRC-32C
//	trailer: u64 table offset, u32 table length, u32 CRC-32C of the
//	  table, "RBX3END\n"
//
// (n: unsigned varint, u32/u64: little endian.) Every section carries one
// CRC-32C (Castagnoli) per block of checksumBlock bytes, so that a reader
// that maps the file can verify a block when it first touches it; today's
// reader reads each section through a checkedReader, which verifies every
// block as it goes by. Sections are found by name: a reader skips an
// unknown section unless its flags say it is required, in which case the
// file is of a newer layout than it understands. Adding a section is one
// entry in Save's list and one lookup in Open.

// FormatVersion is the index file format Save writes. Open also reads
// formats 1 and 2 (without checksums); such an index is written in this
// format by its next Save.
//
// Format 4 is format 3 with one more required section, the vectors'
// residuals (see vecIndex), checksummed by blocks of residualBlock bytes
// so that re-scoring a candidate verifies a few KiB; it is opened by
// mapping the file (see Open). A format 3 file is read as format 4 with
// every residual zero, and rewritten in format 4 by its next Save.
//
// Format 5 keeps the sections of format 4 and lays out the passages, the
// lexical index and the facts so that they are read in place from the
// mapped file (passages_flat.go, facts_flat.go, lexical.DecodeFlat), each
// section starting at a multiple of 8 bytes: opening reads headers, the
// passages' report ordinals and the document lengths, and a search
// touches the entries it uses. A format 3 or 4 file is read into memory
// as before and rewritten in format 5 by its next Save.
const FormatVersion = 5

const (
	indexMagicPrefix = "REPORTBOT-INDEX "
	indexMagic       = "REPORTBOT-INDEX 5\n"
	indexMagicV2     = "REPORTBOT-INDEX 2\n"
	indexMagicV1     = "REPORTBOT-INDEX 1\n"
	trailerMagic     = "RBX3END\n"
	trailerSize      = 8 + 4 + 4 + len(trailerMagic)
)

// checksumBlock is the span of one section checksum: 1 MiB, small enough
// that a mapped reader verifies little more than it reads, large enough
// that the table stays small (about 700 checksums for a 700 MB file).
const checksumBlock = 1 << 20

// Section names of format 3.
const (
	secManifest = "manifest"
	secPassages = "passages"
	secVectors  = "vectors"
	secLexical  = "lexical"
	// secFacts is optional: the table of facts (facts_io.go). An index
	// without it, or with facts of other extraction rules, extracts them
	// again on open.
	secFacts = "facts"
	// secResiduals (format 4, required): per passage, dim int8
	// residuals of its vector, row by row (see vecIndex).
	secResiduals = "residuals"
	// secFactsIndex (optional) lists, per indicator, the rows whose facts
	// are about it (Index.byIndicator), so that opening does not decode
	// every passage's facts to build it (facts_io.go).
	secFactsIndex = "facts-index"
)

// residualBlock is the checksum block of the residuals section: 4 KiB,
// the page a re-scored row lies in, so that verifying a candidate's row
// the first time it is read costs a page, not a MiB.
const residualBlock = 4 << 10

// recordBlock is the checksum block of the sections read in place by
// record (format 5: passages, facts): a search decodes a few passages
// scattered over the file, and a figure question reads the facts (and
// passages) of every report that gives its indicator, so a block is the
// page a record lies in. With 1 MiB blocks, the first figure question
// at 1M passages verified most of the passages section (0.3 s of CRC and
// the section paged in); the table grows by 4 bytes per 4 KiB (0.1%).
const recordBlock = 4 << 10

// termBlock is the checksum block of the lexical section (format 5):
// finding a term probes about 20 entries of the term table by binary
// search, each in another part of it, and a term's postings are read
// whole. 64 KiB keeps the first lookups of a cold index from verifying
// 20 MiB of table, and the table to 4 bytes per 64 KiB.
const termBlock = 64 << 10

// sectionRequired is the flag of a section a reader must understand.
const sectionRequired = 1

// maxSections, maxSectionName and maxChecksumBlock bound what a damaged
// table can make a reader allocate.
const (
	maxSections      = 64
	maxSectionName   = 64
	maxChecksumBlock = 1 << 30
)

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// ErrDamaged is wrapped by the errors of Open, BuiltWith and Verify when the
// index file is damaged: truncated, a checksum that does not match, a
// section that does not decode. `reportbot index --rebuild` replaces it.
var ErrDamaged = errors.New("damaged index file")

// ErrNewerFormat is wrapped by the errors of Open, BuiltWith and Verify
// when the index file was written by a newer reportbot: a format version,
// or a required section, that this one does not know. It is never read as
// if it were understood.
var ErrNewerFormat = errors.New("index file of a newer format")

// sectionEntry is one row of the section table.
type sectionEntry struct {
	name     string
	required bool
	off      int64
	size     int64
	block    int64
	crcs     []uint32
}

// blocks is the number of checksum blocks a section of size bytes has.
func blocks(size, block int64) int64 { return (size + block - 1) / block }

// blockErr says which block of a section does not match its checksum.
type blockErr struct {
	section      string
	block, total int64
	start, end   int64 // byte range in the file
}

func (e *blockErr) Error() string {
	return fmt.Sprintf("section %q, block %d of %d (bytes %d to %d): checksum mismatch", e.section, e.block+1, e.total, e.start, e.end)
}

// sectionWriter writes the sections of a format 3 file through w, keeping
// the table as it goes.
type sectionWriter struct {
	w     *bufio.Writer
	off   int64
	block int64 // checksum block size
	table []sectionEntry
}

// section writes one section with write and records its entry. block,
// when not 0, is its checksum block instead of the writer's.
func (sw *sectionWriter) section(name string, required bool, block int64, write func(io.Writer) error) error {
	if block == 0 {
		block = sw.block
	}
	// Sections start at multiples of 8 bytes, so that the arrays of a
	// mapped section are aligned (format 5). The padding is in no section.
	if pad := pad8(sw.off); pad > 0 {
		if _, err := sw.w.Write(make([]byte, pad)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		sw.off += pad
	}
	cw := &crcWriter{w: sw.w, block: block}
	if err := write(cw); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cw.finish()
	sw.table = append(sw.table, sectionEntry{name: name, required: required, off: sw.off, size: cw.n, block: block, crcs: cw.crcs})
	sw.off += cw.n
	return nil
}

// finish writes the table and the trailer.
func (sw *sectionWriter) finish() error {
	var tab []byte
	tab = binary.AppendUvarint(tab, uint64(len(sw.table)))
	for _, e := range sw.table {
		tab = binary.AppendUvarint(tab, uint64(len(e.name)))
		tab = append(tab, e.name...)
		var flags byte
		if e.required {
			flags |= sectionRequired
		}
		tab = append(tab, flags)
		for _, x := range []int64{e.off, e.size, e.block, int64(len(e.crcs))} {
			tab = binary.AppendUvarint(tab, uint64(x))
		}
		for _, c := range e.crcs {
			tab = binary.LittleEndian.AppendUint32(tab, c)
		}
	}
	tr := binary.LittleEndian.AppendUint64(nil, uint64(sw.off))
	tr = binary.LittleEndian.AppendUint32(tr, uint32(len(tab)))
	tr = binary.LittleEndian.AppendUint32(tr, crc32.Checksum(tab, crc32c))
	tr = append(tr, trailerMagic...)
	if _, err := sw.w.Write(tab); err != nil {
		return err
	}
	if _, err := sw.w.Write(tr); err != nil {
		return err
	}
	return sw.w.Flush()
}

// crcWriter counts what passes through it and checksums it by block.
type crcWriter struct {
	w     io.Writer
	block int64
	n     int64
	cur   uint32 // CRC of the bytes of the current block so far
	crcs  []uint32
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	q := p[:n]
	for len(q) > 0 {
		room := c.block - c.n%c.block
		k := int(min(room, int64(len(q))))
		c.cur = crc32.Update(c.cur, crc32c, q[:k])
		c.n += int64(k)
		q = q[k:]
		if c.n%c.block == 0 {
			c.crcs = append(c.crcs, c.cur)
			c.cur = 0
		}
	}
	return n, err
}

// finish records the checksum of a last, partial block.
func (c *crcWriter) finish() {
	if c.n%c.block != 0 {
		c.crcs = append(c.crcs, c.cur)
		c.cur = 0
	}
}

// sectionTable is the table of a format 3 file.
type sectionTable struct {
	r       io.ReaderAt
	entries []sectionEntry
}

// readTable reads the trailer and the table of a format 3 file of size
// bytes and checks them: the table's checksum, and that every section
// lies between the magic and the table with one checksum per block. An
// unknown required section is an error wrapping ErrNewerFormat.
func readTable(r io.ReaderAt, size int64) (*sectionTable, error) {
	if size < int64(len(indexMagic)+trailerSize) {
		return nil, fmt.Errorf("%w: %d bytes, too short for a section table (truncated)", ErrDamaged, size)
	}
	tr := make([]byte, trailerSize)
	if _, err := r.ReadAt(tr, size-int64(trailerSize)); err != nil {
		return nil, fmt.Errorf("%w: trailer: %w", ErrDamaged, err)
	}
	if string(tr[16:]) != trailerMagic {
		return nil, fmt.Errorf("%w: no section table at the end (truncated or overwritten)", ErrDamaged)
	}
	tabOff := int64(binary.LittleEndian.Uint64(tr))
	tabLen := int64(binary.LittleEndian.Uint32(tr[8:]))
	if tabOff < int64(len(indexMagic)) || tabOff > size-int64(trailerSize) || tabLen != size-int64(trailerSize)-tabOff {
		return nil, fmt.Errorf("%w: section table at %d (%d bytes) does not fit a %d-byte file", ErrDamaged, tabOff, tabLen, size)
	}
	tab := make([]byte, tabLen)
	if _, err := r.ReadAt(tab, tabOff); err != nil {
		return nil, fmt.Errorf("%w: section table: %w", ErrDamaged, err)
	}
	if crc32.Checksum(tab, crc32c) != binary.LittleEndian.Uint32(tr[12:]) {
		return nil, fmt.Errorf("%w: section table: checksum mismatch", ErrDamaged)
	}
	entries, err := parseTable(tab, tabOff)
	if err != nil {
		return nil, fmt.Errorf("%w: section table: %w", ErrDamaged, err)
	}
	t := &sectionTable{r: r, entries: entries}
	for _, e := range entries {
		if e.required && !knownSection(e.name) {
			return nil, fmt.Errorf("%w: it has a required section %q that this reportbot does not know", ErrNewerFormat, e.name)
		}
	}
	return t, nil
}

// knownSection reports whether this reader understands a section.
func knownSection(name string) bool {
	switch name {
	case secManifest, secPassages, secVectors, secLexical, secFacts, secResiduals, secFactsIndex:
		return true
	}
	return false
}

// parseTable decodes a table that ends at file offset end.
func parseTable(tab []byte, end int64) ([]sectionEntry, error) {
	off := 0
	uv := func(limit uint64) (int64, error) {
		x, n := binary.Uvarint(tab[off:])
		if n <= 0 || x > limit {
			return 0, errors.New("bad number")
		}
		off += n
		return int64(x), nil
	}
	n, err := uv(maxSections)
	if err != nil {
		return nil, err
	}
	entries := make([]sectionEntry, 0, n)
	seen := map[string]bool{}
	for range n {
		var e sectionEntry
		l, err := uv(maxSectionName)
		if err != nil || off+int(l)+1 > len(tab) {
			return nil, errors.New("bad section name")
		}
		e.name = string(tab[off : off+int(l)])
		off += int(l)
		if seen[e.name] {
			return nil, fmt.Errorf("section %q twice", e.name)
		}
		seen[e.name] = true
		e.required = tab[off]&sectionRequired != 0
		off++
		var nb int64
		for _, p := range []*int64{&e.off, &e.size, &e.block, &nb} {
			if *p, err = uv(math.MaxInt64); err != nil {
				return nil, fmt.Errorf("section %q: %w", e.name, err)
			}
		}
		if e.off < int64(len(indexMagic)) || e.size > end-e.off || e.block <= 0 || e.block > maxChecksumBlock || nb != blocks(e.size, e.block) || nb > int64(len(tab)-off)/4 {
			return nil, fmt.Errorf("section %q: at %d, %d bytes in blocks of %d with %d checksums does not fit", e.name, e.off, e.size, e.block, nb)
		}
		e.crcs = make([]uint32, nb)
		for i := range e.crcs {
			e.crcs[i] = binary.LittleEndian.Uint32(tab[off:])
			off += 4
		}
		entries = append(entries, e)
	}
	if off != len(tab) {
		return nil, fmt.Errorf("%d bytes left over", len(tab)-off)
	}
	return entries, nil
}

// lookup returns the entry of section name.
func (t *sectionTable) lookup(name string) (sectionEntry, bool) {
	for _, e := range t.entries {
		if e.name == name {
			return e, true
		}
	}
	return sectionEntry{}, false
}

// open returns a reader of section name that verifies each block before
// handing out its bytes, and the section's length. A missing section is
// an error wrapping ErrDamaged.
func (t *sectionTable) open(name string) (io.Reader, int64, error) {
	e, ok := t.lookup(name)
	if !ok {
		return nil, 0, fmt.Errorf("%w: no %q section", ErrDamaged, name)
	}
	return &checkedReader{r: t.r, e: e}, e.size, nil
}

// verifyBlock checks block i of section e, held in data.
func (e sectionEntry) verifyBlock(i int64, data []byte) error {
	if crc32.Checksum(data, crc32c) != e.crcs[i] {
		start := e.off + i*e.block
		return fmt.Errorf("%w: %w", ErrDamaged, &blockErr{section: e.name, block: i, total: int64(len(e.crcs)), start: start, end: start + int64(len(data))})
	}
	return nil
}

// blockLen is the length of block i of section e.
func (e sectionEntry) blockLen(i int64) int64 { return min(e.block, e.size-i*e.block) }

// checkedReader reads one section, a block at a time, and hands out no
// byte of a block whose checksum does not match.
type checkedReader struct {
	r   io.ReaderAt
	e   sectionEntry
	pos int64  // next byte of the section to hand out
	buf []byte // the verified block holding pos, from bufAt
	at  int64
}

func (c *checkedReader) Read(p []byte) (int, error) {
	if c.pos >= c.e.size {
		return 0, io.EOF
	}
	if c.pos >= c.at && c.pos < c.at+int64(len(c.buf)) {
		n := copy(p, c.buf[c.pos-c.at:])
		c.pos += int64(n)
		return n, nil
	}
	i := c.pos / c.e.block
	bl := c.e.blockLen(i)
	if c.pos%c.e.block == 0 && int64(len(p)) >= bl {
		// The caller's buffer takes the whole block: verify it there.
		if err := c.fill(i, p[:bl]); err != nil {
			return 0, err
		}
		c.pos += bl
		return int(bl), nil
	}
	if c.buf == nil {
		c.buf = make([]byte, min(c.e.block, c.e.size))
	}
	c.buf = c.buf[:bl]
	if err := c.fill(i, c.buf); err != nil {
		c.buf = c.buf[:0]
		return 0, err
	}
	c.at = i * c.e.block
	n := copy(p, c.buf[c.pos-c.at:])
	c.pos += int64(n)
	return n, nil
}

// fill reads block i into dst and verifies it.
func (c *checkedReader) fill(i int64, dst []byte) error {
	if _, err := c.r.ReadAt(dst, c.e.off+i*c.e.block); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%w: section %q: %w", ErrDamaged, c.e.name, err)
	}
	return c.e.verifyBlock(i, dst)
}
