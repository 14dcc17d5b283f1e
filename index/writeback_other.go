//go:build !linux

package index

import "os"

// startWriteback does nothing where sync_file_range is not available: the
// fsync at the end of a save writes everything.
func startWriteback(f *os.File, off, n int64) {}
