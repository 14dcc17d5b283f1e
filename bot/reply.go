package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// reply is where an answer goes: the response to an interaction, or a
// reply to a message. The first message is edited while the answer
// streams; further messages follow it.
type reply interface {
	// edit replaces the first message; only the fields of m that are set
	// change, except Content.
	edit(ctx context.Context, m outMessage) (*discordgo.Message, error)
	// finish sends the final messages: the first replaces the first
	// message, the rest follow it. It returns the first message.
	finish(ctx context.Context, msgs []outMessage) (*discordgo.Message, error)
	// note tells the asker something about an answer already posted: an
	// ephemeral follow-up for an interaction, a message after it for a
	// message.
	note(ctx context.Context, text string) error
	// fail tells the asker why there is no answer: privately (an
	// ephemeral follow-up, the public response deleted) for an
	// interaction; as the reply for a message.
	fail(ctx context.Context, text string) error
	// refuse tells the asker that the question is not taken (rate limit,
	// busy, restarting), before anything is posted: privately for an
	// interaction; for a message in a server, only a ⏳ reaction on it.
	refuse(ctx context.Context, text string) error
}

// interactionReply edits a deferred interaction response and sends
// follow-ups.
type interactionReply struct {
	b         *Bot
	i         *discordgo.Interaction
	ephemeral bool
}

func (r *interactionReply) edit(ctx context.Context, m outMessage) (*discordgo.Message, error) {
	m = safeMessage(m)
	e := &discordgo.WebhookEdit{Content: &m.Content, AllowedMentions: noMentions(), Files: m.Files}
	if m.Embeds != nil {
		e.Embeds = &m.Embeds
	}
	if m.Components != nil {
		e.Components = &m.Components
	}
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	msg, err := r.b.editOriginal(r.i, e, opt)
	if err != nil {
		return nil, fmt.Errorf("discord: edit interaction response: %w", err)
	}
	return msg, nil
}

func (r *interactionReply) finish(ctx context.Context, msgs []outMessage) (*discordgo.Message, error) {
	return finishMessages(ctx, r.edit, msgs, func(f outMessage) error {
		return r.followUp(ctx, f, r.ephemeral)
	})
}

// Follow-up retries: a part of an answer that Discord refuses is sent
// again this many times in all, waiting followUpRetryDelay (doubling)
// between attempts.
const (
	followUpAttempts   = 3
	followUpRetryDelay = 250 * time.Millisecond
)

// partialError reports an answer of which only the first Sent of Total
// messages could be posted.
type partialError struct {
	Sent, Total int
	Err         error
}

func (e *partialError) Error() string {
	return fmt.Sprintf("posted %d of %d messages: %v", e.Sent, e.Total, e.Err)
}

func (e *partialError) Unwrap() error { return e.Err }

// missingNote is what the asker is told when an answer is posted in part.
func (e *partialError) missingNote() string {
	return fmt.Sprintf("⚠️ Only %d of the %d messages of this answer could be posted: Discord refused the rest. "+
		"Ask again to see the whole answer.", e.Sent, e.Total)
}

func (r *interactionReply) note(ctx context.Context, text string) error {
	return r.followUp(ctx, outMessage{Content: text}, true)
}

func (r *interactionReply) fail(ctx context.Context, text string) error {
	if r.ephemeral {
		_, err := r.finish(ctx, []outMessage{{Content: text}})
		return err
	}
	// The public response has been edited (progress or queue position)
	// by now, so this follow-up is a message of its own, which may be
	// ephemeral; then the public one goes.
	if err := r.followUp(ctx, outMessage{Content: text}, true); err != nil {
		// Better said in public than not at all.
		_, ferr := r.finish(ctx, []outMessage{{Content: text}})
		return errors.Join(err, ferr)
	}
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	if err := r.b.s.InteractionResponseDelete(r.i, opt); err != nil {
		return fmt.Errorf("discord: delete interaction response: %w", redactURL(err))
	}
	return nil
}

func (r *interactionReply) refuse(ctx context.Context, text string) error {
	return r.fail(ctx, text)
}

// followUp sends a follow-up message, ephemeral when asked.
func (r *interactionReply) followUp(ctx context.Context, f outMessage, ephemeral bool) error {
	f = safeMessage(f)
	p := &discordgo.WebhookParams{Content: f.Content, Embeds: f.Embeds, Components: f.Components, AllowedMentions: noMentions(), Files: f.Files}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	if _, err := r.b.s.FollowupMessageCreate(r.i, true, p, opt); err != nil {
		return fmt.Errorf("discord: follow-up message: %w", redactURL(err))
	}
	return nil
}

