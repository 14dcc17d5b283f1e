package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// User-facing messages.
const (
	msgSearching  = "🔎 Searching the reports…"
	msgRestarting = "reportbot is restarting. Please ask again in a minute."
	msgFailed     = "Sorry, something went wrong while answering. Please try again."
	msgTooSlow    = "Sorry, that took too long to answer. Please try again, or ask more simply."
	msgEmpty      = "Please ask a question about the government work reports, for example `/ask 2018年新增就业目标是多少?` " +
		"(mentions such as @everyone are not part of a question)."
	msgTooLong = "That question is too long: please keep it under %d characters."
)

// mentionRE matches Discord mentions: users, roles, channels, @everyone
// and @here. They are removed from questions.
var mentionRE = regexp.MustCompile(`<@[!&]?\d+>|<#\d+>|@everyone|@here`)

// cleanQuestion removes mentions and extra space from a question and
// checks its length against maxRunes (Options.MaxQuestionRunes; 0: no
// limit here, the Answerer's ErrBadQuestion still applies). When the
// question cannot be asked, problem is the message for the asker.
func cleanQuestion(raw string, maxRunes int) (q, problem string) {
	q = mentionRE.ReplaceAllString(strings.ToValidUTF8(raw, " "), " ")
	q = strings.Join(strings.Fields(q), " ")
	switch {
	case q == "":
		return "", msgEmpty
	case maxRunes > 0 && utf8.RuneCountInString(q) > maxRunes:
		return "", fmt.Sprintf(msgTooLong, maxRunes)
	}
	return q, ""
}

// askRequest is one question to answer.
type askRequest struct {
	w        where
	question string
	history  []Turn
	// replyTo is the bot's earlier answer the question replied to, whose
	// conversation history holds.
	replyTo  string
	threadID string // the bot's thread the question was asked in, if any
	// threadParent, when set, makes threadID one of the bot's threads once
	// answered (auto-answer), with this parent channel.
	threadParent string
	// openThread opens a thread on the answer (for /ask in a channel).
	openThread bool
	log        *slog.Logger
	// ticket, when set, is the question's place in the admission queue,
	// taken before the acknowledgement (pos as Enter returned it).
	ticket *ticket
	pos    int
	// expires is when the interaction's token expires (zero for a
	// message): queue wait and answer end early enough to post in time.
	expires time.Time
}

// handleAsk answers /ask: refusals at once and privately; otherwise a
// deferred response within Discord's 3 s, then the answer: public, or with
// private set (/ask private:true) seen by the asker alone, with no thread.
func (b *Bot) handleAsk(i *discordgo.Interaction, w where, raw string, private bool, log *slog.Logger) {
	received := b.now()
	q, problem := cleanQuestion(raw, b.opt.MaxQuestionRunes)
	if problem != "" {
		b.respond(b.work, i, problem, true)
		return
	}
	if ok, retry := b.limit.Allow(w.UserID, time.Now()); !ok {
		log.Info("rate limited", "retry_after", retry)
		b.respond(b.work, i, rateLimitMessage(b.opt.RateLimit, retry), true)
		return
	}
	// The queue is checked before the public acknowledgement, so that a
	// busy refusal goes to the asker only.
	t, pos, err := b.adm.Enter()
	if err != nil {
		log.Info("not admitted", "err", err, "queue", b.opt.QueueSize)
		b.respond(b.work, i, b.admissionMessage(err), true)
		return
	}
	if err := b.deferResponse(b.work, i, private); err != nil {
		t.Done()
		log.Warn("cannot acknowledge /ask", "err", err)
		return
	}
	history, _, inThread := b.conv.lookup(w.ChannelID)
	req := askRequest{w: w, question: q, history: history, log: log, ticket: t, pos: pos, expires: received.Add(tokenLife)}
	if inThread {
		req.threadID = w.ChannelID
	} else {
		req.openThread = w.GuildID != "" && w.ParentID == "" && !private
	}
	b.answer(b.newTokenReply(i, received, private, q), req)
}

