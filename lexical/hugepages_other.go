//go:build !linux

package lexical

// adviseHugePages is a no-op outside Linux (see hugepages_linux.go).
func adviseHugePages([]byte) {}
