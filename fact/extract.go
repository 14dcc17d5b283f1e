package fact

import (
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/indicator"
)

// Extract returns the facts of a passage's text, in text order, using the
// default indicator vocabulary. c says what the passage's section is about.
// text should be valid UTF-8 (corpus text is); offsets are byte offsets
// into it, and Value is always text[ValueStart:ValueEnd].
//
// Every figure with a unit, a scale, % or 个百分点 is a fact, except
// numbers that are dates or years (2025年), ordinals (第十四), list
// markers and citations (bare numbers with no unit), parts of names (5G,
// G20, PM2.5, "3.0"), numbers opening a quotation or a title (“80条”,
// 《…》), thresholds describing a noun (10亿元以上项目) and the starting
// point of a change (从11件提高到24件, 比一九五七年的537亿元增长). Chinese
// numerals count when unambiguous (三十四万人, 百分之五) and not before a
// counter (十一次全会); plan names (十四五) never do. Numbers of an
// enumeration share the unit written at its end (15、22个百分点).
//
// For each figure, the words before it in its clause, back to the previous
// figure of the clause, are read:
//   - the indicator is the vocabulary match nearest the figure, unless the
//     match is not the figure's subject: one item of an enumeration
//     (装备制造业、高技术制造业增加值分别增长), a sector narrowed by the
//     words before it (信息服务业增加值), a rate of it (农村危房改造竣工率),
//     the second term of a ratio (与GDP的比率), the whole of a share
//     (占地区生产总值比重: the indicator is what comes before 占), or with
//     another figure between them;
//   - without an indicator, Label is the words themselves, trimmed of
//     scope, connective and time words (leadFillers, labelTails, list
//     markers, comparisons), or, after a counter, what it counts
//     ("建成6个农业园区" → 农业园区);
//   - when the words name nothing (分别增长19.6%和9.7%, "、增长5.6%"),
//     the indicator and label of the previous figure of the sentence carry
//     over, and its measure too when no measure word is written;
//   - the measure is 占 (share) or the last measure word before the figure
//     (measureWords), else a change written right after it (保持10%以上
//     增长), else what the vocabulary alias implies (经济增长), else what
//     a qualifier implies (超过, 以内), else level;
//   - the year is the last year named before the figure in its sentence
//     (2025年, 今年, 去年, “十四五”…; see yearMentions; not the base of a
//     comparison, 比上年), else one named after it in its clause, else
//     c.Year. A five-year plan dates its figures by its last year (十四五:
//     2025), when its results are reported and its targets fall due;
//   - the kind is average after 年均 (or 平均每年 anywhere before it in
//     its clause) and cumulative after 累计 (both carry along an
//     enumeration); else target after a target cue in the sentence
//     (targetCues), result after a result cue in the clause
//     (resultCues); else result for a year written before the report's
//     and target for one after it; else the section's kind; else, for a
//     figure about the report's year with 左右 or 以上, target;
//   - then five years (spanKind): an amount named as an addition (新增,
//     additionCue) with no year written, in a five-year review
//     (c.FiveYears) or a plan's targets (c.Plan), is five-years or plan:
//     the five years' total, not one year's; so is an amount dated by
//     five years in its own sentence (过去五年, 五年间, “十五五”时期...)
//     that is neither a rate nor a vocabulary indicator's level. A level
//     reached or set (生产总值6.66万亿元, 城镇化率达到65%) keeps its year:
//     the last of the five.
func Extract(text string, c Context) []Fact {
	return extract(indicator.Default(), text, c)
}

// figure is one figure of a text before it is read as a fact.
type figure struct {
	start, end    int // Value: qualifiers, numeral(s), scale, unit
	number, upper float64
	unit          string
	qualifier     string
}

func extract(voc *indicator.Vocabulary, text string, c Context) []Fact {
	figs := findFigures(text)
	if len(figs) == 0 {
		return nil
	}
	clauses := splitClauses(text)
	matches := voc.Find(text)
	years := yearMentions(text, c.ReportYear)
	out := make([]Fact, 0, len(figs))
	ci := 0
	cues := cueCache{sentence: -1, clause: -1}
	var prev *Fact // previous fact of the sentence
	prevSentence, prevClause := -1, -1
	for _, f := range figs {
		for ci < len(clauses) && clauses[ci].end < f.end {
			ci++
		}
		if ci == len(clauses) {
			break
		}
		cl := clauses[ci]
		if cl.start > f.start || isBaselineFigure(text, f.start) {
			continue // straddles a break, or a change's starting point
		}
		if cl.sentence != prevSentence {
			prev = nil
		}
		leadStart := cl.start
		if prev != nil && prevClause == ci && prev.ValueEnd > leadStart {
			leadStart = prev.ValueEnd
		}
		fc := Fact{
			Value: text[f.start:f.end], Number: f.number, Upper: f.upper, Unit: f.unit,
			Qualifier: f.qualifier, Start: cl.start, End: cl.end, ValueStart: f.start, ValueEnd: f.end,
		}
		r := reading{text: text, lead: leadStart, fig: f, clause: cl, matches: matches}
		r.read(&fc, prev)
		fc.Year = factYear(years, cl, f, c.Year)
		prevKind := KindUnknown
		if prev != nil && prevClause == ci && enumerationGap(text[prev.ValueEnd:f.start]) {
			prevKind = prev.Kind
		}
		fc.Kind = factKind(text, cl, f, leadStart, r.measureStart, prevKind, fc, years, c, &cues)
		fc.Kind = spanKind(text, fc, years, cl, f, c)
		out = append(out, fc)
		prev = &out[len(out)-1]
		prevSentence, prevClause = cl.sentence, ci
	}
	return out
}

