package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// handleButton shows a cited passage (privately) or records feedback.
func (b *Bot) handleButton(i *discordgo.Interaction, w where, log *slog.Logger) {
	id := i.MessageComponentData().CustomID
	log = log.With("button", id)
	if ok, why := b.permit(w); !ok {
		log.Info("refused by allow-list", "reason", why)
		b.respond(b.work, i, why, true)
		return
	}
	switch {
	case strings.HasPrefix(id, idSource):
		b.showPassage(i, strings.TrimPrefix(id, idSource), log)
	case id == idHelpful || id == idWrong:
		b.recordFeedback(i, w, id == idHelpful, log)
	case id == idWhy:
		b.showTrace(i, log)
	case (strings.HasPrefix(id, idRemove) || strings.HasPrefix(id, idRemoveCancel)) && b.opt.Uploads != nil:
		b.handleRemoveButton(i, w, id, log)
	default:
		b.respond(b.work, i, "This button is no longer supported.", true)
	}
}

// showPassage answers a Sources button with the full passage, visible to
// the one who clicked only.
func (b *Bot) showPassage(i *discordgo.Interaction, arg string, log *slog.Logger) {
	nStr, pid, _ := strings.Cut(arg, ":")
	n, _ := strconv.Atoi(nStr)
	ctx, cancel := context.WithTimeout(b.work, 2*time.Second) // Discord wants a response within 3 s
	src, err := b.ans.Passage(ctx, pid)
	cancel()
	if src != nil {
		s := safeSource(*src)
		src = &s
	}
	if err != nil {
		if errors.Is(err, ErrUnknownPassage) {
			b.respond(b.work, i, "That passage is no longer in the index (the reports were re-indexed). Ask again for fresh sources.", true)
			return
		}
		log.Warn("passage lookup failed", "passage", pid, "err", err)
		b.respond(b.work, i, msgFailed, true)
		return
	}
	opt, cancelREST := b.rest(b.work)
	defer cancelREST()
	err = b.callback(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds:          safeEmbeds([]*discordgo.MessageEmbed{passageEmbed(n, src)}),
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}, opt)
	if err != nil {
		log.Warn("discord: show passage", "err", err)
		return
	}
	log.Info("showed passage", "passage", pid)
}

// showTrace answers the "Why?" button with how the answer was found,
// visible to the one who clicked only.
func (b *Bot) showTrace(i *discordgo.Interaction, log *slog.Logger) {
	var rec answerRecord
	ok := false
	if i.Message != nil {
		rec, ok = b.mem.get(i.Message.ID)
	}
	if !ok || rec.trace == "" {
		b.respond(b.work, i, "The trace of this answer is no longer available (the bot restarted since); ask again to see one.", true)
		return
	}
	opt, cancelREST := b.rest(b.work)
	defer cancelREST()
	err := b.callback(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Embeds: safeEmbeds([]*discordgo.MessageEmbed{{
				Title:       "How this answer was found",
				Description: "```\n" + truncate(strings.ReplaceAll(rec.trace, "`", "ˋ"), maxEmbedDescription-headroom-10) + "\n```",
				Color:       colourClosest,
			}}),
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}, opt)
	if err != nil {
		log.Warn("discord: show trace", "err", err)
		return
	}
	log.Info("showed trace")
}

// recordFeedback appends a helpful/wrong verdict with the question, the
// answer and the passage ids to the feedback file: one vote per user per
// answer, which a click on the other button changes.
func (b *Bot) recordFeedback(i *discordgo.Interaction, w where, helpful bool, log *slog.Logger) {
	if b.fb == nil {
		b.respond(b.work, i, "Feedback is not enabled.", true)
		return
	}
	rec := FeedbackRecord{Time: time.Now().UTC(), Verdict: "wrong", UserID: w.UserID, GuildID: w.GuildID, ChannelID: w.ChannelID}
	if helpful {
		rec.Verdict = "helpful"
	}
	if m := i.Message; m != nil {
		rec.MessageID = m.ID
		if a, ok := b.mem.get(m.ID); ok {
			rec.Question, rec.Answer, rec.PassageIDs, rec.NotFound = a.question, a.answer, a.passageIDs, a.notFound
		} else {
			// Answered before a restart: take what the message shows.
			rec.Answer, rec.PassageIDs = m.Content, buttonPassages(m.Components)
		}
	}
	previous, err := b.fb.vote(rec)
	if err != nil {
		log.Error("cannot record feedback", "err", err)
		b.respond(b.work, i, "Sorry, your feedback could not be recorded.", true)
		return
	}
	log.Info("feedback", "verdict", rec.Verdict, "previous", previous, "message", rec.MessageID, "passages", len(rec.PassageIDs))
	switch previous {
	case "":
		b.respond(b.work, i, "Thank you: recorded as "+rec.Verdict+".", true)
	case rec.Verdict:
		b.respond(b.work, i, "You have already marked this answer as "+rec.Verdict+": one vote per answer. Click the other button to change it.", true)
	default:
		b.respond(b.work, i, "Thank you: your vote is changed from "+previous+" to "+rec.Verdict+".", true)
	}
}

// buttonPassages reads the passage ids back from an answer's Sources
// buttons.
func buttonPassages(rows []discordgo.MessageComponent) []string {
	var ids []string
	for _, r := range rows {
		row, ok := r.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range row.Components {
			if btn, ok := c.(*discordgo.Button); ok && strings.HasPrefix(btn.CustomID, idSource) {
				if _, pid, ok := strings.Cut(strings.TrimPrefix(btn.CustomID, idSource), ":"); ok {
					ids = append(ids, pid)
				}
			}
		}
	}
	return ids
}
