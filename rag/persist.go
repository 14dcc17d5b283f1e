package rag

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/reportbot/reportbot/corpus"
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
	Passages   []StoredPassage
}

// Save writes the index to dir/index.rbx crash-safely: it writes a temporary
// file in dir, syncs it, renames it over the old index and syncs dir, so a
// crash leaves either the old or the new index, never a torn one.
//
// Layout: magic, then three sections, each a uint64 length and its bytes:
// the gob manifest (metadata, passages), the vectors as little-endian
// float32 in the search matrix's column-major order (dimension by
// dimension, passages in manifest order), and the lexical index (see
// lexical_io.go). Raw vectors replaced chromem-go's gob export, whose decoding
// dominated start-up at scale; the lexical index is saved so that opening
// does not re-tokenize every passage.
func (ix *Index) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	m := manifest{EmbedderID: ix.embedderID, Dim: ix.dim, Passages: ix.passages}
	for _, id := range sortedKeys(ix.reports) {
		m.Reports = append(m.Reports, ix.reports[id])
	}
	var mbuf bytes.Buffer
	if err := gob.NewEncoder(&mbuf).Encode(&m); err != nil {
		return fmt.Errorf("save index: encode manifest: %w", err)
	}
	var lbuf bytes.Buffer
	if err := ix.lex.writeTo(&lbuf); err != nil {
		return fmt.Errorf("save index: lexical index: %w", err)
	}

	tmp, err := os.CreateTemp(dir, IndexFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("save index: %w", err)
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	werr := writeIndex(w, mbuf.Bytes(), ix.vec.data, lbuf.Bytes())
	if werr == nil {
		werr = w.Flush()
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

func writeIndex(w io.Writer, manifest []byte, vecs []float32, lex []byte) error {
	if _, err := io.WriteString(w, indexMagic); err != nil {
		return err
	}
	if err := writeSection(w, manifest); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, uint64(4*len(vecs))); err != nil {
		return err
	}
	buf := make([]byte, 0, 64<<10)
	for i, x := range vecs {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		if len(buf) == cap(buf) || i == len(vecs)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return writeSection(w, lex)
}

func writeSection(w io.Writer, s []byte) error {
	if err := binary.Write(w, binary.LittleEndian, uint64(len(s))); err != nil {
		return err
	}
	_, err := w.Write(s)
	return err
}

// readVectors reads n little-endian float32 from r.
func readVectors(r io.Reader, n int) ([]float32, error) {
	out := make([]float32, n)
	buf := make([]byte, 256<<10)
	for i := 0; i < n; {
		chunk := buf[:min(len(buf), 4*(n-i))]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, err
		}
		for k := 0; k < len(chunk); k += 4 {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(chunk[k:]))
			i++
		}
	}
	return out, nil
}

// Open loads the index saved in dir without re-embedding anything. It returns
// an error wrapping ErrNoIndex when there is none, and one wrapping
// ErrEmbedderMismatch when it was built by another embedder than emb.
func Open(dir string, emb Embedder) (*Index, error) {
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
			path, ErrEmbedderMismatch, m.EmbedderID, m.Dim, emb.ID(), emb.Dim())
	}
	ix := &Index{embedderID: m.EmbedderID, dim: m.Dim, reports: make(map[string]corpus.Report, len(m.Reports)), passages: m.Passages}
	for _, r := range m.Reports {
		ix.reports[r.ID] = r
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
	n := len(m.Passages)
	if vs.Size() != int64(4*n*m.Dim) {
		return nil, corrupt("vectors", fmt.Errorf("%d bytes of vectors for %d passages of dimension %d", vs.Size(), n, m.Dim))
	}
	data, err := readVectors(bufio.NewReaderSize(vs, 1<<20), n*m.Dim)
	if err != nil {
		return nil, corrupt("vectors", err)
	}
	ix.vec = &vecIndex{dim: m.Dim, n: n, data: data}
	ls, err := section()
	if err != nil {
		return nil, corrupt("lexical index", err)
	}
	lb := make([]byte, ls.Size())
	if _, err := io.ReadFull(ls, lb); err != nil {
		return nil, corrupt("lexical index", err)
	}
	if ix.lex, err = readLexical(lb); err != nil {
		return nil, corrupt("lexical index", err)
	}
	if ix.lex.Len() != n {
		return nil, corrupt("lexical index", fmt.Errorf("%d documents for %d passages", ix.lex.Len(), n))
	}
	ix.byID = make(map[string]int, n)
	for i, p := range ix.passages {
		ix.byID[p.ID] = i
	}
	return ix, nil
}

// restoreV1 reads the chromem-go export of a version 1 index file.
func (ix *Index) restoreV1(vs io.ReadSeeker) error {
	st, err := RestoreChromemStore(vs, ix.dim)
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
	ix.store = st
	ix.vec = buildVecIndex(ix.dim, len(rows), nil, func(i int) (int, []float32) { return -1, rows[i] })
	return nil
}
