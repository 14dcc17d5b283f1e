package bot

import (
	"context"
	"fmt"
	"sync"

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
	msg, err := r.b.s.InteractionResponseEdit(r.i, e, opt)
	if err != nil {
		return nil, fmt.Errorf("discord: edit interaction response: %w", err)
	}
	return msg, nil
}

func (r *interactionReply) finish(ctx context.Context, msgs []outMessage) (*discordgo.Message, error) {
	return finishMessages(ctx, r.edit, msgs, func(f outMessage) error {
		f = safeMessage(f)
		p := &discordgo.WebhookParams{Content: f.Content, Embeds: f.Embeds, Components: f.Components, AllowedMentions: noMentions(), Files: f.Files}
		if r.ephemeral {
			p.Flags = discordgo.MessageFlagsEphemeral
		}
		opt, cancel := r.b.rest(ctx)
		defer cancel()
		if _, err := r.b.s.FollowupMessageCreate(r.i, true, p, opt); err != nil {
			return fmt.Errorf("discord: follow-up message: %w", err)
		}
		return nil
	})
}

// finishMessages makes the first message msgs[0] (clearing embeds and
// components it does not set) and sends the rest, in order, with follow.
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
	for _, f := range msgs[1:] {
		if err := follow(f); err != nil {
			return m, err
		}
	}
	return m, nil
}

// messageReply answers a message: the first message replies to it (the
// asker is not pinged) and is then edited.
type messageReply struct {
	b         *Bot
	channelID string
	replyTo   string // the question's message id

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
