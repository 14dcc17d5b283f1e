package rag

import (
	"fmt"
	"strings"
)

// FormatCitation renders a citation's location on one line: report title,
// year, section path and paragraph number.
func FormatCitation(c Citation) string {
	var b strings.Builder
	b.WriteString(c.ReportTitle)
	if c.Year != 0 && !strings.Contains(c.ReportTitle, fmt.Sprint(c.Year)) {
		fmt.Fprintf(&b, " (%d)", c.Year)
	} else if c.Year == 0 {
		b.WriteString(" (year unknown)")
	}
	if len(c.Section) > 0 {
		b.WriteString(" · ")
		b.WriteString(strings.Join(c.Section, " › "))
	}
	fmt.Fprintf(&b, " · ¶%d", c.Paragraph)
	return b.String()
}

// FormatText renders an answer as plain text with a numbered source list,
// for terminals and logs.
func FormatText(a *Answer) string {
	var b strings.Builder
	b.WriteString(a.Text)
	b.WriteString("\n")
	if a.Notice != "" {
		b.WriteString("(" + a.Notice + ")\n")
	}
	list, head := a.Citations, "Sources:"
	if a.NotFound {
		list, head = a.Closest, "Closest passages:"
	}
	if len(list) > 0 {
		b.WriteString("\n" + head + "\n")
	}
	for _, c := range list {
		fmt.Fprintf(&b, "[%d] %s\n    “%s”\n", c.N, FormatCitation(c), c.Quote)
	}
	return b.String()
}
