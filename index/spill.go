package index

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/internal/binarray"
	"github.com/reportbot/reportbot/lexical"
)

// A sync with SyncOptions.SpillDir keeps the two largest parts of the
// index it builds on disk instead of in memory, each in a temporary file
// of that directory read in place: the lexical index (written in parts,
// lexical.WriteFlat) and the vectors' residuals (written row by row as
// they are embedded). At a million passages they were 923 MB and 512 MB
// of the 3.5 GiB that indexing held at its peak (reportbench, issue 18).
// Save copies them from their files into the index file.

// spillGCPercent is the garbage collector's GOGC while a spilled sync
// builds (see Index.syncLocal): the heap may grow a quarter over what is
// live before it is collected, instead of doubling. At a million
// passages what is live is 1.07 GB while the lexical index is built
// (the passages and one part's postings) and 1.28 GB while the vectors
// are set; with GOGC 100 the part builds' tables and the embedding's
// garbage took the process to 2.1-2.3 GiB. 25 kept reportbench's index
// peak RSS at 1M passages at 1.8 GiB for about half a second of
// collections more.
const spillGCPercent = 25

// createSpill creates a spill file in dir. It is removed at once where
// the system allows (the open file and its mapping stay valid), otherwise
// when it is released, so that a killed process leaves none behind.
func createSpill(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, IndexFile+tempInfix+"spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	_ = os.Remove(f.Name()) // fails where open files cannot be removed; closeSpill does it
	return f, nil
}

// mapSpill maps the first size bytes of the spill file f, written, and
// returns the mapping, released (unmapped, the file closed and removed)
// once it is unreachable. Where files cannot be mapped, data is the file
// read into memory.
func mapSpill(f *os.File, size int64) (*mapping, error) {
	data, unmap, err := mapFile(f, size)
	if err != nil {
		unmap = func() {}
		data = make([]byte, size)
		if _, err := f.ReadAt(data, 0); err != nil && size > 0 {
			closeSpill(f)
			return nil, fmt.Errorf("spill: %w", err)
		}
	}
	m := &mapping{data: data, file: f}
	runtime.AddCleanup(m, func(f *os.File) { unmap(); closeSpill(f) }, f)
	return m, nil
}

// closeSpill closes and removes a spill file.
func closeSpill(f *os.File) {
	f.Close()
	_ = os.Remove(f.Name())
}

// copySpill copies the spill file of m to w through reads, not through
// the mapping, which would count every page in the process's resident
// size.
func copySpill(w io.Writer, m *mapping) error {
	_, err := io.Copy(w, io.NewSectionReader(m.file, 0, int64(len(m.data))))
	runtime.KeepAlive(m)
	return err
}

// spillLexical builds the lexical index of the n documents doc gives
// (lexical.WriteFlat) into a spill file in dir and returns it, read in
// place from the file.
func spillLexical(dir string, n int, doc func(dst []byte, i int) []byte) (*lexical.Index, *mapping, error) {
	f, err := createSpill(dir)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = lexical.WriteFlat(bw, dir, n, doc)
	if err == nil {
		err = bw.Flush()
	}
	var size int64
	if err == nil {
		size, err = f.Seek(0, io.SeekCurrent)
	}
	if err != nil {
		closeSpill(f)
		return nil, nil, fmt.Errorf("spill lexical index: %w", err)
	}
	m, err := mapSpill(f, size)
	if err != nil {
		return nil, nil, err
	}
	lex, err := lexical.DecodeFlat(m.data, nil, m)
	if err != nil {
		return nil, nil, fmt.Errorf("spill lexical index: %w", err)
	}
	return lex, m, nil
}

// residSpill is the residuals file of vectors being built (see
// newSpilledVecIndex): row i's residuals at byte i*dim.
type residSpill struct {
	f      *os.File
	n, dim int
	m      *mapping // once mapped (see mapped)
	// isMapped is set with m, for the cleanup that closes the file if
	// it never was (it runs on another goroutine).
	isMapped atomic.Bool
}

