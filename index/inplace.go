package index

import (
	"encoding/binary"
	"fmt"
)

// inPlace is a section of format 5 read where it lies (in the mapped
// file, or in memory when the file could not be mapped): fixed-size
// arrays at known offsets, and variable-length records found through
// them. A range of bytes is verified against the section's checksums
// before it is first used.
type inPlace struct {
	name  string
	data  []byte
	check *lazyCheck // nil: data was verified as a whole
	keep  *mapping   // the mapping data lies in (nil: memory)
	// rd, when set, reads the variable-length records (record) with
	// pread rather than through the mapping (see preadSection).
	rd *preadSection
}

// record returns bytes lo to hi-1 of the section's records, verified, and
// whether they are the caller's own (read with pread, or in memory that is
// never written): bytes of the mapping are not, and must be copied to
// outlive it.
func (s *inPlace) record(lo, hi int64) ([]byte, bool, error) {
	if s.rd != nil {
		b, err := s.rd.read(lo, hi)
		return b, true, err
	}
	b, err := s.bytes(lo, hi)
	return b, s.keep == nil, err
}

// bytes returns bytes lo to hi-1 of the section, verified.
func (s *inPlace) bytes(lo, hi int64) ([]byte, error) {
	if lo < 0 || hi < lo || hi > int64(len(s.data)) {
		return nil, fmt.Errorf("%w: section %q: bytes %d to %d of %d", ErrDamaged, s.name, lo, hi, len(s.data))
	}
	if err := s.check.ensure(lo, hi); err != nil {
		return nil, err
	}
	return s.data[lo:hi], nil
}

// u64 returns the little-endian uint64 at off, verified.
func (s *inPlace) u64(off int64) (uint64, error) {
	b, err := s.bytes(off, off+8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// span returns entries i and i+1 of the uint64 array at off (an offsets
// table), checked to be in order and at most limit.
func (s *inPlace) span(off int64, i int, limit uint64) (uint64, uint64, error) {
	b, err := s.bytes(off+8*int64(i), off+8*int64(i+2))
	if err != nil {
		return 0, 0, err
	}
	lo, hi := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
	if lo > hi || hi > limit {
		return 0, 0, fmt.Errorf("%w: section %q: entry %d spans %d to %d of %d", ErrDamaged, s.name, i, lo, hi, limit)
	}
	return lo, hi, nil
}

// header reads the section's magic and n uint64s after it, verified.
func (s *inPlace) header(magic string, n int) ([]uint64, error) {
	b, err := s.bytes(0, int64(len(magic)+8*n))
	if err != nil {
		return nil, fmt.Errorf("%w: section %q: header: %w", ErrDamaged, s.name, err)
	}
	if string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: section %q: not the layout of format 5", ErrDamaged, s.name)
	}
	v := make([]uint64, n)
	for i := range v {
		v[i] = binary.LittleEndian.Uint64(b[len(magic)+8*i:])
	}
	return v, nil
}

// pad8 is the padding after n bytes to the next multiple of 8.
func pad8(n int64) int64 { return (8 - n%8) % 8 }

// appendU64s appends v as little-endian uint64s.
func appendU64s(b []byte, v ...uint64) []byte {
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return b
}
