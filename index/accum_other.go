//go:build !amd64 || purego

package index

// accumRowsSIMD does nothing where there is no vector kernel: accumRowsGo
// does every row.
func accumRowsSIMD(s []float32, cols []*int8, w []float32) int { return 0 }
