package bot

import (
	"slices"

	"github.com/bwmarrin/discordgo"
)

// Auto-answer (off by default): every new post by a person in an
// auto-answer channel is answered without a mention, in a thread opened on
// the post; in an auto-answer forum, every new post (the starter message of
// a new thread, whose id is the thread's) is answered in its thread. The
// thread becomes one of the bot's, so follow-ups there carry the
// conversation (with ThreadReplies, or by mentioning the bot). The
// allow-lists, the rate limit, the queue and the message-type rules (no
// bots, system messages, stickers or attachment-only posts) apply as for
// mentions; refusals are a ⏳ reaction on the post.

// autoAnswered reports whether m is a new post the options have the bot
// answer without a mention; forum is the forum of a forum post.
func (b *Bot) autoAnswered(m *discordgo.Message) (forum string, ok bool) {
	switch {
	case m.GuildID == "":
		return "", false
	case slices.Contains(b.opt.AutoAnswerChannels, m.ChannelID):
		return "", true
	case len(b.opt.AutoAnswerForums) == 0 || m.ID != m.ChannelID:
		// Only a forum post's starter message has its thread's id.
		return "", false
	}
	forum = b.threadParent(m.ChannelID)
	return forum, slices.Contains(b.opt.AutoAnswerForums, forum)
}

// threadParent returns a thread's parent channel: from the bot's memory
// or the session state (THREAD_CREATE), else asked of Discord, for a
// post whose THREAD_CREATE has not arrived. "" when unknown.
func (b *Bot) threadParent(threadID string) string {
	if p := b.parentOf(threadID); p != "" {
		return p
	}
	opt, cancel := b.rest(b.work)
	defer cancel()
	ch, err := b.s.Channel(threadID, opt)
	if err != nil || !ch.IsThread() {
		b.log.Debug("cannot tell a post's forum", "thread", threadID, "err", err)
		return ""
	}
	return ch.ParentID
}

// autoAnswer answers m, a post autoAnswered chose; forum is the forum of a
// forum post, "" for a post in a channel.
func (b *Bot) autoAnswer(m *discordgo.Message, forum string) {
	w := b.messageWhere(m, forum)
	log := b.log.With("message", m.ID, "guild", w.GuildID, "channel", w.ChannelID, "user", w.UserID, "source", "auto")
	onPost := &messageReply{b: b, channelID: m.ChannelID, replyTo: m.ID, inGuild: true}
	say := func(text string) {
		if _, err := onPost.finish(b.work, []outMessage{{Content: text}}); err != nil {
			log.Warn("cannot reply", "err", err)
		}
	}
	q, ok := b.messageQuestion(m, w, say, onPost, log)
	if !ok {
		return
	}
	// The queue before the thread: a post the bot cannot take gets a
	// reaction, not an empty thread.
	t, pos, err := b.adm.Enter()
	if err != nil {
		log.Info("not admitted", "err", err, "queue", b.opt.QueueSize)
		if err := onPost.refuse(b.work, ""); err != nil {
			log.Warn("cannot refuse", "err", err)
		}
		return
	}
	req := askRequest{w: w, question: q, log: log, ticket: t, pos: pos}
	if forum != "" { // a forum post: its own thread
		req.threadID, req.threadParent = m.ChannelID, forum
		b.answer(onPost, req)
		return
	}
	opt, cancel := b.rest(b.work)
	th, err := b.s.MessageThreadStartComplex(m.ChannelID, m.ID, &discordgo.ThreadStart{
		Name: oneLine(q, 90), AutoArchiveDuration: 1440}, opt)
	cancel()
	if err != nil {
		log.Warn("cannot open a thread on the post: answering in the channel", "err", err)
		b.answer(onPost, req)
		return
	}
	req.threadID, req.threadParent = th.ID, m.ChannelID
	b.answer(&messageReply{b: b, channelID: th.ID, inGuild: true}, req)
}
