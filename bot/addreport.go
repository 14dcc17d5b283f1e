package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Reports added from Discord: /addreport file:<attachment> downloads a
// file an admin attaches, has the Uploads store it and index it, and
// edits its reply with the progress; /removereport id:<id> removes one
// after a confirmation button. See docs/uploads.md.

// Upload limits. DefaultMaxUploadBytes is the largest attachment
// /addreport downloads unless Options.MaxUploadBytes says otherwise;
// DefaultUploadTimeout bounds its download.
const (
	DefaultMaxUploadBytes = 50 << 20
	DefaultUploadTimeout  = 2 * time.Minute
	// removeConfirmWindow is how long the confirmation button of
	// /removereport works.
	removeConfirmWindow = 2 * time.Minute
	// uploadTokenBudget is how long after the command the bot still edits
	// its reply: later, the final word goes to the channel as a message.
	uploadTokenBudget = tokenLife - tokenDeliver
)

// attachmentHosts are the hosts the bot downloads attachments from:
// Discord's CDN and media proxy, over https. Any other URL in an
// interaction is refused.
var attachmentHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// Custom ids of the /removereport buttons: idRemove + "<id>:<user>:<unix
// deadline>" confirms, idRemoveCancel + "<user>" cancels.
const (
	idRemove       = "rb:rm:"
	idRemoveCancel = "rb:rmno:"
)

// Names of the upload commands and their options.
const (
	cmdAddReport    = "addreport"
	cmdRemoveReport = "removereport"
	optFile         = "file"
	optID           = "id"
)

// Uploads keeps the reports admins add from Discord (cmd/reportbot
// adapts the data directory's uploads and the index). Its methods may be
// called from several goroutines; the bot runs at most one Index (or
// reindex) at a time.
type Uploads interface {
	// ReadOnly returns, when this process does not write the index (a
	// shared store that only the indexer writes), what an admin should do
	// instead; then the other methods are not called. "" otherwise.
	ReadOnly() string
	// Add stores a report file, after checking its type by content. An
	// error wrapping ErrUploadRejected (wrong type, unreadable), spelt
	// fmt.Errorf("%w: reason", ErrUploadRejected), carries a reason safe
	// to show; a *DuplicateError names the upload that holds
	// the same file.
	Add(ctx context.Context, f UploadFile) (UploadedReport, error)
	// Index brings the index up to date with the corpus and the uploads,
	// calling progress (when not nil) as passages are embedded; questions
	// are answered from the uploads once it returns.
	Index(ctx context.Context, progress func(done, total int)) (ReindexResult, error)
	// Find returns the upload with id, with its title and passages when
	// indexed. An id that names a report of the corpus directory (its id,
	// file or title) is an error wrapping ErrNotUpload that says which;
	// an unknown one wraps ErrUnknownUpload.
	Find(ctx context.Context, id string) (UploadedReport, error)
	// Remove deletes the upload with id (errors as Find); Index then
	// drops its passages.
	Remove(ctx context.Context, id string) (UploadedReport, error)
	// List returns the uploads, oldest first.
	List(ctx context.Context) ([]UploadedReport, error)
}

// UploadFile is a file an admin attached to /addreport.
type UploadFile struct {
	// Name is the file name as Discord gave it (not sanitised).
	Name string
	Data []byte
	// UserID is the admin who added it.
	UserID string
}

// UploadedReport describes one report added from Discord.
type UploadedReport struct {
	// ID is short and stable (derived from the content); /removereport
	// takes it.
	ID string
	// Name is the sanitised file name it is stored under; Kind the type
	// read from its content (pdf, docx, doc, html, text, jsonl).
	Name, Kind string
	Bytes      int64
	Added      time.Time
	AddedBy    string
	// Title and Year are the indexed report's ("" and 0 until indexed);
	// Passages how many passages it has in the index.
	Title    string
	Year     int
	Passages int
}

// Upload errors.
var (
	// ErrUploadRejected marks a file that Uploads.Add refuses; the
	// error's message is safe to show to the admin.
	ErrUploadRejected = errors.New("report file rejected")
	// ErrUnknownUpload is an id that names no upload and no report.
	ErrUnknownUpload = errors.New("no such upload")
	// ErrNotUpload is an id that names a report of the corpus directory,
	// which /removereport never removes; an error wrapping it, spelt
	// fmt.Errorf("%w: which report it is", ErrNotUpload), is safe to show.
	ErrNotUpload = errors.New("not an uploaded report")
)