// enumerationGap reports whether the words between two figures continue
// an enumeration: they hold 、 or 和 (after what the previous counter
// counts: 6家国家级制造业创新中心、3家…) and no measure word.
func enumerationGap(s string) bool {
	if !strings.Contains(s, "、") && !strings.Contains(s, "和") {
		return false
	}
	k, _, _ := lastMeasure(s, 0, len(s))
	return k < 0
}

// reading is the words before one figure being read.
type reading struct {
	text         string
	lead         int // start of the words before the figure
	fig          figure
	clause       clause
	matches      []indicator.Match
	measureStart int // where the words of measure and kind start
}

// read sets the fact's indicator, label and measure, and where the words
// that may hold a kind cue start (after the label).
func (r *reading) read(fc *Fact, prev *Fact) {
	shareAt, shareChange := r.share()
	m, found, shareOf := r.indicatorMatch(shareAt, shareChange)
	labelStart := r.lead
	implied := ""
	if found {
		fc.Indicator = m.ID
		fc.Label = r.text[m.Start:m.End]
		labelStart = m.End
		implied = m.Implies
	}
	// The measure word: the last one after the indicator.
	mw := r.measureBefore(labelStart, shareAt, shareOf)
	r.measureStart = labelStart
	if !found {
		r.labelBeforeFigure(fc, mw, prev)
		if r.labelAfterFigure(fc) && (mw.measure == MeasureGrowth || mw.measure == MeasureDecline) {
			// 改造提升12个老旧社区: before what a counter counts, 提升 and
			// 增加 are verbs of the work done, not a change of an indicator.
			mw.start = -1
		}
	}
	if mw.start < 0 {
		// 保持10%以上增长: the measure word after the figure.
		if w, ms, ok := measureAfter(r.text[r.fig.end:r.clause.end]); ok {
			mw = measureAt{start: r.fig.end, word: w, measure: ms}
		}
	}
	setMeasure(fc, mw, implied, r.fig.qualifier)
	if !found && fc.Label == "" {
		r.inheritLabel(fc, prev, mw.start >= 0)
	}
}

// measureAt is a measure word found in the text: what the figure
// measures of its indicator (增长, 占, 累计...) and where it is written.
type measureAt struct {
	start   int    // where the word starts in the text; -1 when there is none
	word    string // the word as written
	measure string // the measure it names (MeasureGrowth...)
}

// share finds 占…比重 before the figure: for a percentage, at is where 占
// starts (the indicator is what comes before it, the whole after it), else
// -1; change reports a change of a share in percentage points
// (服务业增加值占GDP比重提高2.7个百分点).
func (r *reading) share() (at int, change bool) {
	p := shareMark(r.text[r.lead:r.fig.start])
	if p < 0 {
		return -1, false
	}
	switch r.fig.unit {
	case "%":
		return r.lead + p, false
	case "pp":
		return -1, true
	}
	return -1, false
}

// indicatorMatch finds the indicator match nearest the figure, before 占
// when shareAt says there is one, and reports whether the figure is a
// value of that indicator (found) or, for a percentage, its share of it
// (shareOf: 服务业在国内生产总值中的比重, GDP is the whole).
func (r *reading) indicatorMatch(shareAt int, shareChange bool) (m indicator.Match, found, shareOf bool) {
	text, f := r.text, r.fig
	limit := f.start
	if shareAt >= 0 {
		limit = shareAt
	}
	m, found = nearestMatch(r.matches, r.lead, limit)
	// shareChange: the change of a share, the label says of what.
	// isRatio: 社会物流总费用与GDP的比率, GDP is the denominator.
	if !found || shareChange || isRatio(text[r.lead:m.Start], text[m.End:f.start]) {
		return m, false, false
	}
	if f.unit == "%" && shareAt < 0 && containsAnyOf(text[m.End:f.start], shareWords) {
		return m, false, true
	}
	return m, r.namesFigure(m, shareAt), false
}

