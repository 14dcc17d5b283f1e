package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Custom ID prefixes of the bot's buttons.
const (
	idSource      = "rb:src:" // rb:src:<n>:<passage id>
	idHelpful     = "rb:fb:up"
	idWrong       = "rb:fb:down"
	idWhy         = "rb:why"
	maxSourceRows = maxRows - 1 // one row is for feedback
)

// Colours of the sources embed.
const (
	colourSources = 0x2b6cb0
	colourClosest = 0x718096
)

// outMessage is one Discord message the bot sends or edits.
type outMessage struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	// Files are attached to the message (a table's chart).
	Files []*discordgo.File
}

// An answer longer than maxAnswerMessages messages of text (a model that
// ignored its token limit) is cut: its last message ends with cutNote and
// the rest is never posted. Four messages hold about 7,600 runes, over
// twice the longest answer the model may write (600 tokens).
const (
	maxAnswerMessages = 4
	cutNote           = "\n\n*…(answer cut)*"
)

// noMentions is the allowed-mentions value for every message the bot
// sends: an explicit empty list (nil would serialise as null and let
// Discord parse @everyone and user ids).
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderAnswer lays an answer out as messages within Discord's limits: the
// text (split at sentence or line ends, never inside a citation marker, a
// word or a code fence), then the sources as embeds, then the source and
// feedback buttons on the last message.
func renderAnswer(a *Answer, feedback bool) []outMessage {
	text := a.Text
	if a.Notice != "" {
		text += "\n\n*" + a.Notice + "*"
	}
	var msgs []outMessage
	limit := maxContent - headroom - utf8.RuneCountInString(cutNote)
	for i, c := range splitText(text, limit) {
		if i == maxAnswerMessages {
			msgs[i-1].Content += cutNote
			break
		}
		msgs = append(msgs, outMessage{Content: c})
	}
	if len(msgs) == 0 {
		msgs = append(msgs, outMessage{Content: "…"})
	}
	embeds := sourceEmbeds(a.Sources, a.NotFound)
	table := tableEmbed(a.Table, a.Chart != nil)
	if table != nil {
		embeds = append([]*discordgo.MessageEmbed{table}, embeds...)
	}
	// Embeds go on the last text message while they fit, then on messages
	// of their own.
	cur := &msgs[len(msgs)-1]
	total := 0
	for _, e := range embeds {
		n := embedLen(e)
		if len(cur.Embeds) == maxEmbedsPerMessage || total+n > maxEmbedTotal-headroom {
			msgs = append(msgs, outMessage{})
			cur, total = &msgs[len(msgs)-1], 0
		}
		cur.Embeds = append(cur.Embeds, e)
		total += n
	}
	msgs[len(msgs)-1].Components = answerButtons(a.Sources, feedback, a.Trace != "")
	attachChart(msgs, table, a.Chart)
	return msgs
}

// sourceEmbeds renders the sources as one or more embeds whose
// descriptions stay under the limit; a source is never split.
func sourceEmbeds(src []Source, notFound bool) []*discordgo.MessageEmbed {
	if len(src) == 0 {
		return nil
	}
	title, colour := "Sources", colourSources
	if notFound {
		title, colour = "Closest passages", colourClosest
	}
	var out []*discordgo.MessageEmbed
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := title
		if len(out) > 0 {
			t += " (continued)"
		}
		out = append(out, &discordgo.MessageEmbed{Title: t, Description: strings.TrimSpace(b.String()), Color: colour})
		b.Reset()
	}
	for _, s := range src {
		block := sourceBlock(s)
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(block) > maxEmbedDescription-headroom {
			flush()
		}
		b.WriteString(block)
	}
	flush()
	return out
}

