package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index/chromemstore"
)

// Formats 1 and 2 of the index file, which Open still reads (and Save
// replaces with FormatVersion): the magic line, then sections each
// written as a uint64 length and its bytes, without checksums. Format 2
// has four: the gob manifest, the passages, the vectors and the lexical
// index, as in format 3. Format 1 has two: the gob manifest holding the
// passages too, and the vectors as a chromem-go export; its lexical index
// is rebuilt on opening.

// readLegacy reads a file of format 1 or 2, of size bytes.
func readLegacy(f io.ReaderAt, size int64, format int, emb embed.Embedder) (*Index, error) {
	off := int64(len(indexMagic))
	section := func(name string) (*io.SectionReader, error) {
		var n uint64
		if err := binary.Read(io.NewSectionReader(f, off, 8), binary.LittleEndian, &n); err != nil {
			return nil, damagedSection(name, err)
		}
		if n > uint64(size-off-8) {
			return nil, damagedSection(name, fmt.Errorf("%d bytes past the end of a %d-byte file", n, size))
		}
		s := io.NewSectionReader(f, off+8, int64(n))
		off += 8 + int64(n)
		return s, nil
	}
	ms, err := section(secManifest)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := gob.NewDecoder(bufio.NewReaderSize(ms, 1<<20)).Decode(&m); err != nil {
		return nil, damagedSection(secManifest, err)
	}
	ix, err := newOpened(&m, emb)
	if err != nil {
		return nil, err
	}
	if format == 1 {
		vs, err := section(secVectors)
		if err != nil {
			return nil, err
		}
		if err := ix.restoreV1(vs); err != nil {
			return nil, damagedSection(secVectors, err)
		}
		ix.rebuildLookups()
		return ix, nil
	}
	ps, err := section(secPassages)
	if err != nil {
		return nil, err
	}
	if ix.passages, err = readPassages(ps, ps.Size()); err != nil {
		return nil, damagedSection(secPassages, err)
	}
	vs, err := section(secVectors)
	if err != nil {
		return nil, err
	}
	if err := ix.readVectors(vs, vs.Size(), nil); err != nil {
		return nil, damagedSection(secVectors, err)
	}
	ls, err := section(secLexical)
	if err != nil {
		return nil, err
	}
	if err := ix.readLexical(ls, ls.Size()); err != nil {
		return nil, damagedSection(secLexical, err)
	}
	ix.indexPassages()
	return ix, nil
}

// restoreV1 reads the chromem-go export of a format 1 index file.
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