// namesFigure reports whether the indicator match m names what the figure
// measures rather than something near it.
func (r *reading) namesFigure(m indicator.Match, shareAt int) bool {
	text, f := r.text, r.fig
	switch {
	case inEnumeration(text, r.lead, m, f.start), hasDigit(cutBaseline(text[m.End:f.start])):
		// 装备制造业、高技术制造业增加值分别增长: the match names one item of
		// several; 经济总量超200亿元县2个: another figure stands between.
		return false
	case narrowed(text, r.lead, m):
		return false // 信息服务业增加值: a sector within the indicator's
	case shareAt < 0 && namesOtherQuantity(text, m.End, f.start):
		return false // 农村危房改造竣工率: a rate of the indicator, not it
	}
	return true
}

// measureBefore finds the measure word between the label's end and the
// figure: the last one, or 占 when the figure is a share.
func (r *reading) measureBefore(labelStart, shareAt int, shareOf bool) measureAt {
	start, word, measure := lastMeasure(r.text, labelStart, r.fig.start)
	if shareAt >= 0 {
		start, word, measure = max(shareAt, labelStart), "占", MeasureShare
	}
	if shareOf {
		measure = MeasureShare
	}
	return measureAt{start: start, word: word, measure: measure}
}

// labelBeforeFigure sets the label, when no indicator matched, from the words
// before the measure word (or the figure), and where the words of measure
// and kind start.
func (r *reading) labelBeforeFigure(fc *Fact, mw measureAt, prev *Fact) {
	text := r.text
	region := text[r.lead:r.fig.start]
	if mw.start >= 0 {
		region = text[r.lead:mw.start]
	}
	region = cutBaseline(region)
	fc.Label = cleanLabel(region)
	r.measureStart = r.lead + labelEnd(region, fc.Label)
	if fc.Label == "" && mw.start >= 0 && (mw.measure == MeasureCumulative || prev == nil) {
		// 累计新开工项目超过3万个, 压减一般性支出18.2亿元: the words
		// after the measure word, when nothing comes before it.
		fc.Label = cleanLabel(text[mw.start+len(mw.word) : r.fig.start])
		r.measureStart = mw.start
	}
}

// labelAfterFigure sets the label, when no indicator matched, from what a
// counter after the figure counts, and reports whether it did. A
// percentage takes a label after it only when 的 follows it or nothing
// comes before it.
func (r *reading) labelAfterFigure(fc *Fact) bool {
	text, f := r.text, r.fig
	if (f.unit == "%" || f.unit == "pp") && !strings.HasPrefix(text[f.end:], "的") && strings.TrimSpace(text[r.lead:f.start]) != "" {
		return false
	}
	l := labelAfter(text, f.end, r.clause.end)
	if l == "" {
		return false
	}
	fc.Label = l
	r.measureStart = r.lead
	return true
}

// setMeasure sets the fact's measure: from its measure word, else the
// measure its indicator's name implies, else its qualifier's, else level.
func setMeasure(fc *Fact, mw measureAt, implied, qualifier string) {
	switch {
	case mw.start >= 0:
		fc.Measure, fc.MeasureText = mw.measure, mw.word
	case implied != "":
		fc.Measure = implied
	case measureOfQualifier[qualifier] != "":
		fc.Measure, fc.MeasureText = measureOfQualifier[qualifier], qualifier
	default:
		fc.Measure = MeasureLevel
	}
}

// inheritLabel gives a fact that found no label of its own the indicator
// and label of the previous fact of its clause (and its measure, when it
// has no measure word), or, first in its clause, of the indicator an
// earlier clause of its sentence named.
func (r *reading) inheritLabel(fc *Fact, prev *Fact, hasMeasureWord bool) {
	if prev != nil {
		fc.Indicator, fc.Label = prev.Indicator, prev.Label
		if !hasMeasureWord {
			fc.Measure, fc.MeasureText = prev.Measure, prev.MeasureText
		}
		return
	}
	// 地区生产总值迈上6万亿元台阶，达到62661亿元: the clause goes on
	// about the indicator an earlier clause of its sentence named,
	// whose own figure made no fact.
	start := 0
	if i := strings.LastIndexAny(r.text[:r.lead], "。！？；\n"); i >= 0 {
		_, n := utf8.DecodeRuneInString(r.text[i:])
		start = i + n
	}
	if m, ok := nearestMatch(r.matches, start, r.lead); ok {
		fc.Indicator, fc.Label = m.ID, r.text[m.Start:m.End]
	}
}

// shareWords after an indicator and before a percentage make the figure a
// share of it: 服务业在国内生产总值中的比重上升到50.5%.
var shareWords = []string{"比重", "占比", "比例"}

func containsAnyOf(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
