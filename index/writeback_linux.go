package index

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks Linux to start writing the n bytes of f from off to
// disk, without waiting for them (sync_file_range SYNC_FILE_RANGE_WRITE).
// Best effort: an error only leaves the work to the fsync.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
