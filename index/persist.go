package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index/chromemstore"
	"github.com/reportbot/reportbot/internal/binarray"
	"github.com/reportbot/reportbot/lexical"
)

// indexMagic starts every index file; the digit is the format version.
// Version 1 stored the vectors as a chromem-go export; Open still reads it.
const (
	indexMagic   = "REPORTBOT-INDEX 2\n"
	indexMagicV1 = "REPORTBOT-INDEX 1\n"
)

// IndexFile is the name of the index inside a data directory.
const IndexFile = "index.rbx"

// ErrNoIndex is returned by Open when the data directory holds no index.
var ErrNoIndex = errors.New("no index")

type manifest struct {
	EmbedderID string
	Dim        int
	Reports    []corpus.Report
	Passages   []Passage // version 1 only; version 2 has a passage section
}

// Save writes the index to dir/index.rbx crash-safely: it writes a temporary
// file in dir, syncs it, renames it over the old index and syncs dir, so a
// crash leaves either the old or the new index, never a torn one.
//
// Layout: magic, then four sections, each a uint64 length and its bytes:
// the gob manifest (embedder, report metadata); the passages (see
// passages_io.go); the vectors as the search matrix holds them (one
// little-endian float32 scale per passage, then int8 components in
// column-major order: dimension by dimension, passages in order); and the
// lexical index (see lexical_io.go). Raw vectors replaced chromem-go's gob
// export, whose decoding dominated start-up at scale, and the lexical index
// is saved so that opening does not re-tokenize every passage.
func (ix *Index) Save(dir string) error { return ix.backend.save(ix, dir) }

