package main

import (
	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/internal/safetext"
)

// safeAnswer returns a copy of a fit to print on a terminal: citation
// fields on one line each, without escape sequences or bidirectional
// controls (safetext.Line), and the answer text without them
// (safetext.Text). The corpus and the model's reply are made safe where
// they are read; this also covers reports from an index or a shared store
// built before that.
func safeAnswer(a *answer.Answer) *answer.Answer {
	c := *a
	c.Text = safetext.Text(a.Text)
	c.Notice = safetext.Text(a.Notice)
	c.Citations = safeCitations(a.Citations)
	c.Closest = safeCitations(a.Closest)
	return &c
}

func safeCitations(cs []answer.Citation) []answer.Citation {
	if cs == nil {
		return nil
	}
	out := make([]answer.Citation, len(cs))
	for i, c := range cs {
		c.ReportTitle, c.Quote, c.Text = safetext.Line(c.ReportTitle), safetext.Line(c.Quote), safetext.Line(c.Text)
		if c.Section != nil {
			c.Section = make([]string, len(cs[i].Section))
			for j, s := range cs[i].Section {
				c.Section[j] = safetext.Line(s)
			}
		}
		out[i] = c
	}
	return out
}
