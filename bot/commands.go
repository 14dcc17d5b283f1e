package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/internal/safetext"
)

// commands are the bot's slash commands.
func (b *Bot) commands() []*discordgo.ApplicationCommand {
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	where := guildOnly
	if b.opt.AnswerDMs {
		where = &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	}
	admin := int64(discordgo.PermissionManageGuild)
	one := 1
	cmds := []*discordgo.ApplicationCommand{{
		Name:        "ask",
		Description: "Ask a question about the government work reports; the answer cites its sources",
		Contexts:    where,
		Options: []*discordgo.ApplicationCommandOption{{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        "question",
			Description: "Your question, in Chinese or English, e.g. 2018年新增就业目标是多少?",
			Required:    true,
			MinLength:   &one,
			MaxLength:   b.opt.MaxQuestionRunes,
		}, {
			Type:        discordgo.ApplicationCommandOptionBoolean,
			Name:        "private",
			Description: "Only you see the answer (no thread is opened)",
		}},
	}}
	if b.lib != nil {
		cmds = append(cmds,
			&discordgo.ApplicationCommand{Name: "reports", Description: "List the indexed reports with their years and passage counts", Contexts: where},
			&discordgo.ApplicationCommand{Name: "reindex", Description: "Re-read the reports and update the index (admin roles only)",
				Contexts: guildOnly, DefaultMemberPermissions: &admin},
		)
	}
	if b.opt.Uploads != nil {
		cmds = append(cmds, uploadCommands(guildOnly, &admin)...)
	}
	return cmds
}

// registerCommands overwrites the bot's commands in each configured guild,
// or globally. Only shard 0 registers, so shards do not race.
func (b *Bot) registerCommands(ctx context.Context) error {
	if b.s.ShardID != 0 {
		return nil
	}
	appID, _ := b.ids()
	if appID == "" {
		return errors.New("discord: no application id: set discord.application_id")
	}
	guilds := b.opt.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		opt, cancel := b.rest(ctx)
		_, err := b.s.ApplicationCommandBulkOverwrite(appID, g, b.commands(), opt)
		cancel()
		if err != nil {
			return fmt.Errorf("discord: register commands (guild %q): %w", g, err)
		}
		b.log.Info("registered slash commands", "guild", g, "global", g == "")
	}
	return nil
}

// onInteraction handles slash commands and button clicks. discordgo calls
// it on its own goroutine per event.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if i == nil {
		return
	}
	if !b.track() {
		b.respond(b.work, i, "reportbot is restarting. Please ask again in a minute.", true)
		return
	}
	defer b.wg.Done()
	defer b.recover("interaction")
	w := b.whereOf(i)
	log := b.log.With("interaction", i.ID, "guild", w.GuildID, "channel", w.ChannelID, "user", w.UserID)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data := i.ApplicationCommandData()
		log = log.With("command", data.Name)
		if ok, why := b.permit(w); !ok {
			log.Info("refused by allow-list", "reason", why)
			b.respond(b.work, i, why, true)
			return
		}
		switch data.Name {
		case "ask":
			q, private := "", false
			if o := data.GetOption("question"); o != nil {
				q = o.StringValue()
			}
			if o := data.GetOption("private"); o != nil {
				private = o.BoolValue()
			}
			b.handleAsk(i, w, q, private, log)
		case "reports":
			b.handleReports(i, log)
		case "reindex":
			b.handleReindex(i, w, log)
		case cmdAddReport, cmdRemoveReport:
			b.handleUploadCommand(i, w, data, log)
		default:
			b.respond(b.work, i, "Unknown command.", true)
		}
	case discordgo.InteractionMessageComponent:
		b.handleButton(i, w, log)
	}
}

// whereOf tells where an interaction comes from.
func (b *Bot) whereOf(i *discordgo.Interaction) where {
	w := where{GuildID: i.GuildID, ChannelID: i.ChannelID}
	switch {
	case i.Member != nil:
		w.Roles = i.Member.Roles
		if i.Member.User != nil {
			w.UserID = i.Member.User.ID
		}
	case i.User != nil:
		w.UserID = i.User.ID
	}
	w.ParentID = b.parentOf(w.ChannelID)
	return w
}

// parentOf returns the parent channel of a thread: one of the bot's, or
// one the session state knows.
func (b *Bot) parentOf(channelID string) string {
	if _, parent, ok := b.conv.lookup(channelID); ok {
		return parent
	}
	if b.s.StateEnabled && b.s.State != nil {
		if ch, err := b.s.State.Channel(channelID); err == nil && ch.IsThread() {
			return ch.ParentID
		}
	}
	return ""
}