// DuplicateError is returned by Uploads.Add for a file whose content is
// already an upload.
type DuplicateError struct {
	// ID and Name are the existing upload's.
	ID, Name string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("the same file is already upload %s (%s)", e.ID, e.Name)
}

// uploadCommands are /addreport and /removereport, for admins in a
// server.
func uploadCommands(where *[]discordgo.InteractionContextType, admin *int64) []*discordgo.ApplicationCommand {
	one := 1
	return []*discordgo.ApplicationCommand{{
		Name:        cmdAddReport,
		Description: "Add a report file (PDF, Word, HTML or text) to the bot's reports (admin roles only)",
		Contexts:    where, DefaultMemberPermissions: admin,
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionAttachment, Name: optFile,
			Description: "The report file", Required: true,
		}},
	}, {
		Name:        cmdRemoveReport,
		Description: "Remove a report added with /addreport (admin roles only)",
		Contexts:    where, DefaultMemberPermissions: admin,
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: optID,
			Description: "The upload id /addreport gave (listed by /reports)", Required: true,
			MinLength: &one, MaxLength: 100,
		}},
	}}
}

// maxUpload is the largest attachment /addreport downloads.
func (b *Bot) maxUpload() int64 {
	if b.opt.MaxUploadBytes > 0 {
		return b.opt.MaxUploadBytes
	}
	return DefaultMaxUploadBytes
}

// uploadTimeout bounds an attachment's download.
func (b *Bot) uploadTimeout() time.Duration {
	if b.opt.UploadTimeout > 0 {
		return b.opt.UploadTimeout
	}
	return DefaultUploadTimeout
}

// uploadAllowed answers an upload command that w may not run (not an
// admin, or a read-only index) and reports false; the caller stops then.
func (b *Bot) uploadAllowed(i *discordgo.Interaction, w where, log *slog.Logger) bool {
	if !b.isAdmin(w) {
		log.Info("upload command refused: not an admin")
		b.respond(b.work, i, "Only members with an admin role (discord.admin_roles in the config) may add or remove reports.", true)
		return false
	}
	if hint := b.opt.Uploads.ReadOnly(); hint != "" {
		log.Info("upload command refused: read-only index")
		b.respond(b.work, i, hint, true)
		return false
	}
	return true
}

// handleAddReport runs /addreport: it downloads the attachment, has it
// stored and indexed, and edits its (private) reply with the progress.
func (b *Bot) handleAddReport(i *discordgo.Interaction, w where, data discordgo.ApplicationCommandInteractionData, log *slog.Logger) {
	start := time.Now()
	if !b.uploadAllowed(i, w, log) {
		return
	}
	att := attachmentOption(data, optFile)
	if att == nil {
		b.respond(b.work, i, "Attach the report file to the command's file option.", true)
		return
	}
	log = log.With("file_bytes", att.Size)
	if int64(att.Size) > b.maxUpload() {
		log.Info("upload refused: too large")
		b.respond(b.work, i, tooLargeText(int64(att.Size), b.maxUpload()), true)
		return
	}
	if err := b.deferResponse(b.work, i, true); err != nil {
		log.Warn("addreport", "err", err)
		return
	}
	r := &interactionReply{b: b, i: i, ephemeral: true}
	say := func(text string) { b.uploadSay(r, i.ChannelID, text, start, log) }
	b.uploadEdit(r, fmt.Sprintf("⬇️ Downloading %s (%s)…", quoteName(att.Filename), sizeText(int64(att.Size))), log)
	body, err := b.download(b.work, att)
	if err != nil {
		log.Warn("upload download failed", "err", err)
		say(downloadFailureText(err, b.maxUpload()))
		return
	}
	up, err := b.opt.Uploads.Add(b.work, UploadFile{Name: att.Filename, Data: body, UserID: w.UserID})
	if err != nil {
		log.Info("upload not stored", "err", err)
		say(addFailureText(err))
		return
	}
	log = log.With("upload", up.ID, "kind", up.Kind)
	b.uploadEdit(r, fmt.Sprintf("⏳ Stored %s as upload `%s`; indexing…", quoteName(up.Name), up.ID), log)
	unlock := b.lockIndex(r, log)
	res, err := b.opt.Uploads.Index(b.work, b.progressEditor(r, "⏳ Indexing "+quoteName(up.Name)+" (upload `"+up.ID+"`)", log))
	unlock()
	if err != nil {
		log.Warn("upload not indexed", "err", err)
		if _, rerr := b.opt.Uploads.Remove(context.WithoutCancel(b.work), up.ID); rerr != nil {
			log.Warn("failed upload not removed", "err", rerr)
		}
		say("Indexing failed, so the file was not added; see the bot's log.")
		return
	}
	if got, err := b.opt.Uploads.Find(b.work, up.ID); err == nil {
		up = got
	}
	if up.Passages == 0 {
		// Stored, but the index took nothing from it: the same report is
		// already there (from the corpus directory), or it has no text.
		log.Info("upload not indexed: no passages", "reports", res.Reports)
		if _, rerr := b.opt.Uploads.Remove(context.WithoutCancel(b.work), up.ID); rerr != nil {
			log.Warn("unindexed upload not removed", "err", rerr)
		}
		say("Not added: the index took no passages from this file, most likely because the same report is already among the bot's reports (/reports lists them). The file was not kept.")
		return
	}
	log.Info("report added", "passages", up.Passages, "reports", res.Reports, "elapsed", time.Since(start))
	say(addedText(up, res))
}

