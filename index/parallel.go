package index

import (
	"sync"
	"sync/atomic"
)

// forChunks calls fn(c, lo, hi) for each chunk c of the rows 0 to n, chunk
// c being rows c*size to min((c+1)*size, n), on up to workers goroutines
// that take the chunks in order as they become free (the calling goroutine
// alone when there is one worker or one chunk). It returns when every
// chunk is done. fn must be safe for concurrent use on different chunks.
func forChunks(n, size, workers int, fn func(c, lo, hi int)) {
	chunks := (n + size - 1) / size
	if workers <= 1 || chunks <= 1 {
		for c := range chunks {
			fn(c, c*size, min((c+1)*size, n))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				fn(c, c*size, min((c+1)*size, n))
			}
		})
	}
	wg.Wait()
}
