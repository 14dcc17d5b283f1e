package llmanswer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/query"
)

var digitRun = regexp.MustCompile(`\d+`)

// grounding is the result of checking a generated answer against the
// passages it was given.
type grounding struct {
	// Text is the answer with citations to missing passages removed and
	// markers normalised to [n].
	Text string
	// Cited are the passage numbers cited, in order of first citation.
	Cited []int
	// BadCitations are cited numbers that name no passage.
	BadCitations []int
	// Unsupported are figures of the answer found in no cited passage.
	Unsupported []string
	// AskedYears and CitedYears are set when the question names years and
	// no cited passage is about one of them (see citedOtherYears).
	AskedYears, CitedYears []int
	// OtherPeriod is set when the question asks for targets (or results)
	// and no cited passage gives that kind (see citedOtherPeriod); Asked is
	// the kind asked for.
	OtherPeriod bool
	Asked       corpus.PeriodKind
	// OtherIndicator names the indicators a figure question asks about
	// when the answer names none of them (see namesIndicator).
	OtherIndicator []string
}

// problems describes what is wrong, for a retry prompt; "" when nothing.
func (g grounding) problems() string {
	var ps []string
	if len(g.Unsupported) > 0 {
		ps = append(ps, fmt.Sprintf("these numbers are not in the passages you cited: %s", strings.Join(g.Unsupported, ", ")))
	}
	if len(g.Cited) == 0 {
		ps = append(ps, "the answer cites no passage; cite the passage number in brackets after each claim, like [1]")
	}
	if g.OtherPeriod {
		other := corpus.PeriodActual
		if g.Asked == corpus.PeriodActual {
			other = corpus.PeriodTarget
		}
		ps = append(ps, fmt.Sprintf("the question asks for %s but the passages you cited give %s; answer only from passages that give %s, or reply %s if there are none",
			kindWords(g.Asked), kindWords(other), kindWords(g.Asked), notFoundToken))
	}
	if len(g.AskedYears) > 0 {
		ps = append(ps, fmt.Sprintf("the question asks about %s but the passages you cited are about %s; answer only from passages about %s, or reply %s if there are none",
			answer.JoinYears(g.AskedYears, ", "), answer.JoinYears(g.CitedYears, ", "), answer.JoinYears(g.AskedYears, ", "), notFoundToken))
	}
	if len(g.OtherIndicator) > 0 {
		ps = append(ps, fmt.Sprintf("the question asks about %s but the answer does not say it; answer only with a figure of %s, or reply %s if the passages give none",
			strings.Join(g.OtherIndicator, ", "), strings.Join(g.OtherIndicator, ", "), notFoundToken))
	}
	return strings.Join(ps, "; ")
}

// namesIndicator checks, for a figure question (one that names an
// indicator of the vocabulary and asks for a figure), that the answer
// names one of its indicators: a sentence about something else does not
// answer "what was the grain output", however well it is cited.
func (g *grounding) namesIndicator(q query.Query) {
	if !answer.FactQuestion(q) {
		return
	}
	v := indicator.Default()
	for _, m := range v.Find(g.Text) {
		if slices.ContainsFunc(q.Indicators, func(w indicator.Match) bool { return w.ID == m.ID }) {
			return
		}
	}
	for _, m := range q.Indicators {
		if in, ok := v.Get(m.ID); ok {
			g.OtherIndicator = append(g.OtherIndicator, in.Name)
		}
	}
}

