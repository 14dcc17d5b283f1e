package fact

import (
	"slices"
	"sort"
	"strings"

	"github.com/reportbot/reportbot/corpus"
)

// factYear is the year of a figure: the last year named before it in its
// sentence, else the first named after it in its clause, else the
// section's.
func factYear(years []yearMention, cl clause, f figure, sectionYear int) int {
	if m, ok := yearWritten(years, cl, f); ok {
		return m.year
	}
	return sectionYear
}

// spanKind is fc's kind once what it says of five years is read: what a
// review's five years added (KindFiveYears), what a plan's five years are
// to add (KindPlan), else fc.Kind. A level a plan sets (常住人口城镇化率达到
// 65%左右) stays a target, of the plan's last year.
func spanKind(text string, fc Fact, years []yearMention, cl clause, f figure, c Context) Kind {
	m, written := yearWritten(years, cl, f)
	// Dated by five years in its own sentence (五年间…使用国外贷款153.8
	// 亿美元, “十五五”时期…新增人口100万), an amount of a count or a named
	// addition is theirs; a rate (失业率5.2%) or a vocabulary indicator
	// other than an addition (生产总值6.66万亿元) is the level of their
	// last year. With no year written, only a named addition is.
	ofSpan := written && m.fiveYears && amountOf(text, fc, cl) && fc.Unit != "%" && fc.Unit != "pp" &&
		(fc.Indicator == "" || isAddition(text, fc, cl)) ||
		!written && isAddition(text, fc, cl)
	switch {
	case fc.Kind == KindResult && ofSpan && (written || c.FiveYears):
		return KindFiveYears
	case fc.Kind == KindTarget && ofSpan && (written && c.ReportYear > 0 && m.year > c.ReportYear || !written && c.Plan):
		return KindPlan // “十五五”时期…城镇新增就业500万人以上
	}
	return fc.Kind
}

// amountOf reports whether fc is stated as an amount of its period: with no
// measure word but a qualifier (使用国外贷款153.8亿美元, 新增绿道超200公里),
// neither the level reached (达到54条) nor an amount each year (每年超过90
// 万人). Dated by five years (五年间…), such an amount is theirs.
func amountOf(text string, fc Fact, cl clause) bool {
	return (fc.MeasureText == "" || slices.Contains(prefixQualifiers, fc.MeasureText)) &&
		!strings.Contains(text[cl.start:fc.ValueStart], perYearCue)
}

// isAddition reports whether fc counts what was added: named with 新增
// (additionCue) and an amount (amountOf). In a five-year review with no
// year written, only an addition is the five years' (新增公园127座); a
// level with no measure word is the last year's (生产总值6.66万亿元).
func isAddition(text string, fc Fact, cl clause) bool {
	return strings.Contains(fc.Label, additionCue) && amountOf(text, fc, cl)
}

// yearWritten returns the year named in the figure's sentence before it,
// or else in its clause after it. Mentions are in text order; a binary
// search finds the ones around the figure.
func yearWritten(years []yearMention, cl clause, f figure) (yearMention, bool) {
	k := sort.Search(len(years), func(i int) bool { return years[i].start >= f.start })
	for j := k - 1; j >= 0 && years[j].start >= cl.sentStart; j-- {
		if years[j].end <= f.start {
			return years[j], true
		}
	}
	for j := k; j < len(years) && years[j].start < cl.end; j++ {
		if years[j].start >= f.end && years[j].end <= cl.end {
			return years[j], true
		}
	}
	return yearMention{}, false
}

// factKind reads the kind of a figure; see Extract.
func factKind(text string, cl clause, f figure, lead, measureStart int, prevKind Kind, fc Fact, years []yearMention, c Context, cues *cueCache) Kind {
	words := text[min(measureStart, f.start):f.start] // after the label: 年均 of PM2.5年均浓度 is a name
	switch {
	case strings.Contains(words, averageCue) || strings.Contains(text[cl.start:f.start], perYearAverageCue):
		return KindAverage
	case strings.Contains(text[min(lead, f.start):f.start], cumulativeCue) || fc.Measure == MeasureCumulative:
		return KindCumulative // 累计 is in no name: anywhere before the figure
	case prevKind == KindCumulative || prevKind == KindAverage:
		return prevKind // 累计创建6家…、3家…: the enumeration shares it
	}
	if cues.targetAt(text, cl) < f.start {
		return KindTarget
	}
	if cues.resultIn(text, cl) {
		return KindResult
	}
	if _, written := yearWritten(years, cl, f); written && c.ReportYear > 0 && fc.Year > 0 {
		switch {
		case fc.Year < c.ReportYear:
			return KindResult
		case fc.Year > c.ReportYear:
			return KindTarget
		}
	}
	switch c.Kind {
	case corpus.PeriodActual:
		return KindResult
	case corpus.PeriodTarget:
		return KindTarget
	}
	if c.ReportYear > 0 && fc.Year == c.ReportYear && (f.qualifier == "左右" || f.qualifier == "以上") {
		return KindTarget
	}
	return KindUnknown
}

// cueCache remembers, for the sentence and the clause being read, where
// the first target cue is and whether a result cue is present, so that
// each is searched once however many figures they hold.
type cueCache struct {
	sentence, target int
	clause           int
	result           bool
}

// targetAt returns where the first target cue of the sentence of cl is,
// or len(text) when there is none.
func (c *cueCache) targetAt(text string, cl clause) int {
	if c.sentence != cl.sentence {
		c.sentence, c.target = cl.sentence, len(text)
		sent := text[cl.sentStart:cl.sentEnd]
		for _, w := range targetCues {
			if k := strings.Index(sent, w); k >= 0 && cl.sentStart+k < c.target {
				c.target = cl.sentStart + k
			}
		}
	}
	return c.target
}

// resultIn reports whether clause cl holds a result cue.
func (c *cueCache) resultIn(text string, cl clause) bool {
	if c.clause != cl.start {
		c.clause, c.result = cl.start, false
		for _, w := range resultCues {
			if strings.Contains(text[cl.start:cl.end], w) {
				c.result = true
				break
			}
		}
	}
	return c.result
}
