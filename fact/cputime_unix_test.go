//go:build unix

package fact

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used, so
// that a busy machine does not make Extract look slower than it is.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
