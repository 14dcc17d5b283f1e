package bot

import (
	"context"
	"errors"
	"time"

	"golang.org/x/time/rate"
)

// Bot-wide pacing of message edits: the streamed edits of all answers
// share one budget, below Discord's global limit of 50 requests a second
// so that acknowledgements (which must arrive within 3 s), follow-ups and
// threads keep room.
const (
	// editsPerSecond is the budget of edits a second across all answers.
	editsPerSecond = 30
	// editBurst is how many edits may go at once after a quiet spell.
	editBurst = 10
)

// errEditSkipped is an intermediate edit of a streamed answer that was
// not sent because the edit budget, its message's rate limit or the
// global limit is short; a later edit carries newer text.
var errEditSkipped = errors.New("intermediate edit skipped: the edit budget or the rate limit is short")

// editBudget is the shared budget of message edits. Edits that must go
// (the final answer, progress and queue notes, failures) take their share
// at once and never wait for it, ahead of intermediate edits, which are
// skipped while the budget is spent.
type editBudget struct{ lim *rate.Limiter }

func newEditBudget() *editBudget {
	return &editBudget{lim: rate.NewLimiter(editsPerSecond, editBurst)}
}

// intermediate reports whether an intermediate edit may be sent now, and
// counts it when so.
func (e *editBudget) intermediate() bool { return e.lim.Allow() }

// final counts an edit that is sent whatever the budget: the budget may
// go below zero, and intermediate edits wait until it has refilled.
func (e *editBudget) final() { e.lim.ReserveN(time.Now(), 1) }

// intermediateKey marks a context whose REST calls are intermediate
// edits.
type intermediateKey struct{}

// intermediateEdit returns ctx marked so that an edit sent with it is an
// intermediate one: skipped (errEditSkipped) rather than delayed when the
// budget or the rate limit is short.
func intermediateEdit(ctx context.Context) context.Context {
	return context.WithValue(ctx, intermediateKey{}, true)
}

// isIntermediateEdit reports whether ctx was marked by intermediateEdit.
func isIntermediateEdit(ctx context.Context) bool {
	v, _ := ctx.Value(intermediateKey{}).(bool)
	return v
}
