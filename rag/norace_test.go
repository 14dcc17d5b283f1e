//go:build !race

package rag

// raceEnabled reports a -race build, which runs the large corpus tests
// several times slower; they check answers, not concurrency.
const raceEnabled = false
