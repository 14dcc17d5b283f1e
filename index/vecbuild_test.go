package index

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkSetRows quantizes batches of 64 unit vectors of 512 dimensions
// into a matrix of 100,000 rows, as indexing does.
func BenchmarkSetRows(b *testing.B) {
	const dim, n, batch = 512, 100000, 64
	rng := rand.New(rand.NewPCG(1, 2))
	vecs := make([][]float32, batch)
	for k := range vecs {
		vecs[k] = make([]float32, dim)
		for d := range vecs[k] {
			vecs[k][d] = float32(rng.NormFloat64()) / float32(math.Sqrt(dim))
		}
	}
	v := buildVecIndex(dim, n, nil, func(int) (int, []float32) { return -1, nil })
	rows := make([]int, batch)
	lo := 0
	for b.Loop() {
		for k := range rows {
			rows[k] = lo + k
		}
		v.setRows(rows, vecs)
		lo = (lo + batch) % (n - batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/row")
}

// referenceQuantize is setRow as it was written before quantizeRow: the
// built-in min and max on floats, round.
func referenceQuantize(vec []float32) (scale float32, q, res []int8) {
	q, res = make([]int8, len(vec)), make([]int8, len(vec))
	var m float32
	for _, x := range vec {
		m = max(m, x, -x)
	}
	if m == 0 || m != m {
		return 0, q, res
	}
	inv := 127 / m
	for d, x := range vec {
		x *= inv
		qd := int8(max(-127, min(127, round(x))))
		q[d] = qd
		res[d] = int8(max(-127, min(127, round((x-float32(qd))*residSteps))))
	}
	return m / 127, q, res
}

func TestQuantizeRowMatchesReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	random := func(n int, scale float64) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * scale)
		}
		return v
	}
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	halves := make([]float32, 255) // components that land on halves of a step
	for i := range halves {
		halves[i] = float32(i-127) / 2
	}
	tests := []struct {
		name string
		vec  []float32
	}{
		{"zero", make([]float32, 8)},
		{"negative zero", []float32{float32(math.Copysign(0, -1)), 0}},
		{"one component", []float32{0, 0, -0.5, 0}},
		{"unit vector", random(512, 1/math.Sqrt(512))},
		{"large", random(64, 1e30)},
		{"tiny", random(64, 1e-40)},
		{"halves", halves},
		{"NaN", []float32{0.1, nan, -0.2}},
		{"infinity", []float32{0.1, inf, -0.2}},
		{"negative infinity", []float32{0.1, -inf}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantScale, wantQ, wantRes := referenceQuantize(tt.vec)
			q, res := make([]int8, len(tt.vec)), make([]int8, len(tt.vec))
			for i := range q { // quantizeRow overwrites whatever was there
				q[i], res[i] = 9, 9
			}
			scale := quantizeRow(tt.vec, q, res)
			if math.Float32bits(scale) != math.Float32bits(wantScale) || !slices.Equal(q, wantQ) || !slices.Equal(res, wantRes) {
				t.Errorf("got scale %v, %v, %v; want %v, %v, %v", scale, q, res, wantScale, wantQ, wantRes)
			}
		})
	}
	// Rows set in one batch equal rows set one at a time, columns
	// included.
	const dim, n = 16, 40
	vecs := make([][]float32, n)
	for i := range vecs {
		vecs[i] = random(dim, 0.25)
	}
	one := buildVecIndex(dim, n, nil, func(i int) (int, []float32) { return -1, vecs[i] })
	batch := buildVecIndex(dim, n, nil, func(int) (int, []float32) { return -1, nil })
	rows := []int{5, 6, 7, 0, 39, 20}
	picked := make([][]float32, len(rows))
	for k, i := range rows {
		picked[k] = vecs[i]
	}
	batch.setRows(rows, picked)
	for _, i := range rows {
		if !slices.Equal(batch.row(i), one.row(i)) || batch.scale[i] != one.scale[i] {
			t.Errorf("row %d set in a batch differs", i)
		}
	}
}
