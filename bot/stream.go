package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// skippedEditRetry is the part of the interval after which an edit that
// was skipped (errEditSkipped: the bot-wide edit budget or the message's
// rate limit was short) is tried again, with the newest text.
const skippedEditRetry = 4 // a quarter of the interval

// streamer edits a message with the latest text of a streamed answer, at
// most once per interval, counting from its start (when the message was
// last edited). Updates that arrive while it waits are
// coalesced: only the newest text is sent. Its edits after the first are
// intermediate (intermediateEdit): when one is skipped, it is tried again
// a quarter of an interval later with the newest text. The final edit is the caller's,
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
	shown := false // a text edit was sent
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
		// The first text is an edit that must go: the asker sees the
		// answer begin as soon as Discord allows. Later ones are
		// intermediate. A failed progress edit is not fatal; the final
		// edit reports.
		ectx := ctx
		if shown {
			ectx = intermediateEdit(ctx)
		}
		err := s.edit(ectx, text)
		if errors.Is(err, errEditSkipped) {
			s.mu.Lock()
			s.dirty = true // this text, or a newer one, is still to show
			s.mu.Unlock()
			next = time.Now().Add(s.interval / skippedEditRetry)
			select {
			case s.kick <- struct{}{}:
			default:
			}
			continue
		}
		shown = true
		next = time.Now().Add(s.interval)
	}
}
