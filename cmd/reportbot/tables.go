package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/bot"
	"github.com/reportbot/reportbot/chart"
)

// botTable is an answer's table as the bot shows it; nil for none.
func botTable(t *answer.Table) *bot.Table {
	if t == nil {
		return nil
	}
	out := &bot.Table{Title: t.Title, Columns: t.Columns, Notes: t.Notes}
	for _, r := range t.Rows {
		out.Rows = append(out.Rows, bot.TableRow{Cells: r.Cells, Source: r.Citation})
	}
	return out
}

// tableChart draws the chart of a series of at least chart.MinPoints
// figures as PNG; nil for other tables and shorter series.
func tableChart(t *answer.Table) ([]byte, error) {
	if t == nil {
		return nil, nil
	}
	pts := t.Points()
	if len(pts) < chart.MinPoints {
		return nil, nil
	}
	s := chart.Series{Title: t.ChartTitle, YLabel: chartUnit(t.Unit)}
	for _, p := range pts {
		s.Points = append(s.Points, chart.Point{Year: p.Year, Value: p.Value})
	}
	return chart.PNG(s)
}

// chartUnit labels a chart's value axis with the unit of the facts.
func chartUnit(u string) string {
	switch u {
	case "%":
		return "percent"
	case "pp":
		return "percentage points"
	case "":
		return ""
	}
	if strings.Trim(u, "abcdefghijklmnopqrstuvwxyz/-0123456789") == "" {
		return u // an ASCII unit name: yuan, tonne, person
	}
	return ""
}

// tableText is the bot's message text for a table answer: the title and
// the notes; the rows are in the table's embed.
func tableText(t *answer.Table) string {
	return strings.Join(append([]string{"**" + t.Title + "**"}, t.Notes...), "\n")
}

// writeChart writes the chart of a's table to path (ask --chart); an
// answer without a series to draw writes nothing and says so.
func writeChart(path string, a *answer.Answer) error {
	png, err := tableChart(a.Table)
	switch {
	case err != nil:
		return fmt.Errorf("chart: %w", err)
	case png == nil:
		return fmt.Errorf("chart: the answer is not a series of %d or more figures; no chart written", chart.MinPoints)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}
