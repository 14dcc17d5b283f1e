package index

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/internal/binarray"
	"github.com/reportbot/reportbot/lexical"
)

// IndexFile is the name of the index inside a data directory.
const IndexFile = "index.rbx"

// ErrNoIndex is returned by Open when the data directory holds no index.
var ErrNoIndex = errors.New("no index")

type manifest struct {
	EmbedderID string
	Dim        int
	Reports    []corpus.Report
	Passages   []Passage // format 1 only; later formats have a passage section
	// Source is the corpus state the index was last saved after syncing
	// from (JSON; see Index.SetSource), empty when unknown. Readers before
	// format 5 ignore it.
	Source []byte
}

// Save writes the index to dir/index.rbx crash-safely: it writes a temporary
// file in dir, syncs it, renames it over the old index and syncs dir, so a
// crash leaves either the old or the new index, never a torn one. A
// temporary file left by a process killed while saving is removed by the
// next holder of the data directory's write lock (see LockWrite).
//
// The file is in format FormatVersion (see sections.go): the gob manifest
// (embedder, report metadata); the passages (see passages_io.go); the
// vectors as the search matrix holds them (one little-endian float32 scale
// per passage, then int8 components in column-major order: dimension by
// dimension, passages in order); the lexical index (see lexical_io.go);
// the facts and their lookup by indicator (facts_io.go); and the vectors'
// residuals, row by row (see vecIndex); each checksummed by block. Raw vectors replaced chromem-go's gob export,
// whose decoding dominated start-up at scale, and the lexical index is
// saved so that opening does not re-tokenize every passage.
func (ix *Index) Save(dir string) error { return ix.backend.save(ix, dir) }

// saveLocal is Save for an index whose vectors live in its own file.
func (ix *Index) saveLocal(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	// Vectors still in a mapped file are verified before they are copied
	// under new checksums, which would hide damage.
	if err := ix.vec.verifyAll(); err != nil {
		return fmt.Errorf("save index: %w", rebuildHint(err))
	}
	ps, err := ix.Passages()
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	m := ix.manifest()
	tmp, err := os.CreateTemp(dir, IndexFile+tempInfix+"*")
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	werr := tmp.Chmod(0o644)
	if werr == nil {
		werr = writeSections(&writeBehind{f: tmp}, ix.copySpills(indexSections(m, ps, ix.vec, ix.lex, ix.byIndicator)))
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("save index: write %s: %w", tmp.Name(), werr)
	}
	final := filepath.Join(dir, IndexFile)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: makes the rename durable on POSIX filesystems
		d.Close()
	}
	ix.format = FormatVersion
	return nil
}

// manifest is the manifest Save writes: embedder and report metadata.
func (ix *Index) manifest() *manifest {
	m := &manifest{EmbedderID: ix.embedderID, Dim: ix.dim, Source: ix.source}
	for _, id := range slices.Sorted(maps.Keys(ix.reports)) {
		m.Reports = append(m.Reports, ix.reports[id])
	}
	return m
}

// indexSection is one section Save writes.
type indexSection struct {
	name     string
	required bool  // a reader that does not know it must not use the file
	block    int64 // checksum block, 0 for the file's
	write    func(io.Writer) error
}

// indexSections are the sections Save writes, in order. A new section is
// one more entry here (optional unless a reader that does not know it
// would misread the file) and one lookup in readSections.
func indexSections(m *manifest, ps []Passage, vecs *vecIndex, lex *lexical.Index, byIndicator map[string][]int32) []indexSection {
	return []indexSection{
		{secManifest, true, 0, func(w io.Writer) error { return gob.NewEncoder(w).Encode(m) }},
		{secPassages, true, recordBlock, func(w io.Writer) error { return writePassagesFlat(w, ps) }},
		{secVectors, true, 0, func(w io.Writer) error {
			if err := binarray.WriteFloat32s(w, vecs.scale); err != nil {
				return err
			}
			_, err := w.Write(binarray.Int8Bytes(vecs.data))
			return err
		}},
		{secLexical, true, termBlock, lex.EncodeFlat},
		{secFacts, false, recordBlock, func(w io.Writer) error { return writeFactsFlat(w, ps) }},
		{secResiduals, true, residualBlock, vecs.writeResiduals},
		{secFactsIndex, false, 0, func(w io.Writer) error { return writeFactsIndex(w, len(ps), byIndicator) }},
	}
}

