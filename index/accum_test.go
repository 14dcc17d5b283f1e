package index

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// accumBoth runs the vector kernel with the scalar tail and the scalar loop
// alone over the same columns and fails unless the sums are bit-identical
// (NaN for NaN, whatever its payload).
func accumBoth(t testing.TB, rows int, data [][]int8, w []float32) {
	t.Helper()
	got := make([]float32, rows)
	want := make([]float32, rows)
	cols := make([]*int8, len(data))
	for j := range data {
		if rows > 0 {
			cols[j] = &data[j][0]
		}
	}
	done := accumRowsSIMD(got, cols, w)
	if done%32 != 0 || done > rows {
		t.Fatalf("accumRowsSIMD did %d of %d rows", done, rows)
	}
	for j := range data {
		accumRowsGo(got[done:], data[j][done:], w[j])
		accumRowsGo(want, data[j], w[j])
	}
	for i := range want {
		if math.IsNaN(float64(got[i])) && math.IsNaN(float64(want[i])) {
			continue // a NaN's payload depends on which operand the CPU keeps; no ranking reads it
		}
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("rows %d, columns %d: row %d is %v (%#x), want %v (%#x)", rows, len(data), i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

func TestAccumRowsSIMDMatchesScalar(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ rows, cols int }{
		{0, 3}, {1, 1}, {31, 4}, {32, 1}, {33, 7}, {64, 0}, {100, 90}, {4096, 32}, {4095, 512},
	} {
		data := make([][]int8, tc.cols)
		w := make([]float32, tc.cols)
		for j := range data {
			data[j] = make([]int8, tc.rows)
			for i := range data[j] {
				data[j][i] = int8(r.IntN(256) - 128)
			}
			switch j % 3 {
			case 0:
				w[j] = r.Float32()
			case 1:
				w[j] = -r.Float32() * 1e-3
			default:
				w[j] = float32(r.NormFloat64() * 1e6)
			}
		}
		accumBoth(t, tc.rows, data, w)
	}
}

// FuzzAccumRows checks the vector kernel against the scalar loop on
// arbitrary bytes (columns) and weights, including NaN and infinities.
func FuzzAccumRows(f *testing.F) {
	f.Add(uint8(3), []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x80\xff\x7f\x00 some more bytes to make rows of columns"))
	f.Fuzz(func(t *testing.T, ncols uint8, b []byte) {
		n := int(ncols%8) + 1
		if len(b) < 4*n {
			return
		}
		w := make([]float32, n)
		for j := range w {
			w[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:]))
		}
		b = b[4*n:]
		rows := len(b) / n
		data := make([][]int8, n)
		for j := range data {
			data[j] = make([]int8, rows)
			for i := range data[j] {
				data[j][i] = int8(b[j*rows+i])
			}
		}
		accumBoth(t, rows, data, w)
	})
}
