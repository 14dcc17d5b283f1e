package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/internal/safetext"
)

// Discord's interaction tokens: an interaction's response can be edited,
// and follow-ups sent, for 15 minutes after it was created. The bot
// plans every interaction's work inside that life.
const (
	// tokenLife is how long an interaction token works.
	tokenLife = 15 * time.Minute
	// tokenDeliver is kept free at the end of a token's life for posting
	// an answer: waiting in the queue ends AnswerTimeout+tokenDeliver
	// before the token expires, and answering tokenDeliver before it.
	// config.TokenMargin is the same figure.
	tokenDeliver = time.Minute
	// tokenLast is the least life a token must have left for the bot to
	// use it: a later message of a public answer goes to the channel
	// instead (one REST call with its retries fits in it).
	tokenLast = 20 * time.Second
	// clockCheck is how often a wait bounded by a token's life reads the
	// clock (Options.Now), so that an injected clock is noticed.
	clockCheck = time.Second
)

// errTokenExpired means an interaction's token has (nearly) expired and the
// message could not be sent another way.
var errTokenExpired = errors.New("the interaction token has expired")

// now reads the bot's clock.
func (b *Bot) now() time.Time {
	if b.opt.Now != nil {
		return b.opt.Now()
	}
	return time.Now()
}

// untilClock returns a context derived from parent that ends at deadline
// by the bot's clock: at that real time, or earlier when the clock
// (Options.Now) is seen past it. A zero deadline means none.
func (b *Bot) untilClock(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	if deadline.IsZero() {
		return context.WithCancel(parent)
	}
	if b.opt.Now == nil {
		return context.WithDeadline(parent, deadline)
	}
	clocked, stop := context.WithCancelCause(parent)
	ctx, cancel := context.WithTimeout(clocked, deadline.Sub(b.now()))
	go func() {
		t := time.NewTicker(clockCheck)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if !b.now().Before(deadline) {
					stop(context.DeadlineExceeded)
					return
				}
			}
		}
	}()
	return ctx, func() { cancel(); stop(context.Canceled) }
}

// timedOut reports whether ctx, from untilClock or a timeout, ended at its
// deadline.
func timedOut(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded)
}

// earliest returns the earlier of two times, a zero time meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// tokenReply is the reply to an interaction that outlives its token: while
// the token has tokenLast left it is the interaction's reply; after that, a
// public answer continues as channel messages headed by a line naming the
// asker by display name (allowed mentions none: nobody is pinged). A
// private answer cannot move to the channel; its late messages fail with
// errTokenExpired.
type tokenReply struct {
	b       *Bot
	inner   *interactionReply
	expires time.Time // when the token stops working
	asker   string    // display name, for the channel fallback
	// question heads the channel fallback.
	question string

	mu       sync.Mutex
	fallback *messageReply // set once the channel took over
}

// newTokenReply replies to interaction i, received at received, for asker
// w.
func (b *Bot) newTokenReply(i *discordgo.Interaction, received time.Time, private bool, question string) *tokenReply {
	return &tokenReply{b: b, inner: &interactionReply{b: b, i: i, ephemeral: private}, expires: received.Add(tokenLife),
		asker: displayName(i), question: question}
}

// channel returns the channel fallback when the token has less than
// tokenLast left, nil while the token serves; it posts the heading line
// the first time. err is errTokenExpired for a private answer.
func (r *tokenReply) channel(ctx context.Context) (*messageReply, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fallback != nil {
		return r.fallback, nil
	}
	if r.b.now().Before(r.expires.Add(-tokenLast)) {
		return nil, nil
	}
	if r.inner.ephemeral {
		return nil, errTokenExpired
	}
	r.fallback = &messageReply{b: r.b, channelID: r.inner.i.ChannelID, inGuild: r.inner.i.GuildID != ""}
	r.b.log.Warn("interaction token (nearly) expired: answering in the channel", "interaction", r.inner.i.ID, "channel", r.inner.i.ChannelID)
	head := fmt.Sprintf("**%s**, about your /ask \"%s\" (Discord's 15 minutes for answering /ask in place ran out, so it continues here):",
		escapeMarkdown(r.asker), escapeMarkdown(oneLine(r.question, 200)))
	if err := r.fallback.note(ctx, head); err != nil {
		r.b.log.Warn("cannot post the heading of a late answer", "err", err)
	}
	return r.fallback, nil
}

func (r *tokenReply) edit(ctx context.Context, m outMessage) (*discordgo.Message, error) {
	fb, err := r.channel(ctx)
	if err != nil {
		return nil, err
	}
	if fb != nil {
		return fb.edit(ctx, m)
	}
	return r.inner.edit(ctx, m)
}

func (r *tokenReply) finish(ctx context.Context, msgs []outMessage) (*discordgo.Message, error) {
	fb, err := r.channel(ctx)
	if err != nil {
		return nil, err
	}
	if fb != nil {
		return fb.finish(ctx, msgs)
	}
	return r.inner.finish(ctx, msgs)
}

func (r *tokenReply) note(ctx context.Context, text string) error {
	fb, err := r.channel(ctx)
	if err != nil {
		return err
	}
	if fb != nil {
		return fb.note(ctx, text)
	}
	return r.inner.note(ctx, text)
}

func (r *tokenReply) fail(ctx context.Context, text string) error {
	fb, err := r.channel(ctx)
	if err != nil {
		return err
	}
	if fb != nil {
		return fb.fail(ctx, text)
	}
	return r.inner.fail(ctx, text)
}

func (r *tokenReply) refuse(ctx context.Context, text string) error {
	return r.fail(ctx, text)
}

// displayName is how an interaction's user is named in text: the server
// nickname, the global display name or the username.
func displayName(i *discordgo.Interaction) string {
	u := i.User
	if i.Member != nil {
		if i.Member.Nick != "" {
			return safetext.Line(i.Member.Nick)
		}
		u = i.Member.User
	}
	switch {
	case u == nil:
		return "someone"
	case u.GlobalName != "":
		return safetext.Line(u.GlobalName)
	}
	return safetext.Line(u.Username)
}
