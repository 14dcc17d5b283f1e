package bot

import (
	"time"

	"github.com/bwmarrin/discordgo"
)

// onMessage answers messages that @mention the bot (AnswerMentions),
// direct messages (AnswerDMs) and, with ThreadReplies, every message in
// the bot's threads.
func (b *Bot) onMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot {
		return
	}
	_, botID := b.ids()
	if m.Author.ID == botID {
		return
	}
	history, parent, inThread := b.conv.lookup(m.ChannelID)
	mentioned := false
	for _, u := range m.Mentions {
		mentioned = mentioned || (u != nil && u.ID == botID && botID != "")
	}
	isDM := m.GuildID == ""
	switch {
	case isDM && b.opt.AnswerDMs:
	case !isDM && inThread && (b.opt.ThreadReplies || (mentioned && b.opt.AnswerMentions)):
	case !isDM && mentioned && b.opt.AnswerMentions:
	default:
		return
	}
	if !b.track() {
		return
	}
	defer b.wg.Done()
	defer b.recover("message")
	w := where{GuildID: m.GuildID, ChannelID: m.ChannelID, ParentID: parent, UserID: m.Author.ID}
	if w.ParentID == "" && !isDM {
		w.ParentID = b.parentOf(m.ChannelID)
	}
	if m.Member != nil {
		w.Roles = m.Member.Roles
	}
	log := b.log.With("message", m.ID, "guild", w.GuildID, "channel", w.ChannelID, "user", w.UserID, "source", "message")
	r := &messageReply{b: b, channelID: m.ChannelID, replyTo: m.ID}
	say := func(text string) {
		if _, err := r.finish(b.work, []outMessage{{Content: text}}); err != nil {
			log.Warn("cannot reply", "err", err)
		}
	}
	if ok, why := b.permit(w); !ok {
		log.Info("refused by allow-list", "reason", why)
		if isDM {
			say(why)
		}
		return
	}
	q, problem := cleanQuestion(m.Content)
	if problem != "" {
		say(problem)
		return
	}
	if ok, retry := b.limit.Allow(w.UserID, time.Now()); !ok {
		log.Info("rate limited", "retry_after", retry)
		say(rateLimitMessage(b.opt.RateLimit, retry))
		return
	}
	req := askRequest{w: w, question: q, history: history, log: log}
	if inThread {
		req.threadID = m.ChannelID
	}
	b.answer(r, req)
}
