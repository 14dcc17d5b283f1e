package index

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sync"

	"github.com/reportbot/reportbot/internal/binarray"
)

// quantPool holds setRows' blocks of quantized rows, reused from batch to
// batch: a new one per batch was half a gigabyte of garbage at a million
// passages.
var quantPool = sync.Pool{New: func() any { return new([]int8) }}

// setRows sets rows[k] to vecs[k], quantized (see quantizeRow), for each k.
// The rows are quantized into a row-major block first and then written
// column by column, so that the rows of a batch, neighbours in each column,
// are written a cache line at a time: written row by row, each value went to
// another column (dim cache lines and pages apart). Setting rows one by one
// on Sync's goroutine was 14% of the CPU time of indexing 100k passages
// (reportbench profile). Different rows may be set concurrently.
func (v *vecIndex) setRows(rows []int, vecs [][]float32) { _ = v.setRowsOut(rows, vecs, nil) }

// setRowsOut is setRows writing the residuals to out instead of v.resid
// when out is not nil (row i's at byte i*dim, one write per run of
// consecutive rows; see residSpill).
func (v *vecIndex) setRowsOut(rows []int, vecs [][]float32, out io.WriterAt) error {
	qp := quantPool.Get().(*[]int8)
	defer quantPool.Put(qp)
	nq := len(rows) * v.dim
	size := nq
	if out != nil {
		size = 2 * nq // and the residuals after the values
	}
	q := slices.Grow((*qp)[:0], size)[:size]
	*qp = q
	for k, i := range rows {
		var res []int8
		if out != nil {
			res = q[nq+k*v.dim : nq+(k+1)*v.dim]
		} else {
			res = v.resid[i*v.dim : (i+1)*v.dim]
		}
		v.scale[i] = quantizeRow(vecs[k][:v.dim], q[k*v.dim:(k+1)*v.dim], res)
	}
	for d := range v.dim {
		col := v.data[d*v.n : (d+1)*v.n]
		for k, i := range rows {
			col[i] = q[k*v.dim+d]
		}
	}
	if out == nil {
		return nil
	}
	for k := 0; k < len(rows); {
		j := k + 1
		for j < len(rows) && rows[j] == rows[j-1]+1 {
			j++
		}
		if _, err := out.WriteAt(binarray.Int8Bytes(q[nq+k*v.dim:nq+j*v.dim]), int64(rows[k])*int64(v.dim)); err != nil {
			return fmt.Errorf("spill residuals: %w", err)
		}
		k = j
	}
	return nil
}

// quantizeRow quantizes vec into q (x ≈ scale * q) and res (what q lost,
// in 1/residSteps of a step; see vecIndex) and returns the scale, 0 for a
// zero vector or one holding a NaN (q and res then all zero).
//
// It has no branch on a component's sign, which a unit vector's
// components take at random: the largest magnitude is the largest of the
// components' bit patterns without their sign (in which a NaN is above
// every number), and halves are rounded away from zero by adding 0.5 with
// the component's sign. Branching on the sign (and the built-in float
// min and max) took 2.3 times the CPU time: 7.6 against 3.3 µs a row of
// 512 components on the 2-core machine, mispredicted branches mostly.
func quantizeRow(vec []float32, q, res []int8) float32 {
	var mb uint32
	for _, x := range vec {
		mb = max(mb, math.Float32bits(x)&^signBit)
	}
	if mb == 0 || mb > infBits {
		clear(q)
		clear(res)
		return 0
	}
	m := math.Float32frombits(mb)
	inv := 127 / m
	for d, x := range vec {
		x *= inv
		qd := clamp127(roundAway(x))
		q[d] = qd
		res[d] = clamp127(roundAway((x - float32(qd)) * residSteps))
	}
	return m / 127
}

// The sign bit of a float32 and the bits of +Inf.
const (
	signBit = 1 << 31
	infBits = 0x7f800000
)

// roundAway is round (halves away from zero) without a branch on x's sign.
func roundAway(x float32) float32 {
	half := math.Float32frombits(math.Float32bits(0.5) | math.Float32bits(x)&signBit)
	return float32(int32(x + half))
}

// clamp127 is f, a whole number, as an int8 within [-127, 127].
func clamp127(f float32) int8 {
	return int8(max(-127, min(127, int32(f))))
}
