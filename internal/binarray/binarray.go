// Package binarray reads and writes arrays of numbers as little-endian bytes,
// without a copy on little-endian machines: the index file's vectors and
// postings.
package binarray

import (
	"encoding/binary"
	"io"
	"math"
	"unsafe"
)

// index file does; then vectors and postings are read by copying.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// ReadUint32s fills dst with little-endian uint32s from r.
func ReadUint32s(r io.Reader, dst []uint32) error {
	if len(dst) == 0 {
		return nil
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), 4*len(dst))
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	if !littleEndian {
		for i := range dst {
			dst[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
	}
	return nil
}

// ReadFloat32s fills dst with little-endian float32s from r.
func ReadFloat32s(r io.Reader, dst []float32) error {
	return ReadUint32s(r, unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(dst))), len(dst)))
}

// Int8Bytes views v as bytes.
func Int8Bytes(v []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v))
}

// BytesInt8 views b as int8s (the inverse of Int8Bytes).
func BytesInt8(b []byte) []int8 {
	return unsafe.Slice((*int8)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}

// WriteFloat32s writes v as little-endian float32s.
func WriteFloat32s(w io.Writer, v []float32) error {
	if littleEndian {
		if len(v) == 0 {
			return nil
		}
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v)))
		return err
	}
	buf := make([]byte, 0, 64<<10)
	for i, x := range v {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		if len(buf) == cap(buf) || i == len(v)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// Uint32s views b (a multiple of 4 bytes of little-endian uint32s) as
// uint32s without copying when the machine is little-endian and b is
// aligned, as in a mapped file whose arrays start at multiples of 8; else
// it returns a converted copy.
func Uint32s(b []byte) []uint32 {
	n := len(b) / 4
	if n == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(b)))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(b))), n)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// Uint64s is Uint32s for little-endian uint64s (8-byte alignment).
func Uint64s(b []byte) []uint64 {
	n := len(b) / 8
	if n == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(b)))%8 == 0 {
		return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), n)
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

// Float32s is Uint32s for little-endian float32s.
func Float32s(b []byte) []float32 {
	u := Uint32s(b)
	if len(u) == 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(u))), len(u))
}

// WriteUint32s writes v as little-endian uint32s.
func WriteUint32s(w io.Writer, v []uint32) error {
	return WriteFloat32s(w, unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(v))), len(v)))
}
