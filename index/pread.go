package index

import (
	"fmt"
	"io"
	"slices"
	"sync/atomic"
)

// preadSection reads records of one section of a mapped index file with
// pread instead of through the mapping: a search reads a few hundred
// records (passages, their facts, the residuals of re-scored rows)
// scattered over hundreds of MB, and touching them in the mapping maps
// whole page-cache folios (up to 2 MiB each with the kernel's large
// folios), which the process's resident size counts: at 1M passages one
// question mapped 290 MiB of residuals to read 200 rows of 512 bytes.
// A read copies the blocks holding the record and verifies each the
// first time it is read; the bytes it returns are the caller's.
type preadSection struct {
	r    io.ReaderAt
	e    sectionEntry
	done []atomic.Bool
}

// newPreadSection returns the reader of section e of the file r.
func newPreadSection(r io.ReaderAt, e sectionEntry) *preadSection {
	return &preadSection{r: r, e: e, done: make([]atomic.Bool, len(e.crcs))}
}

// read returns bytes lo to hi-1 of the section.
func (p *preadSection) read(lo, hi int64) ([]byte, error) { return p.readInto(nil, lo, hi) }

// readInto is read into dst's array when it has room for the bytes (dst's
// length is ignored). Once the blocks holding the bytes are verified, it
// reads just those bytes; before, it reads and verifies the whole blocks.
func (p *preadSection) readInto(dst []byte, lo, hi int64) ([]byte, error) {
	if lo < 0 || hi < lo || hi > p.e.size {
		return nil, fmt.Errorf("%w: section %q: bytes %d to %d of %d", ErrDamaged, p.e.name, lo, hi, p.e.size)
	}
	if hi == lo {
		return dst[:0], nil
	}
	block := p.e.block
	if p.verified(lo/block, (hi-1)/block) {
		buf := slices.Grow(dst[:0], int(hi-lo))[:hi-lo]
		if err := p.readAt(buf, lo); err != nil {
			return nil, err
		}
		return buf, nil
	}
	b0 := lo / block * block
	b1 := min(p.e.size, (hi+block-1)/block*block)
	buf := make([]byte, b1-b0)
	if err := p.readAt(buf, b0); err != nil {
		return nil, err
	}
	for i := b0 / block; i*block < b1; i++ {
		if p.done[i].Load() {
			continue
		}
		start := i*block - b0
		if err := p.e.verifyBlock(i, buf[start:start+p.e.blockLen(i)]); err != nil {
			return nil, err
		}
		p.done[i].Store(true)
	}
	return buf[lo-b0 : hi-b0], nil
}

// verified reports whether blocks first to last have been verified.
func (p *preadSection) verified(first, last int64) bool {
	for i := first; i <= last; i++ {
		if !p.done[i].Load() {
			return false
		}
	}
	return true
}

// readAt fills buf from byte off of the section.
func (p *preadSection) readAt(buf []byte, off int64) error {
	if _, err := p.r.ReadAt(buf, p.e.off+off); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%w: section %q: %w", ErrDamaged, p.e.name, err)
	}
	return nil
}