// writeIndex streams the index file to w, section by section, so that
// saving holds no second copy of the index in memory.
func writeIndex(w io.Writer, m *manifest, ps []Passage, vecs *vecIndex, lex *lexical.Index, byIndicator map[string][]int32) error {
	return writeSections(w, indexSections(m, ps, vecs, lex, byIndicator))
}

// writeSections writes a format 3 file of sections to w, checksummed
// by blocks of checksumBlock bytes.
func writeSections(w io.Writer, sections []indexSection) error {
	return writeSectionsBlock(w, sections, checksumBlock)
}

// writeSectionsBlock is writeSections with checksums by blocks of block
// bytes (tests use small ones).
func writeSectionsBlock(w io.Writer, sections []indexSection, block int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(indexMagic); err != nil {
		return err
	}
	sw := &sectionWriter{w: bw, off: int64(len(indexMagic)), block: block}
	for _, s := range sections {
		if err := sw.section(s.name, s.required, s.block, s.write); err != nil {
			return err
		}
	}
	return sw.finish()
}

// FileFormat is the format version of the file the index was opened from
// (1 to FormatVersion), FormatVersion once it is saved, 0 for an index
// that was never saved or opened. An index of an older format is
// rewritten in FormatVersion by its next Save.
func (ix *Index) FileFormat() int { return ix.format }

// Open loads the index saved in dir without re-embedding anything. It
// returns an error wrapping ErrNoIndex when there is none, one wrapping
// ErrEmbedderMismatch when it was built by another embedder than emb, one
// wrapping ErrDamaged (naming the section, and the command that rebuilds
// it) when the file is damaged, and one wrapping ErrNewerFormat when a
// newer reportbot wrote it. Every byte read is checked against the
// section's checksums (format 3).
func Open(dir string, emb embed.Embedder) (*Index, error) {
	ix, err := readIndexFile(filepath.Join(dir, IndexFile), emb)
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// fileFormat reads the magic line of an index file and returns its format
// version. An index of a format above FormatVersion is an error wrapping
// ErrNewerFormat; a file that is not an index one wrapping ErrDamaged.
func fileFormat(r io.ReaderAt) (int, error) {
	head := make([]byte, len(indexMagic)+4)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	rest, ok := bytes.CutPrefix(head, []byte(indexMagicPrefix))
	digits, _, nl := bytes.Cut(rest, []byte("\n"))
	v, err := strconv.Atoi(string(digits))
	if !ok || !nl || err != nil || v < 1 {
		return 0, fmt.Errorf("%w: not a reportbot index (bad header)", ErrDamaged)
	}
	if v > FormatVersion {
		return v, fmt.Errorf("%w: format %d, and this reportbot reads formats 1 to %d", ErrNewerFormat, v, FormatVersion)
	}
	return v, nil
}

// openFailed is the error of opening the index file at path: what the
// file needs, and the command that gives it.
func openFailed(path string, err error) error {
	switch {
	case errors.Is(err, ErrNewerFormat):
		return fmt.Errorf("open index %s: %w: upgrade reportbot, or run `reportbot index --rebuild` to replace it with a format %d index", path, err, FormatVersion)
	case errors.Is(err, ErrDamaged):
		return fmt.Errorf("open index %s: %w; run `reportbot index --rebuild` to rebuild it", path, err)
	}
	return fmt.Errorf("open index %s: %w", path, err)
}

// damagedSection wraps a section's read or decode error as damage to
// that section (a checksum error names its section already).
func damagedSection(name string, err error) error {
	if errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("%w: section %q: %w", ErrDamaged, name, err)
}

// readIndexFile reads the index file at path. emb, when not nil, must be
// the embedder that built it; Verify passes nil to decode any index.
func readIndexFile(path string, emb embed.Embedder) (*Index, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open index %s: %w", path, ErrNoIndex)
	}
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	format, err := fileFormat(f)
	if err != nil {
		return nil, openFailed(path, err)
	}
	var ix *Index
	if format >= 3 {
		ix, err = readMapped(f, fi.Size(), format, emb)
	} else {
		ix, err = readLegacy(f, fi.Size(), format, emb)
	}
	if err != nil {
		return nil, openFailed(path, err)
	}
	ix.format = format
	return ix, nil
}

