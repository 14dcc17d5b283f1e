//go:build unix

package index

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only and shared: the
// operating system pages in what is touched, and pages of a file that is
// also in its page cache cost no copy. unmap releases the mapping.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), err error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, errNoMap
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