// checkGrounding checks reply against passages numbered 1..len(sources),
// where sources[i] is the text a figure may come from (passage text plus
// its header: title, year, section).
func checkGrounding(reply string, sources []string) grounding {
	var g grounding
	seen := map[int]bool{}
	bad := map[int]bool{}
	g.Text = tidySpaces(rewriteMarkers(reply, len(sources), func(n int, ok bool) {
		switch {
		case !ok && !bad[n]:
			bad[n] = true
			g.BadCitations = append(g.BadCitations, n)
		case ok && !seen[n]:
			seen[n] = true
			g.Cited = append(g.Cited, n)
		}
	}))
	var have []answer.Figure
	for _, n := range g.Cited {
		// A source is read as the reply is: the same spaces, so that
		// "1  billion" copied verbatim reads as the same figure on both
		// sides, and the same markers, so that a bracketed number inside
		// a figure ("0[0]%") that the reply loses loses it here too.
		src := tidySpaces(rewriteMarkers(sources[n-1], len(sources), nil))
		have = append(have, answer.Figures(src)...)
	}
	for _, f := range answer.Figures(g.Text) {
		if !slices.ContainsFunc(have, f.Matches) && !slices.Contains(g.Unsupported, f.Raw) {
			g.Unsupported = append(g.Unsupported, f.Raw)
		}
	}
	return g
}

// rewriteMarkers normalises citation markers in s to [n] and drops the
// numbers that name none of the passages 1..passages, calling saw (when
// not nil) for each number with whether it names a passage.
func rewriteMarkers(s string, passages int, saw func(n int, ok bool)) string {
	return answer.CitationMarker.ReplaceAllStringFunc(s, func(m string) string {
		sub := answer.CitationMarker.FindStringSubmatch(m)
		var b strings.Builder
		for _, part := range digitRun.FindAllString(sub[1], -1) {
			n, err := strconv.Atoi(part)
			ok := err == nil && n >= 1 && n <= passages
			if saw != nil {
				saw(n, ok)
			}
			if ok {
				fmt.Fprintf(&b, "[%d]", n)
			}
		}
		return b.String()
	})
}

// tidySpaces removes spaces left before punctuation by deleted markers. A
// space before "." or "," followed by a digit stays: removing it would join
// "0 .1" into a new figure 0.1 that was never written.
func tidySpaces(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i+1 < len(s) {
			rest := s[i+1:]
			switch {
			case strings.HasPrefix(rest, "。"), strings.HasPrefix(rest, "，"):
				continue
			case rest[0] == '.' || rest[0] == ',':
				if len(rest) < 2 || rest[1] < '0' || rest[1] > '9' {
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return strings.TrimSpace(b.String())
}

// citedOtherYears records in g when q names years and none of the cited
// hits can speak for one of them (yearFits on the whole passage), so that
// a figure for another year is not given as the answer.
func (g *grounding) citedOtherYears(q query.Query, hits []index.Hit) {
	if len(q.Years) == 0 || len(g.Cited) == 0 {
		return
	}
	var cited []int
	for _, n := range g.Cited {
		h := hits[n-1]
		if answer.YearFits(q, answer.Evidence{Hit: h, Sentence: h.Passage.Text}) {
			return
		}
		y := h.Passage.Period.Year
		if y == 0 {
			y = h.Report.Year
		}
		if y != 0 && !slices.Contains(cited, y) {
			cited = append(cited, y)
		}
	}
	slices.Sort(cited)
	g.AskedYears, g.CitedYears = q.Years, cited
}

// citedOtherPeriod records in g when q asks for targets (or results) in
// its own words and none of the cited hits gives that kind (kindFits on the
// whole passage), so that a year's result is not given as its target.
func (g *grounding) citedOtherPeriod(q query.Query, hits []index.Hit) {
	if q.Kind == corpus.PeriodUnknown || q.KindInherited || len(g.Cited) == 0 {
		return
	}
	for _, n := range g.Cited {
		h := hits[n-1]
		if answer.KindFits(q, answer.Evidence{Hit: h, Sentence: h.Passage.Text}) {
			return
		}
	}
	g.OtherPeriod, g.Asked = true, q.Kind
}

// kindWords names a period kind in a retry prompt.
func kindWords(k corpus.PeriodKind) string {
	if k == corpus.PeriodTarget {
		return "targets or plans"
	}
	return "actual results"
}