// newSpilledVecIndex is buildVecIndex(dim, n, old, ...) for a sync with a
// spill directory: the matrix is in memory, the residuals go to a file
// in dir (see setRowsOut), those of the rows kept from old (oldRow(i)
// >= 0) copied there now.
func newSpilledVecIndex(dir string, dim, n int, old *vecIndex, oldRow func(i int) int) (*vecIndex, *residSpill, error) {
	f, err := createSpill(dir)
	if err != nil {
		return nil, nil, err
	}
	rs := &residSpill{f: f, n: n, dim: dim}
	if err := f.Truncate(int64(n) * int64(dim)); err != nil {
		closeSpill(f)
		return nil, nil, fmt.Errorf("spill residuals: %w", err)
	}
	v := &vecIndex{dim: dim, n: n, data: make([]int8, dim*n), scale: make([]float32, n)}
	const block = 256
	olds := make([]int, 0, block)
	rows := make([]int8, block*dim)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		olds, kept := olds[:0], false
		for i := lo; i < hi; i++ {
			o := oldRow(i)
			olds = append(olds, o)
			if o >= 0 {
				v.scale[i], kept = old.scale[o], true
			}
		}
		if !kept {
			continue
		}
		for d := range dim {
			col, oldCol := v.data[d*n+lo:d*n+hi], old.col(d)
			for k, o := range olds {
				if o >= 0 {
					col[k] = oldCol[o]
				}
			}
		}
		if old.resid == nil {
			continue // every residual zero, as the file is
		}
		clear(rows)
		for k, o := range olds {
			if o >= 0 {
				copy(rows[k*dim:(k+1)*dim], old.resid[o*dim:(o+1)*dim])
			}
		}
		if _, err := f.WriteAt(binarray.Int8Bytes(rows[:(hi-lo)*dim]), int64(lo)*int64(dim)); err != nil {
			closeSpill(f)
			return nil, nil, fmt.Errorf("spill residuals: %w", err)
		}
	}
	// Released with the vectors if the sync stops before finish.
	runtime.AddCleanup(v, func(f *os.File) {
		if !rs.isMapped.Load() {
			closeSpill(f)
		}
	}, f)
	return v, rs, nil
}

// mapped gives v the residuals of the file, mapped, for code that reads
// them all (copying kept rows, for one).
func (rs *residSpill) mapped(v *vecIndex) error {
	if rs.m == nil {
		m, err := mapSpill(rs.f, int64(rs.n)*int64(rs.dim))
		if err != nil {
			return err
		}
		rs.m = m
		rs.isMapped.Store(true)
	}
	v.resid, v.keep = binarray.BytesInt8(rs.m.data), rs.m
	return nil
}

// finish gives v, whose rows are all set, the residuals of the file:
// mapped (see mapped), and the rows that searches re-score read with
// pread, as from an index file, checked against checksums computed now.
func (rs *residSpill) finish(v *vecIndex) error {
	if err := rs.mapped(v); err != nil {
		return err
	}
	e := sectionEntry{name: secResiduals, size: int64(len(rs.m.data)), block: residualBlock}
	buf := make([]byte, 1<<20) // a multiple of residualBlock
	for off := int64(0); off < e.size; off += int64(len(buf)) {
		b := buf[:min(int64(len(buf)), e.size-off)]
		if _, err := rs.f.ReadAt(b, off); err != nil {
			return fmt.Errorf("spill residuals: %w", err)
		}
		for ; len(b) > 0; b = b[min(len(b), residualBlock):] {
			e.crcs = append(e.crcs, crc32.Checksum(b[:min(len(b), residualBlock)], crc32c))
		}
	}
	v.residRd = newPreadSection(rs.f, e)
	return nil
}