// attachmentOption returns the attachment of option name, from the
// interaction's resolved attachments.
func attachmentOption(data discordgo.ApplicationCommandInteractionData, name string) *discordgo.MessageAttachment {
	o := data.GetOption(name)
	if o == nil || o.Type != discordgo.ApplicationCommandOptionAttachment || data.Resolved == nil {
		return nil
	}
	id, _ := o.Value.(string)
	return data.Resolved.Attachments[id]
}

// errTooLarge is a download past the size limit.
var errTooLarge = errors.New("attachment too large")

// download fetches an attachment from Discord's CDN, bounded by the
// upload limit and timeout. The URL must be Discord's (https, a CDN host);
// the bot's token is not sent; the size must be the one declared.
func (b *Bot) download(ctx context.Context, att *discordgo.MessageAttachment) ([]byte, error) {
	u, err := url.Parse(att.URL)
	if err != nil || u.Scheme != "https" || !slices.Contains(attachmentHosts, u.Hostname()) {
		return nil, fmt.Errorf("attachment url is not on Discord's CDN: %q", u.Redacted())
	}
	ctx, cancel := context.WithTimeout(ctx, b.uploadTimeout())
	defer cancel()
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 3 || r.URL.Scheme != "https" || !slices.Contains(attachmentHosts, r.URL.Hostname()) {
			return errors.New("redirect away from Discord's CDN")
		}
		return nil
	}}
	if b.s.Client != nil {
		client.Transport = b.s.Client.Transport
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("attachment: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("attachment download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("attachment download: HTTP %d", resp.StatusCode)
	}
	limit := b.maxUpload()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes", errTooLarge, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("attachment download: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	if len(data) != att.Size {
		return nil, fmt.Errorf("attachment download: got %d bytes, Discord declared %d", len(data), att.Size)
	}
	return data, nil
}

// lockIndex takes the bot's reindex lock (one reindex or upload index at
// a time), saying in r that it waits when another holds it, and returns
// its unlock.
func (b *Bot) lockIndex(r *interactionReply, log *slog.Logger) func() {
	if !b.reindexMu.TryLock() {
		b.uploadEdit(r, "⏳ Waiting for the reindex in progress to finish…", log)
		b.reindexMu.Lock()
	}
	return b.reindexMu.Unlock
}

// uploadEdit shows progress in an upload command's reply.
func (b *Bot) uploadEdit(r *interactionReply, text string, log *slog.Logger) {
	if _, err := r.edit(b.work, outMessage{Content: text}); err != nil {
		log.Warn("upload progress not shown", "err", err)
	}
}

// uploadSay gives an upload command's final word: in its reply while the
// interaction token lasts, else as a message in the channel.
func (b *Bot) uploadSay(r *interactionReply, channelID, text string, start time.Time, log *slog.Logger) {
	if time.Since(start) < uploadTokenBudget {
		if _, err := r.finish(b.work, []outMessage{{Content: text}}); err != nil {
			log.Warn("upload reply not sent", "err", err)
		}
		return
	}
	if err := (&messageReply{b: b, channelID: channelID, inGuild: true}).note(b.work, text); err != nil {
		log.Warn("upload reply not sent to the channel", "err", err)
	}
}

