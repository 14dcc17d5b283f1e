//go:build !unix

package index

// mapsFiles is set where Open maps the index file (and so verifies the
// vector sections as searches touch them).
const mapsFiles = false
