package bot

import (
	"context"
	"errors"
	"sync"
)

// Errors from the admission queue.
var (
	// errBusy means every answer slot is taken and the queue is full.
	errBusy = errors.New("busy: the queue is full")
	// errClosing means the bot is shutting down.
	errClosing = errors.New("shutting down")
)

// admission bounds how many answers run at once and queues a bounded
// number of further questions first in, first out.
type admission struct {
	mu       sync.Mutex
	running  int
	max      int
	queueCap int
	queue    []*ticket
	closed   bool
}

// ticket is one question's place: admitted, or waiting in the queue.
type ticket struct {
	a        *admission
	admitted chan struct{} // closed when the ticket gets a slot
	err      error         // set (under a.mu) when it never will
	done     bool
}

func newAdmission(maxRunning, queueCap int) *admission {
	return &admission{max: maxRunning, queueCap: queueCap}
}

// Enter asks for a slot. It returns the ticket and its queue position: 0
// when admitted at once, N when N-1 questions wait ahead of it. It fails
// with errBusy when the queue is full and errClosing after Close.
func (a *admission) Enter() (*ticket, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, 0, errClosing
	}
	t := &ticket{a: a, admitted: make(chan struct{})}
	if a.running < a.max {
		a.running++
		close(t.admitted)
		return t, 0, nil
	}
	if len(a.queue) >= a.queueCap {
		return nil, 0, errBusy
	}
	a.queue = append(a.queue, t)
	return t, len(a.queue), nil
}

// Wait blocks until the ticket is admitted. When ctx ends first, or the
// queue is closed, the ticket leaves the queue and Wait returns the error.
func (t *ticket) Wait(ctx context.Context) error {
	select {
	case <-t.admitted:
		t.a.mu.Lock()
		defer t.a.mu.Unlock()
		return t.err
	case <-ctx.Done():
	}
	t.a.mu.Lock()
	defer t.a.mu.Unlock()
	select {
	case <-t.admitted: // admitted (or closed) meanwhile
		return t.err
	default:
	}
	t.a.remove(t)
	t.done = true
	return ctx.Err()
}

// Done frees the ticket's slot for the next in the queue. It is safe to
// call more than once and on a ticket that was never admitted.
func (t *ticket) Done() {
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	select {
	case <-t.admitted:
	default:
		a.remove(t)
		return
	}
	if t.err != nil {
		return
	}
	a.running--
	if len(a.queue) > 0 && a.running < a.max {
		next := a.queue[0]
		a.queue = a.queue[1:]
		a.running++
		close(next.admitted)
	}
}

// remove takes t out of the queue; a.mu is held.
func (a *admission) remove(t *ticket) {
	for i, q := range a.queue {
		if q == t {
			a.queue = append(a.queue[:i], a.queue[i+1:]...)
			return
		}
	}
}

// Close refuses new questions and fails every waiting one with
// errClosing. Running answers keep their slots until Done.
func (a *admission) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	for _, t := range a.queue {
		t.err = errClosing
		close(t.admitted)
	}
	a.queue = nil
}

// Running is the number of answers holding a slot.
func (a *admission) Running() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.running
}
