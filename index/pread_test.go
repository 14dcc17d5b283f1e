package index

import (
	"bytes"
	"errors"
	"hash/crc32"
	"testing"
)

// TestPreadSection reads records of a section before and after their blocks
// are verified, and a damaged block.
func TestPreadSection(t *testing.T) {
	t.Parallel()
	const block = 16
	file := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz"), 3) // 108 bytes
	off, size := int64(5), int64(100)
	sec := file[off : off+size]
	e := sectionEntry{name: "residuals", off: off, size: size, block: block}
	for i := int64(0); i < blocks(size, block); i++ {
		e.crcs = append(e.crcs, crc32.Checksum(sec[i*block:min(size, (i+1)*block)], crc32c))
	}
	p := newPreadSection(bytes.NewReader(file), e)
	for _, r := range [][2]int64{{3, 9}, {3, 9}, {14, 40}, {20, 30}, {96, 100}, {0, 100}, {7, 7}} {
		got, err := p.read(r[0], r[1])
		if err != nil || !bytes.Equal(got, sec[r[0]:r[1]]) {
			t.Errorf("read(%d, %d) = %q, %v; want %q", r[0], r[1], got, err, sec[r[0]:r[1]])
		}
	}
	// Verified blocks are read into the caller's array when it has room.
	dst := make([]byte, 0, 32)
	got, err := p.readInto(dst, 40, 50)
	if err != nil || !bytes.Equal(got, sec[40:50]) || &got[0] != &dst[:1][0] {
		t.Errorf("readInto(40, 50) = %q, %v, in the given array %v", got, err, err == nil && &got[0] == &dst[:1][0])
	}
	for _, r := range [][2]int64{{-1, 3}, {5, 4}, {90, 101}} {
		if _, err := p.read(r[0], r[1]); !errors.Is(err, ErrDamaged) {
			t.Errorf("read(%d, %d): %v, want ErrDamaged", r[0], r[1], err)
		}
	}

	damaged := bytes.Clone(file)
	damaged[off+block+2] ^= 1 // block 1
	p = newPreadSection(bytes.NewReader(damaged), e)
	if got, err := p.read(0, 8); err != nil || !bytes.Equal(got, sec[:8]) {
		t.Errorf("read of block 0 = %q, %v", got, err)
	}
	for range 2 { // a damaged block stays unverified
		if _, err := p.read(20, 24); err == nil {
			t.Error("read of a damaged block: no error")
		}
	}
	if _, err := newPreadSection(bytes.NewReader(file[:50]), e).read(60, 70); !errors.Is(err, ErrDamaged) {
		t.Errorf("read past a truncated file: %v, want ErrDamaged", err)
	}
}
