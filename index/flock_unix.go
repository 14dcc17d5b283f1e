//go:build unix

package index

import (
	"errors"
	"os"
	"syscall"
)

// flockWorks says that lockFile takes a real lock here.
const flockWorks = true

// lockFile takes an exclusive lock on f without waiting; it is released
// when f is closed (or the process dies).
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// lockBusy reports whether lockFile failed because another open file (of
// this or another process) holds the lock.
func lockBusy(err error) bool { return errors.Is(err, syscall.EWOULDBLOCK) }
