package bot

import (
	"context"
	"sync"
	"time"
)

// streamer edits a message with the latest text of a streamed answer, at
// most once per interval, counting from its start (when the message was
// last edited). Updates that arrive while it waits are
// coalesced: only the newest text is sent. The final edit is the caller's,
// after Stop, so it always comes last.
type streamer struct {
	interval time.Duration
	edit     func(ctx context.Context, text string) error

	mu    sync.Mutex
	text  string
	dirty bool
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}
}

// newStreamer starts a streamer that calls edit; it stops when ctx is done
// or Stop is called.
func newStreamer(ctx context.Context, interval time.Duration, edit func(ctx context.Context, text string) error) *streamer {
	s := &streamer{interval: interval, edit: edit, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go s.run(ctx)
	return s
}

// Update records the newest text. It never blocks.
func (s *streamer) Update(text string) {
	s.mu.Lock()
	s.text, s.dirty = text, true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Stop ends streaming and waits for an edit in progress to finish.
func (s *streamer) Stop() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}

func (s *streamer) run(ctx context.Context) {
	defer close(s.done)
	// The message was just edited (the progress note), so the first
	// streamed edit waits a whole interval too.
	next := time.Now().Add(s.interval)
	timer := time.NewTimer(s.interval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.stop:
			return
		case <-s.kick:
		}
		if wait := time.Until(next); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-s.stop:
				return
			case <-timer.C:
			}
		}
		s.mu.Lock()
		text, dirty := s.text, s.dirty
		s.dirty = false
		s.mu.Unlock()
		if !dirty {
			continue
		}
		_ = s.edit(ctx, text) // a failed progress edit is not fatal; the final edit reports
		next = time.Now().Add(s.interval)
	}
}