// newOpened returns the index described by manifest m, after checking that
// emb (when not nil) built it; its passages and vectors are still to read.
func newOpened(m *manifest, emb embed.Embedder) (*Index, error) {
	if emb != nil && (m.EmbedderID != emb.ID() || m.Dim != emb.Dim()) {
		return nil, fmt.Errorf("%w: it was built with %s (dimension %d) but the configured embedder is %s (dimension %d); run `reportbot index --rebuild`",
			embed.ErrEmbedderMismatch, m.EmbedderID, m.Dim, emb.ID(), emb.Dim())
	}
	if m.Dim <= 0 || m.Dim > maxDim {
		return nil, fmt.Errorf("%w: section %q: dimension %d", ErrDamaged, secManifest, m.Dim)
	}
	ix := &Index{emb: emb, embedderID: m.EmbedderID, dim: m.Dim, reports: make(map[string]corpus.Report, len(m.Reports)), passages: m.Passages, backend: localStore{}, source: m.Source}
	for _, r := range m.Reports {
		r.Place = corpus.ReportPlace(r) // an index saved before reports had places
		ix.reports[r.ID] = r
	}
	return ix, nil
}

// maxDim bounds the vector length a manifest may claim.
const maxDim = 1 << 16

// readMapped reads a file of format 3 or 4 of size bytes, mapping it
// when it can (see readSections); a file that cannot be mapped is read.
func readMapped(f *os.File, size int64, format int, emb embed.Embedder) (*Index, error) {
	data, unmap, err := mapFile(f, size)
	if err != nil {
		return readSections(f, size, format, emb, nil)
	}
	// The file stays open for the records read with pread (preadSection):
	// opened again by name, so it must still be the file mapped (another
	// process's Save renames a new one into place).
	own, err := os.Open(f.Name())
	if err == nil && !sameFile(f, own) {
		own.Close()
		err = errNoMap
	}
	if err != nil {
		unmap()
		return readSections(f, size, format, emb, nil)
	}
	m := &mapping{data: data, file: own}
	ix, err := readSections(f, size, format, emb, m)
	if err != nil {
		unmap()
		own.Close()
		return ix, err
	}
	// The mapping lives as long as what points into it: the vectors, the
	// lexical index and the passages and facts read in place hold m.
	runtime.AddCleanup(m, func(release func()) { release() }, func() { unmap(); own.Close() })
	return ix, nil
}

// sameFile reports whether a and b are open on the same file.
func sameFile(a, b *os.File) bool {
	ai, err1 := a.Stat()
	bi, err2 := b.Stat()
	return err1 == nil && err2 == nil && os.SameFile(ai, bi)
}

// mapping is a mapped index file. Everything that reads bytes of it in
// place holds the mapping, which is released once none does: bytes of
// the mapping are not Go memory, so a slice of them does not keep it.
// file is the same file, open for reading records with pread.
type mapping struct {
	data []byte
	file *os.File
}

// bytesOf returns the bytes of section e, nil when m is.
func (m *mapping) bytesOf(e sectionEntry) []byte {
	if m == nil {
		return nil
	}
	return m.data[e.off : e.off+e.size]
}

