//go:build amd64 && !purego

package index

import "golang.org/x/sys/cpu"

// accumRowsAVX2 is in accum_amd64.s.
//
//go:noescape
func accumRowsAVX2(s *float32, rows int, cols **int8, w *float32, ncols int)

// accumRowsSIMD adds w[j]*cols[j][r] to s[r] for every column j in order,
// for as many leading rows of s as it can (a multiple of 32, or none
// without AVX2), and returns how many. The sums are bit-identical to
// accumRowsGo's (a NaN, from a NaN weight, may carry another payload).
func accumRowsSIMD(s []float32, cols []*int8, w []float32) int {
	rows := len(s) &^ 31
	if rows == 0 || len(cols) == 0 || !cpu.X86.HasAVX2 {
		return 0
	}
	accumRowsAVX2(&s[0], rows, &cols[0], &w[0], len(cols))
	return rows
}
