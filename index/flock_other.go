//go:build !unix

package index

import "os"

// flockWorks says that lockFile takes no lock here.
const flockWorks = false

// lockFile is a no-op where flock is not available.
func lockFile(*os.File) error { return nil }

// lockBusy is false: lockFile never fails.
func lockBusy(error) bool { return false }