// readSections reads a file of format 3 or 4 of size bytes. The vectors
// and residuals stay in mapped (the whole file mapped, when not nil) and
// are verified block by block as searches touch them; every other section
// is read from f and verified as it is read.
func readSections(f io.ReaderAt, size int64, format int, emb embed.Embedder, m *mapping) (*Index, error) {
	t, err := readTable(f, size)
	if err != nil {
		return nil, err
	}
	r, n, err := t.open(secManifest)
	if err != nil {
		return nil, err
	}
	var man manifest
	if err := gob.NewDecoder(bufio.NewReader(io.LimitReader(r, n))).Decode(&man); err != nil {
		return nil, damagedSection(secManifest, err)
	}
	ix, err := newOpened(&man, emb)
	if err != nil {
		return nil, err
	}
	if format >= 5 {
		return ix, ix.readInPlace(t, m)
	}
	// The lexical section, the largest read, is decoded on another core
	// while the passages and vectors are read; errors are reported in
	// file order.
	var lex *lexical.Index
	lexDone := make(chan error, 1)
	go func() {
		r, n, err := t.open(secLexical)
		if err == nil {
			if lex, err = lexical.Decode(r, n); err != nil {
				err = damagedSection(secLexical, err)
			}
		}
		lexDone <- err
	}()
	err = ix.readVectorSections(t, format, m)
	if lexErr := <-lexDone; err == nil && lexErr != nil {
		err = lexErr
	}
	if err != nil {
		return nil, err
	}
	if lex.Len() != len(ix.passages) {
		return nil, damagedSection(secLexical, fmt.Errorf("%d documents for %d passages", lex.Len(), len(ix.passages)))
	}
	ix.lex = lex
	if _, ok := t.lookup(secFacts); ok {
		if r, n, err = t.open(secFacts); err != nil {
			return nil, err
		}
		if ix.factsLoaded, err = readFacts(r, n, ix.passages); err != nil {
			return nil, damagedSection(secFacts, err)
		}
	}
	if _, ok := t.lookup(secFactsIndex); ok && ix.factsLoaded {
		if r, n, err = t.open(secFactsIndex); err != nil {
			return nil, err
		}
		if ix.byIndicator, err = readFactsIndex(r, n, len(ix.passages)); err != nil {
			return nil, damagedSection(secFactsIndex, err)
		}
	}
	ix.indexPassages()
	return ix, nil
}

// readVectorSections reads the passages, the vectors and (format 4)
// their residuals of a file of format 3 or 4 (see readSections).
func (ix *Index) readVectorSections(t *sectionTable, format int, m *mapping) error {
	r, n, err := t.open(secPassages)
	if err != nil {
		return err
	}
	if ix.passages, err = readPassages(r, n); err != nil {
		return damagedSection(secPassages, err)
	}
	return ix.readVectorsAndResiduals(t, format, m)
}

// readVectorsAndResiduals reads the vectors and (format 4 on) their
// residuals, leaving them in m when it is not nil.
func (ix *Index) readVectorsAndResiduals(t *sectionTable, format int, m *mapping) error {
	r, n, err := t.open(secVectors)
	if err != nil {
		return err
	}
	e, _ := t.lookup(secVectors)
	if err := ix.readVectors(r, n, m.bytesOf(e)); err != nil {
		return damagedSection(secVectors, err)
	}
	if m != nil {
		ix.vec.keep = m
	}
	if format < 4 {
		return nil
	}
	if r, n, err = t.open(secResiduals); err != nil {
		return err
	}
	e, _ = t.lookup(secResiduals)
	var rd *preadSection
	if m != nil && format >= 5 {
		// Re-scored rows are read with pread (see preadSection).
		rd = newPreadSection(m.file, e)
	}
	if err := ix.readResiduals(r, n, m.bytesOf(e), rd); err != nil {
		return damagedSection(secResiduals, err)
	}
	return nil
}