// admissionMessage tells an asker why the admission queue refused them.
func (b *Bot) admissionMessage(err error) string {
	if errors.Is(err, errBusy) {
		return fmt.Sprintf("⏳ reportbot is busy: all %d places in the queue are taken, so you would be number %d. Please ask again in a minute.",
			b.opt.QueueSize, b.opt.QueueSize+1)
	}
	return msgRestarting
}

func rateLimitMessage(limit int, retry time.Duration) string {
	secs := int(retry.Round(time.Second) / time.Second)
	return fmt.Sprintf("You have asked %d questions in the last minute. Please wait %d s and ask again.", limit, max(secs, 1))
}

// waitTurn takes req's place in the admission queue (unless it has one),
// tells the asker their position, and waits for an answer slot: at most
// QueueWait, and for an interaction only as long as leaves AnswerTimeout
// and tokenDeliver of its token's life. When it reports false, the asker
// has been told why and there is no ticket to release.
func (b *Bot) waitTurn(r reply, req askRequest, say func(string), log *slog.Logger) (*ticket, bool) {
	start := time.Now()
	t, pos := req.ticket, req.pos
	if t == nil {
		var err error
		if t, pos, err = b.adm.Enter(); err != nil {
			log.Info("not admitted", "err", err, "queue", b.opt.QueueSize)
			if err := r.refuse(b.work, b.admissionMessage(err)); err != nil {
				log.Warn("cannot refuse", "err", err)
			}
			return nil, false
		}
	}
	if pos > 0 {
		log.Info("queued", "position", pos)
		if _, err := r.edit(b.work, outMessage{Content: fmt.Sprintf("⏳ reportbot is busy: you are number %d in the queue. Your answer will appear here.", pos)}); err != nil {
			log.Warn("cannot post queue position", "err", err)
		}
	}
	var waitEnd time.Time
	if !req.expires.IsZero() {
		waitEnd = req.expires.Add(-tokenDeliver - b.opt.AnswerTimeout)
	}
	wctx, wcancel := b.untilClock(b.work, earliest(b.now().Add(b.opt.QueueWait), waitEnd))
	err := t.Wait(wctx)
	waitedOut := timedOut(wctx)
	wcancel()
	switch {
	case err == nil:
		return t, true
	case b.work.Err() == nil && waitedOut:
		log.Warn("waited too long in the queue", "waited", time.Since(start))
		say("⏳ reportbot is too busy to answer in time. Please ask again later.")
	default:
		log.Info("dropped from the queue", "err", err)
		say(msgRestarting)
	}
	t.Done()
	return nil, false
}

// answer runs one question through the queue and the answerer and posts
// the answer to r: progress first, then streamed text at most once per
// EditInterval, then always a final message.
func (b *Bot) answer(r reply, req askRequest) {
	start := time.Now()
	log := req.log.With("question_len", utf8.RuneCountInString(req.question), "history", len(req.history))
	// say tells the asker, and only the asker where Discord allows, why
	// there is no answer.
	say := func(text string) {
		if err := r.fail(b.work, text); err != nil {
			log.Warn("cannot post message", "err", err)
		}
	}
	t, ok := b.waitTurn(r, req, say, log)
	if !ok {
		return
	}
	defer t.Done() // idempotent; released below once the answer is made
	var answerEnd time.Time
	if !req.expires.IsZero() {
		answerEnd = req.expires.Add(-tokenDeliver)
	}
	queued := time.Since(start)
	if _, err := r.edit(b.work, outMessage{Content: msgSearching}); err != nil {
		log.Warn("cannot post progress", "err", err)
	}
	st := newStreamer(b.work, b.opt.EditInterval, func(ctx context.Context, text string) error {
		_, err := r.edit(ctx, outMessage{Content: truncate(text, maxContent-headroom) + " ▍"})
		return err
	})
	var streamed strings.Builder
	ctx, cancel := b.untilClock(b.work, earliest(b.now().Add(b.opt.AnswerTimeout), answerEnd))
	ans, err := b.safeAnswer(ctx, Question{Text: req.question, History: req.history, OnDelta: func(d string) {
		streamed.WriteString(d)
		st.Update(streamed.String())
	}})
	if err != nil && timedOut(ctx) && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded)
	}
	cancel()
	st.Stop()
	// The slot is for answering: posting the answer and opening its thread
	// (one route per channel, so possibly slow) do not hold it.
	t.Done()
	if err != nil {
		log.Warn("answer failed", "err", err, "latency", time.Since(start))
		say(b.failureText(err))
		return
	}
	turn := Turn{Question: req.question, Answer: ans.Text}
	switch {
	case req.threadParent != "":
		b.rememberThread(req.threadID, req.threadParent, turn)
	case req.threadID != "":
		b.rememberTurn(req.threadID, turn)
	}
	msgs := renderAnswer(ans, b.fb != nil)
	m, err := r.finish(b.work, msgs)
	var partial *partialError
	switch {
	case errors.As(err, &partial) && m != nil:
		// Keep what was delivered: remember it and open its thread as
		// for a whole answer, and tell the asker what is missing.
		log.Error("answer posted in part", "err", err)
		b.keepPartial(r, msgs, partial, log)
	case err != nil:
		log.Error("cannot post answer", "err", err)
		say(msgFailed)
		return
	}
	ids := make([]string, 0, len(ans.Sources))
	for _, s := range ans.Sources {
		ids = append(ids, s.PassageID)
	}
	if m != nil {
		b.rememberAnswer(m.ID, answerRecord{question: req.question, answer: ans.Text, passageIDs: ids, notFound: ans.NotFound, trace: ans.Trace, replyTo: req.replyTo})
	}
	if req.openThread && m != nil {
		b.openThread(req, m, turn, log)
	}
	log.Info("answered", "sources", len(ans.Sources), "not_found", ans.NotFound, "queued", queued, "latency", time.Since(start))
	log.Debug("answered question", "question", req.question)
}

