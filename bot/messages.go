package bot

import (
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// onMessage answers messages that @mention the bot (AnswerMentions),
// direct messages (AnswerDMs), with ThreadReplies every message in the
// bot's threads, and new posts in the auto-answer channels and forums.
func (b *Bot) onMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot {
		return
	}
	history, parent, inThread := b.conv.lookup(m.ChannelID)
	forum, auto := "", false
	if !inThread {
		forum, auto = b.autoAnswered(m)
	}
	if (!auto && !b.addressed(m, inThread)) || !b.isQuestion(m) {
		return
	}
	if !b.track() {
		return
	}
	defer b.wg.Done()
	defer b.recover("message")
	if auto {
		b.autoAnswer(m, forum)
		return
	}
	w := b.messageWhere(m, parent)
	log := b.log.With("message", m.ID, "guild", w.GuildID, "channel", w.ChannelID, "user", w.UserID, "source", "message")
	r := &messageReply{b: b, channelID: m.ChannelID, replyTo: m.ID, inGuild: m.GuildID != ""}
	say := func(text string) {
		if _, err := r.finish(b.work, []outMessage{{Content: text}}); err != nil {
			log.Warn("cannot reply", "err", err)
		}
	}
	q, ok := b.messageQuestion(m, w, say, r, log)
	if !ok {
		return
	}
	req := askRequest{w: w, question: q, history: history, log: log}
	if inThread {
		req.threadID = m.ChannelID
	} else if ref := m.MessageReference; ref != nil {
		if req.history = b.replyHistory(ref.MessageID); len(req.history) > 0 {
			req.replyTo = ref.MessageID
		}
	}
	b.answer(r, req)
}

// addressed reports whether m, a person's message, is one the options
// have the bot answer: a direct message with AnswerDMs; in a server, a
// mention of the bot with AnswerMentions, or any message in one of the
// bot's threads (inThread) with ThreadReplies. The bot's own messages
// never are.
func (b *Bot) addressed(m *discordgo.Message, inThread bool) bool {
	_, botID := b.ids()
	if m.Author.ID == botID {
		return false
	}
	if m.GuildID == "" {
		return b.opt.AnswerDMs
	}
	return (inThread && b.opt.ThreadReplies) || (b.opt.AnswerMentions && mentions(m, botID))
}

// isQuestion reports whether m can be a question: a default or reply
// message (not a system message such as a pin or a thread notice) with
// text. A message without text (a sticker, attachments only) is one only
// when it mentions the bot, whose owner then learns how to ask.
func (b *Bot) isQuestion(m *discordgo.Message) bool {
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return false
	}
	_, botID := b.ids()
	return strings.TrimSpace(m.Content) != "" || mentions(m, botID)
}

// mentions reports whether m mentions the user userID (never, for an
// empty id).
func mentions(m *discordgo.Message, userID string) bool {
	if userID == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == userID {
			return true
		}
	}
	return false
}

// messageWhere is where m comes from; parent is the parent channel when
// m is in one of the bot's threads. For a message in another thread it
// looks the parent up, which may call Discord.
func (b *Bot) messageWhere(m *discordgo.Message, parent string) where {
	w := where{GuildID: m.GuildID, ChannelID: m.ChannelID, ParentID: parent, UserID: m.Author.ID}
	if w.ParentID == "" && w.GuildID != "" {
		w.ParentID = b.parentOf(m.ChannelID)
	}
	if m.Member != nil {
		w.Roles = m.Member.Roles
	}
	return w
}

// messageQuestion returns the question m asks, when the allow-lists, the
// question itself and the rate limit let it be answered. Otherwise it
// reports false, after telling the asker why with say (allow-list
// refusals only in direct messages: in a server the bot stays silent;
// rate-limit refusals with a ⏳ reaction in a server, and in a direct
// message with text at most once a minute). A question refused for
// itself (empty, too long) counts against the rate limit.
func (b *Bot) messageQuestion(m *discordgo.Message, w where, say func(string), r *messageReply, log *slog.Logger) (string, bool) {
	if ok, why := b.permit(w); !ok {
		log.Info("refused by allow-list", "reason", why)
		if w.GuildID == "" {
			say(why)
		}
		return "", false
	}
	if ok, retry := b.limit.Allow(w.UserID, time.Now()); !ok {
		log.Info("rate limited", "retry_after", retry)
		// In a server only a reaction (a reply would be public); in a
		// direct message the explanation once a minute, then reactions.
		if told, _ := b.toldLimit.Allow(w.UserID, time.Now()); w.GuildID == "" && told {
			say(rateLimitMessage(b.opt.RateLimit, retry))
		} else if err := r.refuse(b.work, ""); err != nil {
			log.Warn("cannot refuse", "err", err)
		}
		return "", false
	}
	// After the rate limit, so that explanations count against it too.
	q, problem := cleanQuestion(m.Content, b.opt.MaxQuestionRunes)
	if problem != "" {
		say(problem)
		return "", false
	}
	return q, true
}
