package answer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// Answer lengths.
const (
	// closestK is how many passages a "not found" answer shows.
	closestK = 3
	// QuoteRunes bounds a citation's quote.
	QuoteRunes = 120
	// sentenceAnswerRunes bounds a whole sentence quoted as an answer.
	sentenceAnswerRunes = 200
)

// NotFound turns a into a "not found" answer listing the closest passages.
func NotFound(a *Answer) {
	a.NotFound = true
	a.Text = NotFoundText(a.Query.Lang)
	a.Citations = nil
	a.Closest = nil
	for i, h := range a.Hits[:min(closestK, len(a.Hits))] {
		a.Closest = append(a.Closest, CitationFor(i+1, h, firstSentence(h.Passage.Text)))
	}
}

// Compose writes the answer text from the best evidence: the top window and
// at most one more from another passage when it is nearly as good.
func Compose(a *Answer, ev []Evidence) {
	best := ev[0]
	chosen := []Evidence{best}
	for _, x := range ev[1:] {
		if len(chosen) == 2 {
			break
		}
		if x.Hit.Passage.ID != best.Hit.Passage.ID && x.Score >= secondWindowShare*best.Score && x.Coverage >= coverageFloor(a.Query) &&
			x.Hit.Passage.Period == best.Hit.Passage.Period && !strings.Contains(best.Text, x.Text) && !strings.Contains(x.Text, best.Text) {
			chosen = append(chosen, x)
		}
	}
	var b strings.Builder
	for i, x := range chosen {
		if i > 0 {
			b.WriteString("\n")
		}
		if !a.Query.Want.Quantity && !a.Query.Want.PreferNumber && utf8.RuneCountInString(x.Sentence) <= sentenceAnswerRunes {
			// A "what is" question needs the whole statement, not a clause.
			x.Text = x.Sentence
		}
		if !strings.HasPrefix(x.Sentence, x.Text) {
			b.WriteString("…")
		}
		b.WriteString(x.Text)
		if !strings.HasSuffix(x.Sentence, x.Text) {
			b.WriteString("…")
		}
		fmt.Fprintf(&b, " [%d]", i+1)
		a.Citations = append(a.Citations, CitationFor(i+1, x.Hit, quoteAround(x.Sentence, x.Text, QuoteRunes)))
	}
	a.Text = b.String()
}

func CitationFor(n int, h index.Hit, quote string) Citation {
	return Citation{
		N:           n,
		PassageID:   h.Passage.ID,
		ReportID:    h.Report.ID,
		ReportTitle: h.Report.Title,
		URL:         h.Report.URL,
		Year:        h.Report.Year,
		Section:     h.Passage.HeadingPath,
		Paragraph:   h.Passage.Paragraph,
		Page:        h.Report.PageAt(h.Passage.Start),
		Scanned:     h.Report.Scanned(h.Passage.Start),
		Quote:       quote,
		Text:        h.Passage.Text,
		Score:       h.Score,
	}
}

func firstSentence(text string) string {
	sp := SplitSpans(text, SentenceEnds, 0)
	if len(sp) == 0 {
		return query.TruncateRunes(text, QuoteRunes)
	}
	return query.TruncateRunes(strings.TrimSpace(text[sp[0].Start:sp[0].End]), QuoteRunes)
}

// OtherYearsText says that passages answer the question only for years it
// did not ask about.
func OtherYearsText(lang string, years []int) string {
	if lang == "zh" {
		return "报告中未找到" + JoinYears(years, "、") + "年的答案:相关段落都是其他年份的。以下是最接近的段落,请注意年份。"
	}
	return "Not found for " + JoinYears(years, ", ") + ": the reports answer this only for other years. " +
		"These are the closest passages; mind their years."
}

// OutOfRangeText says that the question names only years no report can be
// about (before hanzi.MinYear or after hanzi.MaxYear).
func OutOfRangeText(lang string, years []int) string {
	if lang == "zh" {
		return fmt.Sprintf("报告中未找到%s年的答案:政府工作报告只涉及%d年至%d年。以下是最接近的段落,请注意年份。",
			JoinYears(years, "、"), hanzi.MinYear, hanzi.MaxYear)
	}
	return fmt.Sprintf("Not found for %s: the reports are about %d to %d only. These are the closest passages; mind their years.",
		JoinYears(years, ", "), hanzi.MinYear, hanzi.MaxYear)
}

// OtherPeriodText says that passages give results where the question
// asks for targets, or targets where it asks for results.
func OtherPeriodText(lang string, kind corpus.PeriodKind, years []int) string {
	when := JoinYears(years, "、")
	if lang == "zh" {
		if when != "" {
			when += "年的"
		}
		if kind == corpus.PeriodTarget {
			return "报告中未找到" + when + "目标:相关段落给出的是实际完成情况。以下是最接近的段落,请注意区分。"
		}
		return "报告中未找到" + when + "实际完成情况:相关段落给出的是目标。以下是最接近的段落,请注意区分。"
	}
	if when != "" {
		when = " for " + JoinYears(years, ", ")
	}
	if kind == corpus.PeriodTarget {
		return "Not found: the reports give results" + when + ", not targets. These are the closest passages; mind the difference."
	}
	return "Not found: the reports give targets" + when + ", not results. These are the closest passages; mind the difference."
}

func NotFoundText(lang string) string {
	if lang == "zh" {
		return "报告中未找到答案。以下是最接近的段落。"
	}
	return "Not found in the reports. These are the closest passages."
}

// JoinYears writes years separated by sep.
func JoinYears(ys []int, sep string) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, sep)
}