// saveLocal is Save for an index whose vectors live in its own file.
func (ix *Index) saveLocal(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	m := manifest{EmbedderID: ix.embedderID, Dim: ix.dim}
	for _, id := range slices.Sorted(maps.Keys(ix.reports)) {
		m.Reports = append(m.Reports, ix.reports[id])
	}
	tmp, err := os.CreateTemp(dir, IndexFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	werr := tmp.Chmod(0o644)
	if werr == nil {
		werr = writeIndex(tmp, &m, ix.passages, ix.vec, ix.lex)
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
	return nil
}

// writeIndex streams the index file to f: each section is written through
// a buffer and its length patched in afterwards, so that saving holds no
// second copy of the index in memory.
func writeIndex(f *os.File, m *manifest, ps []Passage, vecs *vecIndex, lex *lexical.Index) error {
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.WriteString(w, indexMagic); err != nil {
		return err
	}
	off := int64(len(indexMagic))
	section := func(write func(io.Writer) error) error {
		cw := &countingWriter{w: w}
		if _, err := cw.Write(make([]byte, 8)); err != nil { // length, patched below
			return err
		}
		if err := write(cw); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(cw.n-8))
		if _, err := f.WriteAt(n[:], off); err != nil {
			return err
		}
		off += cw.n
		return nil
	}
	if err := section(func(w io.Writer) error { return gob.NewEncoder(w).Encode(m) }); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if err := section(func(w io.Writer) error { return writePassages(w, ps) }); err != nil {
		return fmt.Errorf("passages: %w", err)
	}
	if err := section(func(w io.Writer) error {
		if err := binarray.WriteFloat32s(w, vecs.scale); err != nil {
			return err
		}
		_, err := w.Write(binarray.Int8Bytes(vecs.data))
		return err
	}); err != nil {
		return fmt.Errorf("vectors: %w", err)
	}
	if err := section(lex.Encode); err != nil {
		return fmt.Errorf("lexical index: %w", err)
	}
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Open loads the index saved in dir without re-embedding anything. It returns
// an error wrapping ErrNoIndex when there is none, and one wrapping
// ErrEmbedderMismatch when it was built by another embedder than emb.
func Open(dir string, emb embed.Embedder) (*Index, error) {
	path := filepath.Join(dir, IndexFile)
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
	corrupt := func(what string, err error) error {
		return fmt.Errorf("open index %s: damaged file (%s): %w; delete it and run `reportbot index`", path, what, err)
	}
	size := fi.Size()
	magic := make([]byte, len(indexMagic))
	if _, err := io.ReadFull(f, magic); err != nil || (string(magic) != indexMagic && string(magic) != indexMagicV1) {
		return nil, corrupt("not a reportbot index", errors.Join(err, errors.New("bad header")))
	}
	off := int64(len(indexMagic))
	section := func() (*io.SectionReader, error) {
		var n uint64
		if err := binary.Read(io.NewSectionReader(f, off, 8), binary.LittleEndian, &n); err != nil {
			return nil, err
		}
		if n > uint64(size-off-8) {
			return nil, fmt.Errorf("section of %d bytes past the end of a %d-byte file", n, size)
		}
		s := io.NewSectionReader(f, off+8, int64(n))
		off += 8 + int64(n)
		return s, nil
	}
	ms, err := section()
	if err != nil {
		return nil, corrupt("manifest", err)
	}
	var m manifest
	if err := gob.NewDecoder(bufio.NewReaderSize(ms, 1<<20)).Decode(&m); err != nil {
		return nil, corrupt("manifest", err)
	}
	if m.EmbedderID != emb.ID() || m.Dim != emb.Dim() {
		return nil, fmt.Errorf("open index %s: %w: it was built with %s (dimension %d) but the configured embedder is %s (dimension %d); run `reportbot index --rebuild`",
			path, embed.ErrEmbedderMismatch, m.EmbedderID, m.Dim, emb.ID(), emb.Dim())
	}
	ix := &Index{emb: emb, embedderID: m.EmbedderID, dim: m.Dim, reports: make(map[string]corpus.Report, len(m.Reports)), passages: m.Passages, backend: localStore{}}
	for _, r := range m.Reports {
		r.Place = corpus.ReportPlace(r) // an index saved before reports had places
		ix.reports[r.ID] = r
	}
	if string(magic) != indexMagicV1 {
		ps, err := section()
		if err != nil {
			return nil, corrupt("passages", err)
		}
		if ix.passages, err = readPassages(ps, ps.Size()); err != nil {
			return nil, corrupt("passages", err)
		}
	}
	vs, err := section()
	if err != nil {
		return nil, corrupt("vectors", err)
	}
	if string(magic) == indexMagicV1 {
		if err := ix.restoreV1(vs); err != nil {
			return nil, corrupt("vectors", err)
		}
		ix.rebuildLookups()
		return ix, nil
	}
	if err := ix.readCurrent(vs, section, corrupt); err != nil {
		return nil, err
	}
	return ix, nil
}

// readCurrent reads the vectors section vs and the lexical section after
// it, in the current format, and builds the lookups.
func (ix *Index) readCurrent(vs *io.SectionReader, section func() (*io.SectionReader, error), corrupt func(string, error) error) error {
	n := len(ix.passages)
	if vs.Size() != int64(n*(4+ix.dim)) {
		return corrupt("vectors", fmt.Errorf("%d bytes of vectors for %d passages of dimension %d", vs.Size(), n, ix.dim))
	}
	ix.vec = &vecIndex{dim: ix.dim, n: n, data: make([]int8, n*ix.dim), scale: make([]float32, n)}
	if err := binarray.ReadFloat32s(vs, ix.vec.scale); err != nil {
		return corrupt("vectors", err)
	}
	if _, err := io.ReadFull(vs, binarray.Int8Bytes(ix.vec.data)); err != nil {
		return corrupt("vectors", err)
	}
	ls, err := section()
	if err != nil {
		return corrupt("lexical index", err)
	}
	if ix.lex, err = lexical.Decode(ls, ls.Size()); err != nil {
		return corrupt("lexical index", err)
	}
	if ix.lex.Len() != n {
		return corrupt("lexical index", fmt.Errorf("%d documents for %d passages", ix.lex.Len(), n))
	}
	ix.indexPassages()
	return nil
}

// restoreV1 reads the chromem-go export of a version 1 index file.
func (ix *Index) restoreV1(vs io.ReadSeeker) error {
	st, err := chromemstore.Restore(vs, ix.dim)
	if err != nil {
		return err
	}
	if st.Count() != len(ix.passages) {
		return fmt.Errorf("%d vectors for %d passages", st.Count(), len(ix.passages))
	}
	rows := make([][]float32, len(ix.passages))
	for i, p := range ix.passages {
		v, ok := st.Vector(context.Background(), p.ID)
		if !ok || len(v) != ix.dim {
			return fmt.Errorf("no vector of dimension %d for passage %s", ix.dim, p.ID)
		}
		rows[i] = v
	}
	ix.vec = buildVecIndex(ix.dim, len(rows), nil, func(i int) (int, []float32) { return -1, rows[i] })
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
	br := bufio.NewReaderSize(f, 1<<20)
	magic := make([]byte, len(indexMagic))
	var n uint64
	if _, err := io.ReadFull(br, magic); err != nil || (string(magic) != indexMagic && string(magic) != indexMagicV1) {
		return "", 0, fmt.Errorf("open index %s: not a reportbot index", path)
	}
	if err := binary.Read(br, binary.LittleEndian, &n); err != nil {
		return "", 0, fmt.Errorf("open index %s: manifest: %w", path, err)
	}
	var m manifest
	if err := gob.NewDecoder(io.LimitReader(br, int64(n))).Decode(&m); err != nil {
		return "", 0, fmt.Errorf("open index %s: manifest: %w", path, err)
	}
	return m.EmbedderID, m.Dim, nil
}
