package index

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// errNoMap says that the index file could not be mapped; its sections are
// then read into memory, verified as they are read.
var errNoMap = errors.New("index file not mapped")

// lazyCheck verifies the blocks of one mapped section the first time a
// search touches them: opening a mapped index checks its table but does
// not read its vector sections, and a block is verified once, before any
// of its bytes is used. A block that does not match fails every search
// that touches it with an error wrapping ErrDamaged, naming the block.
type lazyCheck struct {
	e    sectionEntry
	data []byte // the section's bytes, in the mapping
	done []atomic.Bool
}

// newLazyCheck returns the checker of section e, whose bytes are data.
func newLazyCheck(e sectionEntry, data []byte) *lazyCheck {
	return &lazyCheck{e: e, data: data, done: make([]atomic.Bool, len(e.crcs))}
}

// ensure verifies the blocks holding bytes lo to hi-1 of the section that
// were not verified yet.
func (c *lazyCheck) ensure(lo, hi int64) error {
	if c == nil || hi <= lo {
		return nil
	}
	for i := lo / c.e.block; i <= (hi-1)/c.e.block; i++ {
		if c.done[i].Load() {
			continue
		}
		start := i * c.e.block
		if err := c.e.verifyBlock(i, c.data[start:start+c.e.blockLen(i)]); err != nil {
			return err
		}
		c.done[i].Store(true)
	}
	return nil
}

// all verifies every block not verified yet.
func (c *lazyCheck) all() error {
	if c == nil {
		return nil
	}
	return c.ensure(0, c.e.size)
}

// rebuildHint adds to an error of a lazily verified block the command
// that replaces the damaged file.
func rebuildHint(err error) error {
	return fmt.Errorf("%w; run `reportbot index --rebuild` to rebuild it", err)
}