// progressEditor returns an Index progress callback that edits r with
// "label: done/total passages", at most once per edit interval, and never
// blocks indexing on a slow edit (a tick meanwhile is skipped).
func (b *Bot) progressEditor(r *interactionReply, label string, log *slog.Logger) func(done, total int) {
	var (
		mu   sync.Mutex
		last time.Time
	)
	return func(done, total int) {
		if !mu.TryLock() {
			return
		}
		defer mu.Unlock()
		if time.Since(last) < b.opt.EditInterval && done < total {
			return
		}
		last = time.Now()
		b.uploadEdit(r, fmt.Sprintf("%s: %d/%d passages…", label, done, total), log)
	}
}

// tooLargeText refuses a file of size bytes over the limit.
func tooLargeText(size, limit int64) string {
	return fmt.Sprintf("That file is %s; reports added from Discord may be at most %s. Ask the operator to put it in the corpus directory instead.",
		sizeText(size), sizeText(limit))
}

// downloadFailureText explains a failed download.
func downloadFailureText(err error, limit int64) string {
	if errors.Is(err, errTooLarge) {
		return fmt.Sprintf("That file is larger than %s, the limit for reports added from Discord.", sizeText(limit))
	}
	return "The file could not be downloaded from Discord. Try again; if it keeps failing, see the bot's log."
}

// addFailureText explains why Uploads.Add refused a file.
func addFailureText(err error) string {
	var dup *DuplicateError
	switch {
	case errors.As(err, &dup):
		return fmt.Sprintf("This file is already added as upload `%s` (%s); nothing changed.", dup.ID, quoteName(dup.Name))
	case errors.Is(err, ErrUploadRejected):
		return "Not added: " + strings.TrimPrefix(err.Error(), ErrUploadRejected.Error()+": ")
	}
	return "The file could not be stored; see the bot's log."
}

// addedText tells the admin that up is indexed.
func addedText(up UploadedReport, res ReindexResult) string {
	return fmt.Sprintf("✅ Added **%s** as upload `%s`: %d passages (the index now holds %d reports, %d passages). "+
		"Ask about it with /ask; remove it with /removereport id:%s.",
		escapeMarkdown(uploadLabel(up)), up.ID, up.Passages, res.Reports, res.Passages, up.ID)
}

// uploadLabel names an upload by its report's title, else its file name,
// with the year.
func uploadLabel(u UploadedReport) string { return reportLabel(cmp.Or(u.Title, u.Name), u.Year) }

// quoteName shows a file name in bold, its Markdown escaped.
func quoteName(name string) string { return "**" + escapeMarkdown(name) + "**" }

// sizeText is n bytes for people: KiB below a MiB, else MiB.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.0f KiB", max(float64(n)/(1<<10), 1))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// uploadsSection lists the uploads for /reports ("" when there are none
// or no Uploads).
func (b *Bot) uploadsSection(ctx context.Context, log *slog.Logger) string {
	if b.opt.Uploads == nil || b.opt.Uploads.ReadOnly() != "" {
		return ""
	}
	ups, err := b.opt.Uploads.List(ctx)
	if err != nil {
		log.Warn("uploads not listed", "err", err)
		return "\n\nThe uploads cannot be listed right now."
	}
	if len(ups) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n\nAdded with /addreport (remove with /removereport id:…):\n")
	for _, u := range ups {
		fmt.Fprintf(&sb, "• `%s` %s — %d passages\n", u.ID, escapeMarkdown(uploadLabel(u)), u.Passages)
	}
	return sb.String()
}

// handleUploadCommand dispatches /addreport and /removereport.
func (b *Bot) handleUploadCommand(i *discordgo.Interaction, w where, data discordgo.ApplicationCommandInteractionData, log *slog.Logger) {
	switch {
	case b.opt.Uploads == nil:
		b.respond(b.work, i, "Adding reports from Discord is not enabled here.", true)
	case data.Name == cmdAddReport:
		b.handleAddReport(i, w, data, log)
	default:
		b.handleRemoveReport(i, w, data, log)
	}
}