// spilled is a part of the index (of) held in a spill file (m).
type spilled[T any] struct {
	of *T
	m  *mapping
}

// file returns the spill file that holds x, nil when none does.
func (s spilled[T]) file(x *T) *mapping {
	if s.of == nil || s.of != x {
		return nil
	}
	return s.m
}

// syncBuild is what Sync builds: the wanted passages, the report
// metadata, the facts, the vectors (staging, row i for want[i] when
// has[i]) and, with a spill directory, the residuals' file and the
// lexical index of every wanted passage, built before the vectors.
type syncBuild struct {
	want    []Passage
	reports map[string]corpus.Report
	facts   []rowIndicator
	spill   string
	has     []bool
	staging *vecIndex
	resid   *residSpill
	out     io.WriterAt // resid's file, nil without a spill directory
	lex     *lexical.Index
	lexFile *mapping
}

// prepare makes the staging vectors, with the rows kept from ix
// (oldRow(i) >= 0) set; with a spill directory, it first builds the
// lexical index of every wanted passage (see spillLexical), so that its
// build and the vectors are not in memory together.
func (b *syncBuild) prepare(ix *Index, oldRow []int) error {
	for i, r := range oldRow {
		b.has[i] = r >= 0
	}
	if b.spill == "" {
		b.staging = buildVecIndex(ix.dim, len(b.want), ix.vec, func(i int) (int, []float32) { return oldRow[i], nil })
		return nil
	}
	// Once written, the lexical index built in memory is garbage, and
	// so is what reading, splitting and extracting facts from the
	// reports left: both are collected and handed back to the system
	// before the vectors are made, not kept by the heap to grow into
	// (and the sync runs with less headroom, see spillGCPercent). Without
	// this, at a million passages, the heap kept up to 1.1 GB of garbage,
	// and its goal, twice what was live, let the process reach 2.5 GiB
	// (reportbench, issue 18). It costs a collection and the release of
	// that memory (about 1.3 s of CPU time at a million, most in the
	// kernel); a second one before the lexical build cost as much again
	// for no lower peak.
	var err error
	b.lex, b.lexFile, err = spillLexical(b.spill, len(b.want), func(dst []byte, i int) []byte {
		p := &b.want[i]
		return appendEmbedText(dst, b.reports[p.ReportID], p.Passage)
	})
	if err != nil {
		return err
	}
	debug.FreeOSMemory()
	b.staging, b.resid, err = newSpilledVecIndex(b.spill, ix.dim, len(b.want), ix.vec, func(i int) int { return oldRow[i] })
	if err != nil {
		return err
	}
	b.out = b.resid.f
	return nil
}

// partial returns the vectors of the wanted passages keep (positions in
// want), in that order, made from the staging vectors.
func (b *syncBuild) partial(keep []int) (*vecIndex, error) {
	if b.resid == nil {
		return buildVecIndex(b.staging.dim, len(keep), b.staging, func(k int) (int, []float32) { return keep[k], nil }), nil
	}
	// The staging residuals are read through their mapping: the rows
	// kept are set (has), and no batch writes them again.
	if err := b.resid.mapped(b.staging); err != nil {
		return nil, err
	}
	v, rs, err := newSpilledVecIndex(b.spill, b.staging.dim, len(keep), b.staging, func(k int) int { return keep[k] })
	if err != nil {
		return nil, err
	}
	return v, rs.finish(v)
}

// copySpills makes the sections of the lexical index and of the
// residuals copy their spill files, when they are in one.
func (ix *Index) copySpills(secs []indexSection) []indexSection {
	for i, s := range secs {
		var m *mapping
		switch s.name {
		case secLexical:
			m = ix.lexSpill.file(ix.lex)
		case secResiduals:
			m = ix.residSpill.file(ix.vec)
		}
		if m != nil {
			secs[i].write = func(w io.Writer) error { return copySpill(w, m) }
		}
	}
	return secs
}
