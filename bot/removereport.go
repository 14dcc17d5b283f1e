package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// /removereport id:<id> shows the upload with a Remove and a Cancel
// button that only the invoker may press, for removeConfirmWindow; Remove
// deletes the upload and re-indexes, editing the message.

// handleRemoveReport runs /removereport: it shows the upload with a
// confirmation button that only the invoker may press, for a while.
func (b *Bot) handleRemoveReport(i *discordgo.Interaction, w where, data discordgo.ApplicationCommandInteractionData, log *slog.Logger) {
	if !b.uploadAllowed(i, w, log) {
		return
	}
	id := ""
	if o := data.GetOption(optID); o != nil {
		id = strings.TrimSpace(o.StringValue())
	}
	ctx, cancel := context.WithTimeout(b.work, 2*time.Second) // Discord wants a response within 3 s
	up, err := b.opt.Uploads.Find(ctx, id)
	cancel()
	if err != nil {
		log.Info("removereport refused", "id", id, "err", err)
		b.respond(b.work, i, findFailureText(id, err), true)
		return
	}
	deadline := time.Now().Add(removeConfirmWindow)
	text := fmt.Sprintf("Remove upload `%s`, **%s** (%s, %d passages, added %s)? The index is rebuilt without it. This button works for %d minutes.",
		up.ID, escapeMarkdown(uploadLabel(up)), quoteName(up.Name), up.Passages, up.Added.UTC().Format("2006-01-02 15:04 UTC"),
		int(removeConfirmWindow/time.Minute))
	resp := &discordgo.InteractionResponseData{
		Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Remove", Style: discordgo.DangerButton,
				CustomID: fmt.Sprintf("%s%s:%s:%d", idRemove, up.ID, w.UserID, deadline.Unix())},
			discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: idRemoveCancel + w.UserID},
		}}},
	}
	m := safeMessage(outMessage{Content: resp.Content})
	resp.Content = m.Content
	opt, cancelREST := b.rest(b.work)
	defer cancelREST()
	if err := b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: resp}, opt); err != nil {
		log.Warn("discord: removereport confirmation", "err", err)
	}
}

// findFailureText explains why an id cannot be removed.
func findFailureText(id string, err error) string {
	switch {
	case errors.Is(err, ErrNotUpload):
		return strings.TrimPrefix(err.Error(), ErrNotUpload.Error()+": ") + ". /removereport removes only reports added with /addreport; the operator manages the corpus directory's files."
	case errors.Is(err, ErrUnknownUpload):
		return fmt.Sprintf("No upload has the id `%s`. /reports lists the uploads with their ids.", escapeMarkdown(strings.ReplaceAll(id, "`", "'")))
	}
	return "The uploads cannot be read right now; see the bot's log."
}

// handleRemoveButton answers the /removereport confirmation buttons.
func (b *Bot) handleRemoveButton(i *discordgo.Interaction, w where, customID string, log *slog.Logger) {
	if owner, ok := strings.CutPrefix(customID, idRemoveCancel); ok {
		if owner != w.UserID {
			b.respond(b.work, i, "Only the admin who asked may answer this.", true)
			return
		}
		b.updateMessage(i, "Not removed.", log)
		return
	}
	parts := strings.Split(strings.TrimPrefix(customID, idRemove), ":")
	if len(parts) != 3 {
		b.respond(b.work, i, "This button is no longer supported.", true)
		return
	}
	id, owner := parts[0], parts[1]
	deadline, err := strconv.ParseInt(parts[2], 10, 64)
	switch {
	case owner != w.UserID:
		b.respond(b.work, i, "Only the admin who asked may confirm this removal.", true)
		return
	case err != nil || time.Now().After(time.Unix(deadline, 0)):
		b.updateMessage(i, "This confirmation has expired; nothing was removed. Run /removereport again.", log)
		return
	case !b.isAdmin(w):
		b.respond(b.work, i, "Only members with an admin role may remove reports.", true)
		return
	case b.opt.Uploads.ReadOnly() != "":
		b.updateMessage(i, b.opt.Uploads.ReadOnly(), log)
		return
	}
	b.removeUpload(i, id, log)
}

// removeUpload removes upload id after its confirmation and re-indexes,
// editing the confirmation message.
func (b *Bot) removeUpload(i *discordgo.Interaction, id string, log *slog.Logger) {
	start := time.Now()
	opt, cancel := b.rest(b.work)
	err := b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, opt)
	cancel()
	if err != nil {
		log.Warn("discord: acknowledge removal", "err", err)
		return
	}
	r := &interactionReply{b: b, i: i, ephemeral: true}
	say := func(text string) { b.uploadSay(r, i.ChannelID, text, start, log) }
	up, err := b.opt.Uploads.Remove(b.work, id)
	if err != nil {
		log.Info("upload not removed", "id", id, "err", err)
		say(findFailureText(id, err))
		return
	}
	label := up.Title
	if label == "" {
		label = up.Name
	}
	b.uploadEdit(r, fmt.Sprintf("⏳ Removed upload `%s`; re-indexing…", up.ID), log)
	unlock := b.lockIndex(r, log)
	res, err := b.opt.Uploads.Index(b.work, b.progressEditor(r, "⏳ Re-indexing without upload `"+up.ID+"`", log))
	unlock()
	if err != nil {
		log.Warn("reindex after removal failed", "upload", up.ID, "err", err)
		say(fmt.Sprintf("Removed upload `%s`, but re-indexing failed, so answers may still quote it; run /reindex. See the bot's log.", up.ID))
		return
	}
	log.Info("upload removed", "upload", up.ID, "reports", res.Reports, "passages", res.Passages, "elapsed", time.Since(start))
	say(fmt.Sprintf("🗑️ Removed upload `%s`, **%s**. The index now holds %d reports, %d passages.",
		up.ID, escapeMarkdown(reportLabel(label, up.Year)), res.Reports, res.Passages))
}

// updateMessage replaces the message a button is on with text and no
// buttons.
func (b *Bot) updateMessage(i *discordgo.Interaction, text string, log *slog.Logger) {
	m := safeMessage(outMessage{Content: text})
	opt, cancel := b.rest(b.work)
	defer cancel()
	err := b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: m.Content, Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions()}}, opt)
	if err != nil {
		log.Warn("discord: update message", "err", err)
	}
}
