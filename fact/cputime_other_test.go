//go:build !unix

package fact

import "time"

// cpuTime is not measured on this system; throughput is then reported by
// wall-clock time only.
func cpuTime() time.Duration { return 0 }
