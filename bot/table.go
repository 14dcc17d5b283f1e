package bot

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Table is an answer's figures as rows, shown as an embed: a monospaced
// code block with one line per row and its [n] marker, then the notes.
type Table struct {
	Title   string
	Columns []string
	Rows    []TableRow
	// Notes are sentences under the table (a verdict, rows left out).
	Notes []string
}

// TableRow is one row: its cells, one per column, and the [n] of the
// source its figure comes from (0: none).
type TableRow struct {
	Cells  []string
	Source int
}

// ChartName is the filename of a table's chart attachment, which the
// table embed shows as its image ("attachment://chart.png").
const ChartName = "chart.png"

// colourTable is the table embed's colour.
const colourTable = 0x2f855a

// tableEmbed renders t as an embed (nil for no table), with the chart
// attachment as its image when chart is set. Rows that do not fit in the
// description (4096 runes, with headroom) are cut and counted.
func tableEmbed(t *Table, chart bool) *discordgo.MessageEmbed {
	if t == nil || len(t.Rows) == 0 {
		return nil
	}
	lines := tableLines(t)
	var notes strings.Builder
	for _, n := range t.Notes {
		notes.WriteString("\n" + escapeMarkdown(truncate(n, 300)))
	}
	room := maxEmbedDescription - headroom - utf8.RuneCountInString(notes.String()) - 40
	var b strings.Builder
	b.WriteString("```\n")
	for i, l := range lines {
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(l)+1 > room {
			fmt.Fprintf(&b, "… %d more rows\n", len(lines)-i)
			break
		}
		b.WriteString(l + "\n")
	}
	b.WriteString("```")
	b.WriteString(notes.String())
	e := &discordgo.MessageEmbed{Title: truncate(t.Title, maxEmbedTitle-10), Description: b.String(), Color: colourTable}
	if chart {
		e.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + ChartName}
	}
	return e
}

// tableLines are the header and the rows, aligned in columns (Chinese
// characters count two), each row ending with its [n]. Backticks in cells
// could end the code block and are replaced.
func tableLines(t *Table) []string {
	rows := [][]string{append(append([]string{}, t.Columns...), "")}
	for _, r := range t.Rows {
		cite := ""
		if r.Source > 0 {
			cite = fmt.Sprintf("[%d]", r.Source)
		}
		cells := make([]string, 0, len(r.Cells)+1)
		for _, c := range r.Cells {
			cells = append(cells, strings.ReplaceAll(truncate(c, 60), "`", "ˋ"))
		}
		rows = append(rows, append(cells, cite))
	}
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], displayWidth(c))
		}
	}
	var out []string
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-displayWidth(c)+2))
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	return out
}

// displayWidth counts wide (East Asian) characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) {
			n++
		}
	}
	return n
}

// attachChart attaches the chart to the message that carries the table
// embed.
func attachChart(msgs []outMessage, table *discordgo.MessageEmbed, chart []byte) {
	if table == nil || chart == nil {
		return
	}
	for i := range msgs {
		for _, e := range msgs[i].Embeds {
			if e == table {
				msgs[i].Files = []*discordgo.File{{Name: ChartName, ContentType: "image/png", Reader: bytes.NewReader(chart)}}
				return
			}
		}
	}
}
