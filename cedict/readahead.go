package cedict

import (
	"errors"
	"io"
)

// readAhead reads from r in its own goroutine into a few buffers ahead of
// the consumer, so that producing the data (decompressing) and consuming
// it (parsing) run in parallel. io.Pipe hands over one write at a time and
// in practice barely overlaps the two.
type readAhead struct {
	full  chan []byte // filled buffers, in order
	free  chan []byte // buffers to refill
	stop  chan struct{}
	cur   []byte // unread part of the buffer being consumed
	owned []byte // the buffer being consumed, to recycle
	err   error  // the producer's final error, once full is closed
	errc  chan error
}

// newReadAhead starts reading r into depth buffers of size bytes. The
// caller must call Close.
func newReadAhead(r io.Reader, size, depth int) *readAhead {
	a := &readAhead{
		full: make(chan []byte, depth),
		free: make(chan []byte, depth),
		stop: make(chan struct{}),
		errc: make(chan error, 1),
	}
	for range depth {
		a.free <- make([]byte, size)
	}
	go a.produce(r)
	return a
}

func (a *readAhead) produce(r io.Reader) {
	defer close(a.full)
	for {
		var b []byte
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		n, err := io.ReadFull(r, b)
		if n > 0 {
			select {
			case a.full <- b[:n]:
			case <-a.stop:
				return
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return
		}
		if err != nil {
			a.errc <- err
			return
		}
	}
}

// Read implements io.Reader.
func (a *readAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.owned != nil {
			a.free <- a.owned[:cap(a.owned)]
			a.owned = nil
		}
		b, ok := <-a.full
		if !ok {
			select {
			case err := <-a.errc:
				a.err = err
			default:
				if a.err == nil {
					a.err = io.EOF
				}
			}
			return 0, a.err
		}
		a.cur, a.owned = b, b
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the producer goroutine.
func (a *readAhead) Close() error {
	close(a.stop)
	return nil
}