// finishMessages makes the first message msgs[0] (clearing embeds and
// components it does not set) and sends the rest, in order, with follow,
// retrying each a few times. When the first message is posted but a later
// one is not, it returns the first message and a *partialError.
func finishMessages(ctx context.Context, edit func(context.Context, outMessage) (*discordgo.Message, error),
	msgs []outMessage, follow func(outMessage) error) (*discordgo.Message, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	first := msgs[0]
	if first.Embeds == nil {
		first.Embeds = []*discordgo.MessageEmbed{}
	}
	if first.Components == nil {
		first.Components = []discordgo.MessageComponent{}
	}
	m, err := edit(ctx, first)
	if err != nil {
		return nil, err
	}
	for n, f := range msgs[1:] {
		if err := retry(ctx, func() error { return follow(f) }); err != nil {
			return m, &partialError{Sent: n + 1, Total: len(msgs), Err: err}
		}
	}
	return m, nil
}

// retry calls f up to followUpAttempts times until it succeeds.
func retry(ctx context.Context, f func() error) error {
	delay := followUpRetryDelay
	var err error
	for n := range followUpAttempts {
		if err = f(); err == nil || n == followUpAttempts-1 {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
		delay *= 2
	}
	return err
}

// messageReply answers a message: the first message replies to it (the
// asker is not pinged) and is then edited.
type messageReply struct {
	b         *Bot
	channelID string
	replyTo   string // the question's message id
	inGuild   bool   // in a server, where nothing can be said privately

	mu    sync.Mutex
	first *discordgo.Message
}

func (r *messageReply) edit(ctx context.Context, m outMessage) (*discordgo.Message, error) {
	m = safeMessage(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	if r.first == nil {
		msg, err := r.send(m, true, opt)
		if err != nil {
			return nil, err
		}
		r.first = msg
		return msg, nil
	}
	e := &discordgo.MessageEdit{ID: r.first.ID, Channel: r.channelID, Content: &m.Content, AllowedMentions: noMentions(), Files: m.Files}
	if m.Embeds != nil {
		e.Embeds = &m.Embeds
	}
	if m.Components != nil {
		e.Components = &m.Components
	}
	msg, err := r.b.s.ChannelMessageEditComplex(e, opt)
	if err != nil {
		return nil, fmt.Errorf("discord: edit message: %w", err)
	}
	return msg, nil
}

func (r *messageReply) send(m outMessage, asReply bool, opt discordgo.RequestOption) (*discordgo.Message, error) {
	m = safeMessage(m)
	ms := &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.Files}
	if asReply && r.replyTo != "" {
		ms.Reference = &discordgo.MessageReference{MessageID: r.replyTo, ChannelID: r.channelID}
		f := false
		ms.Reference.FailIfNotExists = &f
	}
	msg, err := r.b.s.ChannelMessageSendComplex(r.channelID, ms, opt)
	if err != nil {
		return nil, fmt.Errorf("discord: send message: %w", err)
	}
	return msg, nil
}

func (r *messageReply) finish(ctx context.Context, msgs []outMessage) (*discordgo.Message, error) {
	return finishMessages(ctx, r.edit, msgs, func(f outMessage) error {
		opt, cancel := r.b.rest(ctx)
		defer cancel()
		_, err := r.send(f, false, opt)
		return err
	})
}

func (r *messageReply) note(ctx context.Context, text string) error {
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	_, err := r.send(outMessage{Content: text}, false, opt)
	return err
}

func (r *messageReply) fail(ctx context.Context, text string) error {
	_, err := r.finish(ctx, []outMessage{{Content: text}})
	return err
}

// reactWait is the reaction that refuses a message's question in a
// server without a public reply.
const reactWait = "⏳"

// refuse, for a message, reacts with ⏳ in a server or when text is empty
// (a refusal already explained); in a direct message it replies with text.
func (r *messageReply) refuse(ctx context.Context, text string) error {
	if (!r.inGuild && text != "") || r.replyTo == "" {
		return r.fail(ctx, text)
	}
	opt, cancel := r.b.rest(ctx)
	defer cancel()
	if err := r.b.s.MessageReactionAdd(r.channelID, r.replyTo, reactWait, opt); err != nil {
		return fmt.Errorf("discord: add reaction: %w", err)
	}
	return nil
}
