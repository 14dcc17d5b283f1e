package corpus

import "sync"

// inOrder calls work(i) for i from 0 to n-1 on up to workers goroutines
// and use(i, work(i)) on the calling goroutine in order of i, as results
// come in. At most window results wait for use (or are being worked on) at
// a time, so that a slow item does not let the others pile up in memory.
// With one worker everything runs on the calling goroutine.
func inOrder[T any](n, workers, window int, work func(i int) T, use func(i int, v T)) {
	if workers <= 1 || n <= 1 {
		for i := range n {
			use(i, work(i))
		}
		return
	}
	type job struct {
		i    int
		v    T
		done chan struct{}
	}
	queue := make(chan *job, max(window, workers)) // in order, for use
	jobs := make(chan *job, max(window, workers))  // for the workers
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(queue)
		defer close(jobs)
		for i := range n {
			j := &job{i: i, done: make(chan struct{})}
			select {
			case queue <- j:
			case <-stop:
				return
			}
			jobs <- j // never blocks for long: jobs is as large as queue
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				j.v = work(j.i)
				close(j.done)
			}
		})
	}
	defer wg.Wait()
	for j := range queue {
		<-j.done
		use(j.i, j.v)
		j.v = *new(T) // used: not kept alive by the queue
	}
}