// sourceBlock is one source in the sources embed: number, report title and
// year, section path and paragraph, and the short quote. Each part is
// bounded, so a block is at most about 800 runes.
func sourceBlock(s Source) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**[%d]** %s", s.N, escapeMarkdown(truncate(reportLabel(s.ReportTitle, s.Year), 200)))
	if loc := location(s); loc != "" {
		b.WriteString("\n" + escapeMarkdown(truncate(loc, 300)))
	}
	if u := reportURL(s.URL); u != "" {
		b.WriteString("\n<" + u + ">")
	}
	if s.Quote != "" {
		b.WriteString("\n> " + escapeMarkdown(truncate(strings.Join(strings.Fields(s.Quote), " "), 280)))
	}
	b.WriteString("\n\n")
	return b.String()
}

// reportLabel is a report's title with its year when the title lacks it.
func reportLabel(title string, year int) string {
	switch {
	case year == 0:
		return title + " (year unknown)"
	case !strings.Contains(title, fmt.Sprint(year)):
		return fmt.Sprintf("%s (%d)", title, year)
	}
	return title
}

// location is a passage's section path, page (PDF) and paragraph number,
// and a warning when the passage was read by OCR.
func location(s Source) string {
	parts := make([]string, 0, 4)
	if len(s.Section) > 0 {
		parts = append(parts, strings.Join(s.Section, " › "))
	}
	if s.Page > 0 {
		parts = append(parts, fmt.Sprintf("p. %d", s.Page))
	}
	if s.Paragraph > 0 {
		parts = append(parts, fmt.Sprintf("¶%d", s.Paragraph))
	}
	if s.Scanned {
		parts = append(parts, "OCR of a scanned page: check the scan")
	}
	return strings.Join(parts, " · ")
}

// answerButtons are a row (or more) of buttons that show each source's
// full passage, and the feedback buttons.
func answerButtons(src []Source, feedback, why bool) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row discordgo.ActionsRow
	for _, s := range src {
		if len(rows) == maxSourceRows {
			break
		}
		id := fmt.Sprintf("%s%d:%s", idSource, s.N, s.PassageID)
		if s.PassageID == "" || len(id) > maxCustomID {
			continue
		}
		label := fmt.Sprintf("[%d]", s.N)
		if s.Paragraph > 0 {
			label += fmt.Sprintf(" ¶%d", s.Paragraph)
		}
		row.Components = append(row.Components, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
		if len(row.Components) == maxButtonsPerRow {
			rows = append(rows, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 && len(rows) < maxSourceRows {
		rows = append(rows, row)
	}
	var last discordgo.ActionsRow
	if feedback {
		last.Components = append(last.Components,
			discordgo.Button{Label: "Helpful", Style: discordgo.SuccessButton, CustomID: idHelpful, Emoji: &discordgo.ComponentEmoji{Name: "👍"}},
			discordgo.Button{Label: "Wrong", Style: discordgo.DangerButton, CustomID: idWrong, Emoji: &discordgo.ComponentEmoji{Name: "👎"}})
	}
	if why {
		last.Components = append(last.Components, discordgo.Button{Label: "Why?", Style: discordgo.SecondaryButton, CustomID: idWhy})
	}
	if len(last.Components) > 0 {
		rows = append(rows, last)
	}
	return rows
}

// passageEmbed shows a full cited passage (for the Sources buttons).
func passageEmbed(n int, s *Source) *discordgo.MessageEmbed {
	title := reportLabel(s.ReportTitle, s.Year)
	if n > 0 {
		title = fmt.Sprintf("[%d] %s", n, title)
	}
	return &discordgo.MessageEmbed{
		Title:       truncate(title, maxEmbedTitle-10),
		Description: truncate(escapeMarkdown(s.Text), maxEmbedDescription-headroom),
		Footer:      &discordgo.MessageEmbedFooter{Text: truncate(location(*s), 500)},
		Color:       colourSources,
	}
}

// embedLen counts the runes of an embed that count towards the 6000 total.
func embedLen(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

// escapeMarkdown keeps report text literal inside Discord Markdown.
var markdownEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, ">", `\>`)

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

// reportURL is a report's URL as the sources embed shows it (in <...>, so
// Discord shows no preview): only http and https URLs without spaces or
// angle brackets, at most 300 bytes; "" otherwise.
func reportURL(u string) string {
	if len(u) > 300 || strings.ContainsAny(u, " <>\n\r\t") || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return ""
	}
	return u
}
