package answer

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/query"
)

// Table is an answer laid out as rows: a series of years, a comparison of
// places, or a year's target against its result (see ComposeTable). Every
// row that gives a figure cites the passage it is in; a row the reports do
// not give says so and cites nothing.
type Table struct {
	Shape query.TableShape `json:"shape"`
	// Title says what the figures are ("国内生产总值增长目标",
	// "gross domestic product growth target"); ChartTitle is the same in
	// ASCII for a chart, whose fonts have no Chinese glyphs.
	Title      string   `json:"title"`
	ChartTitle string   `json:"chart_title,omitempty"`
	Columns    []string `json:"columns"`
	Rows       []Row    `json:"rows"`
	// Unit is the unit of the rows' values (fact units: "%", "yuan"...),
	// when they share one.
	Unit string `json:"unit,omitempty"`
	// Notes are sentences under the table: the verdict of a target
	// against its result, the years or places left out for want of a
	// report.
	Notes []string `json:"notes,omitempty"`
}

// Row is one row of a Table.
type Row struct {
	// Cells are the row's cells, one per column, as shown (without the
	// citation marker).
	Cells []string `json:"cells"`
	// Citation is the [n] of the passage the row's figure is in; 0 when the
	// reports do not give it.
	Citation int `json:"citation,omitempty"`
	// Year, Place (a place code) and Kind say what the row is about.
	Year  int       `json:"year,omitempty"`
	Place string    `json:"place,omitempty"`
	Kind  fact.Kind `json:"kind,omitempty"`
	// Value is the row's figure as a number (the middle of a range), for
	// sorting and charts; HasValue is false for a row not given.
	Value    float64 `json:"value,omitempty"`
	HasValue bool    `json:"has_value,omitempty"`
}

// Point is one point of a chart of a series.
type Point struct {
	Year  int
	Value float64
}

// Points are the years and values of a series' rows that give a figure,
// in row order; nil for other tables.
func (t *Table) Points() []Point {
	if t == nil || t.Shape != query.SeriesTable {
		return nil
	}
	var ps []Point
	for _, r := range t.Rows {
		if r.HasValue && r.Year != 0 {
			ps = append(ps, Point{Year: r.Year, Value: r.Value})
		}
	}
	return ps
}

// Lines writes each row as a line "cell: cell … [n]", as the answer text
// holds them, so that every figure of the answer is in its text, cited.
func (t *Table) Lines() []string {
	var out []string
	for _, r := range t.Rows {
		s := r.Cells[0] + ": " + strings.Join(r.Cells[1:], " · ")
		if r.Citation > 0 {
			s += fmt.Sprintf(" [%d]", r.Citation)
		}
		out = append(out, s)
	}
	return out
}

// TableText renders a table as aligned plain text for terminals: the
// title, a header, one line per row with its citation marker, and the
// notes. Widths count Chinese characters as two columns.
func TableText(t *Table) string {
	cols := append(append([]string{}, t.Columns...), "")
	rows := [][]string{cols}
	for _, r := range t.Rows {
		cells := append([]string{}, r.Cells...)
		cite := ""
		if r.Citation > 0 {
			cite = fmt.Sprintf("[%d]", r.Citation)
		}
		rows = append(rows, append(cells, cite))
	}
	width := make([]int, len(cols))
	for _, r := range rows {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], DisplayWidth(c))
			}
		}
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	for k, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i >= len(width) {
				break
			}
			line.WriteString(c)
			if i < len(width)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-DisplayWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		if k == 0 {
			total := 0
			for _, w := range width {
				total += w + 2
			}
			b.WriteString(strings.Repeat("-", max(total-2, 1)) + "\n")
		}
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	return b.String()
}

// DisplayWidth is how many columns s takes in a monospaced font: two for
// each wide character (Chinese, full-width forms), one for others.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// wide reports whether r is an East Asian wide or full-width character.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x1100 && r <= 0x115F) || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)
}