// openThread starts a thread on an answer, where follow-up questions carry
// the conversation.
func (b *Bot) openThread(req askRequest, m *discordgo.Message, first Turn, log *slog.Logger) {
	name := oneLine(req.question, 90)
	opt, cancel := b.rest(b.work)
	defer cancel()
	th, err := b.s.MessageThreadStartComplex(req.w.ChannelID, m.ID, &discordgo.ThreadStart{Name: name, AutoArchiveDuration: 1440}, opt)
	if err != nil {
		log.Warn("cannot open a thread for follow-ups", "err", err)
		return
	}
	b.rememberThread(th.ID, req.w.ChannelID, first)
	log.Info("opened thread", "thread", th.ID)
}

// safeAnswer calls the answerer, turning a panic into an error so that the
// asker still gets a final message. The sources' one-line fields come back
// on one line (safeSource).
func (b *Bot) safeAnswer(ctx context.Context, q Question) (a *Answer, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("answerer panicked: %v\n%s", r, debug.Stack())
		}
	}()
	a, err = b.ans.Answer(ctx, q)
	if a != nil && a.Sources != nil {
		c := *a
		c.Sources = make([]Source, len(a.Sources))
		for i, s := range a.Sources {
			c.Sources[i] = safeSource(s)
		}
		a = &c
	}
	return a, err
}

// failureText is what the asker is told when answering failed with err.
func (b *Bot) failureText(err error) string {
	switch {
	case errors.Is(err, ErrBadQuestion):
		return "I cannot answer that: " + strings.TrimPrefix(err.Error(), ErrBadQuestion.Error()+": ")
	case b.work.Err() != nil:
		return "Interrupted: " + msgRestarting
	case errors.Is(err, context.DeadlineExceeded):
		return msgTooSlow
	}
	return msgFailed
}

// keepPartial handles an answer posted in part: it tells the asker what is
// missing and moves the answer's buttons (sources, feedback, Why?), which
// were on the last message, onto the first, which is shown.
func (b *Bot) keepPartial(r reply, msgs []outMessage, partial *partialError, log *slog.Logger) {
	if err := r.note(b.work, partial.missingNote()); err != nil {
		log.Warn("cannot tell the asker that part of the answer is missing", "err", err)
	}
	if last := msgs[len(msgs)-1]; last.Components != nil {
		if _, err := r.edit(b.work, outMessage{Content: msgs[0].Content, Components: last.Components}); err != nil {
			log.Warn("cannot move the answer's buttons to its first message", "err", err)
		}
	}
}