// readVectors reads the vectors section (size bytes) of formats 2 to 4.
// When mapped (the section's bytes in the mapped file) is not nil, only
// the scales are read; the matrix stays in the mapping, verified as
// searches touch it.
func (ix *Index) readVectors(r io.Reader, size int64, mapped []byte) error {
	n := ix.Len()
	if size != int64(n)*int64(4+ix.dim) {
		return fmt.Errorf("%d bytes of vectors for %d passages of dimension %d", size, n, ix.dim)
	}
	ix.vec = &vecIndex{dim: ix.dim, n: n, scale: make([]float32, n)}
	if err := binarray.ReadFloat32s(r, ix.vec.scale); err != nil {
		return err
	}
	if mapped != nil {
		e := r.(*checkedReader).e
		ix.vec.data = binarray.BytesInt8(mapped[4*n:])
		ix.vec.cols, ix.vec.colOff = newLazyCheck(e, mapped), int64(4*n)
		return nil
	}
	ix.vec.data = make([]int8, n*ix.dim)
	_, err := io.ReadFull(r, binarray.Int8Bytes(ix.vec.data))
	return err
}

// readResiduals reads the residuals section (size bytes) of format 4,
// or, when mapped is not nil, leaves it there (see readVectors).
func (ix *Index) readResiduals(r io.Reader, size int64, mapped []byte, rd *preadSection) error {
	n := ix.Len()
	if size != int64(n)*int64(ix.dim) {
		return fmt.Errorf("%d bytes of residuals for %d passages of dimension %d", size, n, ix.dim)
	}
	if mapped != nil {
		ix.vec.resid = binarray.BytesInt8(mapped)
		ix.vec.resids = newLazyCheck(r.(*checkedReader).e, mapped)
		ix.vec.residRd = rd
		return nil
	}
	ix.vec.resid = make([]int8, n*ix.dim)
	_, err := io.ReadFull(r, binarray.Int8Bytes(ix.vec.resid))
	return err
}

// readLexical reads the lexical section (size bytes) of formats 2 and 3.
func (ix *Index) readLexical(r io.Reader, size int64) error {
	lex, err := lexical.Decode(r, size)
	if err != nil {
		return err
	}
	if lex.Len() != len(ix.passages) {
		return fmt.Errorf("%d documents for %d passages", lex.Len(), len(ix.passages))
	}
	ix.lex = lex
	return nil
}

// BuiltWith reads which embedder built the index saved in dir, and its
// vector length, from the file's manifest without loading the rest. It
// returns an error wrapping ErrNoIndex when there is none. A caller that
// learns an embedder's vector length by asking its API can take it from
// here instead, so that an index answers while that API is down.
func BuiltWith(dir string) (embedderID string, dim int, err error) {
	path := filepath.Join(dir, IndexFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", 0, fmt.Errorf("open index %s: %w", path, ErrNoIndex)
	}
	if err != nil {
		return "", 0, fmt.Errorf("open index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, fmt.Errorf("open index: %w", err)
	}
	format, err := fileFormat(f)
	if err != nil {
		return "", 0, openFailed(path, err)
	}
	var r io.Reader
	var n int64
	if format >= 3 {
		t, err := readTable(f, fi.Size())
		if err == nil {
			r, n, err = t.open(secManifest)
		}
		if err != nil {
			return "", 0, openFailed(path, err)
		}
	} else {
		var size uint64
		if err := binary.Read(io.NewSectionReader(f, int64(len(indexMagic)), 8), binary.LittleEndian, &size); err != nil {
			return "", 0, openFailed(path, damagedSection(secManifest, err))
		}
		r, n = io.NewSectionReader(f, int64(len(indexMagic))+8, int64(size)), int64(size)
	}
	var m manifest
	if err := gob.NewDecoder(bufio.NewReaderSize(io.LimitReader(r, n), 1<<16)).Decode(&m); err != nil {
		return "", 0, openFailed(path, damagedSection(secManifest, err))
	}
	return m.EmbedderID, m.Dim, nil
}
