package rag

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/reportbot/reportbot/corpus"
)

// indexMagic starts every index file; the digit is the format version.
const indexMagic = "REPORTBOT-INDEX 1\n"

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
// Layout: magic, uint64 length + gob manifest (metadata, passages), uint64
// length + chromem-go export (vectors).
func (ix *Index) Save(dir string) error {
	if ix.shared != nil {
		return errSharedSave
	}
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
	var vbuf bytes.Buffer
	if err := ix.store.Snapshot(&vbuf); err != nil {
		return fmt.Errorf("save index: %w", err)
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
	werr := writeSections(w, mbuf.Bytes(), vbuf.Bytes())
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

func writeSections(w io.Writer, sections ...[]byte) error {
	if _, err := io.WriteString(w, indexMagic); err != nil {
		return err
	}
	for _, s := range sections {
		if err := binary.Write(w, binary.LittleEndian, uint64(len(s))); err != nil {
			return err
		}
		if _, err := w.Write(s); err != nil {
			return err
		}
	}
	return nil
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
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != indexMagic {
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
	vs, err := section()
	if err != nil {
		return nil, corrupt("vectors", err)
	}
	st, err := RestoreChromemStore(vs, m.Dim)
	if err != nil {
		return nil, corrupt("vectors", err)
	}
	if st.Count() != len(m.Passages) {
		return nil, corrupt("vectors", fmt.Errorf("%d vectors for %d passages", st.Count(), len(m.Passages)))
	}
	ix := &Index{embedderID: m.EmbedderID, dim: m.Dim, reports: make(map[string]corpus.Report, len(m.Reports)), passages: m.Passages, store: st}
	for _, r := range m.Reports {
		ix.reports[r.ID] = r
	}
	ix.rebuildLookups()
	return ix, nil
}