// respond answers an interaction at once with a message, ephemeral (only
// the asker sees it) or not.
func (b *Bot) respond(ctx context.Context, i *discordgo.Interaction, text string, ephemeral bool) {
	data := &discordgo.InteractionResponseData{Content: safetext.Text(text), AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	opt, cancel := b.rest(ctx)
	defer cancel()
	if err := b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}, opt); err != nil {
		b.log.Warn("discord: respond to interaction", "interaction", i.ID, "err", err)
	}
}

// defer acknowledges an interaction (Discord shows "thinking…") so that
// the answer may take longer than the 3 s Discord allows for a response.
func (b *Bot) deferResponse(ctx context.Context, i *discordgo.Interaction, ephemeral bool) error {
	data := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	opt, cancel := b.rest(ctx)
	defer cancel()
	if err := b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data}, opt); err != nil {
		return fmt.Errorf("discord: defer interaction: %w", err)
	}
	return nil
}

// handleReports lists the indexed reports, visible to the asker only.
func (b *Bot) handleReports(i *discordgo.Interaction, log *slog.Logger) {
	if err := b.deferResponse(b.work, i, true); err != nil {
		log.Warn("reports", "err", err)
		return
	}
	r := &interactionReply{b: b, i: i, ephemeral: true}
	ctx, cancel := context.WithTimeout(b.work, b.opt.AnswerTimeout)
	defer cancel()
	reports, err := b.lib.Reports(ctx)
	if err != nil {
		log.Warn("reports", "err", err)
		r.finish(b.work, []outMessage{{Content: "Sorry, the report list is unavailable right now."}})
		return
	}
	var sb strings.Builder
	passages := 0
	for _, rep := range reports {
		fmt.Fprintf(&sb, "• %s — %d passages\n", escapeMarkdown(reportLabel(rep.Title, rep.Year)), rep.Passages)
		passages += rep.Passages
	}
	fmt.Fprintf(&sb, "\n%d reports, %d passages.", len(reports), passages)
	sb.WriteString(b.uploadsSection(ctx, log))
	var msgs []outMessage
	for _, c := range splitText(sb.String(), maxContent-headroom) {
		msgs = append(msgs, outMessage{Content: c})
	}
	r.finish(b.work, msgs)
}

// handleReindex rebuilds the index for an admin. The reindex may outlast
// the interaction token: the admin is answered before the token expires
// (that the reindex goes on, if it does), and the result is logged.
func (b *Bot) handleReindex(i *discordgo.Interaction, w where, log *slog.Logger) {
	received := b.now()
	if !b.isAdmin(w) {
		log.Info("reindex refused: not an admin")
		b.respond(b.work, i, "Only members with an admin role (discord.admin_roles in the config) may reindex.", true)
		return
	}
	if !b.reindexMu.TryLock() {
		b.respond(b.work, i, "A reindex is already running.", true)
		return
	}
	if err := b.deferResponse(b.work, i, true); err != nil {
		b.reindexMu.Unlock()
		log.Warn("reindex", "err", err)
		return
	}
	r := &interactionReply{b: b, i: i, ephemeral: true}
	start := time.Now()
	done := make(chan string, 1)
	b.wg.Add(1) // the handler is tracked, so shutdown cannot be waiting yet
	go func() {
		defer b.wg.Done()
		defer b.reindexMu.Unlock()
		defer b.recover("reindex")
		res, err := b.lib.Reindex(b.work)
		if err != nil {
			log.Warn("reindex failed", "err", err)
			done <- "Reindex failed; see the bot's log."
			return
		}
		log.Info("reindexed", "reports", res.Reports, "passages", res.Passages, "embedded", res.Embedded, "removed", res.Removed, "elapsed", time.Since(start))
		done <- fmt.Sprintf("Reindexed: %d reports, %d passages (%d embedded, %d removed) in %s.",
			res.Reports, res.Passages, res.Embedded, res.Removed, time.Since(start).Round(time.Millisecond))
	}()
	ctx, cancel := b.untilClock(b.work, received.Add(tokenLife-tokenDeliver))
	defer cancel()
	select {
	case text := <-done:
		r.finish(b.work, []outMessage{{Content: text}})
	case <-ctx.Done():
		if b.work.Err() != nil { // shutting down: the reindex is interrupted
			r.finish(b.work, []outMessage{{Content: <-done}})
			return
		}
		log.Info("reindex outlasts the interaction token: it goes on, the result will be logged")
		r.finish(b.work, []outMessage{{Content: msgReindexGoesOn}})
	}
}

// msgReindexGoesOn tells an admin that a reindex goes on after its /reindex
// can no longer be answered.
const msgReindexGoesOn = "The reindex is still running and goes on; Discord allows 15 minutes to answer /reindex, " +
	"so its result will be in the bot's log (`reindexed` or `reindex failed`), and `/reports` shows the index once it is done."
