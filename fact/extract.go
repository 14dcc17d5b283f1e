package fact

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/indicator"
)

// maxLabelRunes bounds a Label read from the words around a figure: a
// longer stretch is a clause, not a name, and only its end is kept.
const maxLabelRunes = 30

// Extract returns the facts of a passage's text, in text order, using the
// default indicator vocabulary. c says what the passage's section is about.
//
// Every figure with a unit, a scale, % or 个百分点 is a fact, except
// numbers that are dates or years (2025年), ordinals (第十四), list
// markers and citations (bare numbers with no unit), parts of names (5G,
// G20, PM2.5, "3.0"), numbers opening a quotation or a title (“80条”,
// 《…》) and thresholds describing a noun (10亿元以上项目). Chinese
// numerals count when unambiguous (三十四万人, 百分之五); plan names
// (十四五) never do.
//
// For each figure, the words before it in its clause, back to the previous
// figure of the clause, are read:
//   - the indicator is the vocabulary match nearest the figure; when there
//     is none, Label is the words themselves, trimmed of scope and
//     connective words (leadFillers, labelTails), or, after a counter,
//     what it counts ("建成6个农业园区" → 农业园区);
//   - when the words name nothing (分别增长19.6%和9.7%, "、增长5.6%"),
//     the indicator and label of the previous figure of the sentence carry
//     over, and its measure too when no measure word is written;
//   - the measure is the last measure word before the figure
//     (measureWords), else what the vocabulary alias implies (经济增长),
//     else what a qualifier implies (超过, 以内), else level;
//   - the year is the last year named before the figure in its sentence
//     (2025年, 今年, “十四五”…; see yearMentions), else one named after it
//     in its clause, else c.Year;
//   - the kind is average after 年均 and cumulative after 累计; else
//     target after a target cue in the sentence (targetCues), result
//     after a result cue in the clause (resultCues); else result for a
//     year written before the report's and target for one after it; else
//     the section's kind; else, for a figure about the report's year with
//     左右 or 以上, target.
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
		r.read(&fc, voc, prev)
		fc.Year = factYear(years, cl, f, c.Year)
		prevKind := KindUnknown
		if prev != nil && prevClause == ci && enumerationGap(text[prev.ValueEnd:f.start]) {
			prevKind = prev.Kind
		}
		fc.Kind = factKind(text, cl, f, leadStart, r.measureStart, prevKind, fc, years, c, &cues)
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
func (r *reading) read(fc *Fact, voc *indicator.Vocabulary, prev *Fact) {
	text, f := r.text, r.fig
	lead := text[r.lead:f.start]
	// 占…比重: the indicator is what comes before 占, the whole after it.
	limit := f.start
	shareAt, shareChange := -1, false
	if p := shareMark(lead); p >= 0 {
		switch f.unit {
		case "%":
			shareAt = r.lead + p
			limit = shareAt
		case "pp":
			shareChange = true // 服务业增加值占GDP比重提高2.7个百分点
		}
	}
	m, found := nearestMatch(r.matches, r.lead, limit)
	if shareChange {
		found = false // the change of a share: the label says of what
	}
	if found && isRatio(text[r.lead:m.Start], text[m.End:f.start]) {
		found = false // 社会物流总费用与GDP的比率: GDP is the denominator
	}
	if found && (inEnumeration(text, r.lead, m, f.start) || hasDigit(cutBaseline(text[m.End:f.start]))) {
		// 装备制造业、高技术制造业增加值分别增长: the match names one item of
		// several; 经济总量超200亿元县2个: another figure stands between.
		found = false
	}
	if found && narrowed(text, r.lead, m) {
		found = false // 信息服务业增加值: a sector within the indicator's
	}
	if found && shareAt < 0 && namesOtherQuantity(text, m.End, f.start) {
		found = false // 农村危房改造竣工率: a rate of the indicator, not it
	}
	labelStart := r.lead
	if found {
		fc.Indicator = m.ID
		fc.Label = text[m.Start:m.End]
		labelStart = m.End
	}
	// The measure word: the last one after the indicator.
	mStart, mWord, measure := lastMeasure(text, labelStart, f.start)
	if shareAt >= 0 {
		mStart, mWord, measure = max(shareAt, labelStart), "占", MeasureShare
	}
	r.measureStart = labelStart
	if !found {
		region := lead
		if mStart >= 0 {
			region = text[r.lead:mStart]
		}
		region = cutBaseline(region)
		fc.Label = cleanLabel(region)
		r.measureStart = r.lead + labelEnd(region, fc.Label)
		if fc.Label == "" && mStart >= 0 && (measure == MeasureCumulative || prev == nil) {
			// 累计新开工项目超过3万个, 压减一般性支出18.2亿元: the words
			// after the measure word, when nothing comes before it.
			fc.Label = cleanLabel(text[mStart+len(mWord) : f.start])
			r.measureStart = mStart
		}
	}
	after := false
	if !found && (f.unit != "%" && f.unit != "pp" || strings.HasPrefix(text[f.end:], "的") || strings.TrimSpace(lead) == "") {
		if l := labelAfter(text, f.end, r.clause.end); l != "" {
			fc.Label, after = l, true
			r.measureStart = r.lead
		}
	}
	if after && (measure == MeasureGrowth || measure == MeasureDecline) {
		// 改造提升12个老旧社区: before what a counter counts, 提升 and
		// 增加 are verbs of the work done, not a change of an indicator.
		mStart = -1
	}
	if mStart < 0 {
		// 保持10%以上增长: the measure word after the figure.
		if w, ms, ok := measureAfter(text[f.end:r.clause.end]); ok {
			mStart, mWord, measure = f.end, w, ms
		}
	}
	switch {
	case mStart >= 0:
		fc.Measure, fc.MeasureText = measure, mWord
	case found && m.Implies != "":
		fc.Measure = m.Implies
	case measureOfQualifier[f.qualifier] != "":
		fc.Measure, fc.MeasureText = measureOfQualifier[f.qualifier], f.qualifier
	default:
		fc.Measure = MeasureLevel
	}
	if !found && fc.Label == "" && prev != nil {
		fc.Indicator, fc.Label = prev.Indicator, prev.Label
		if mStart < 0 {
			fc.Measure, fc.MeasureText = prev.Measure, prev.MeasureText
		}
	}
}

// inEnumeration reports whether the match m is one item of an enumeration
// that the figures after it share: 、 between it and the figure, 和 or 、
// right before it, or 、 before it and 分别 after it.
func inEnumeration(text string, from int, m indicator.Match, to int) bool {
	after := text[m.End:to]
	if strings.Contains(after, "、") {
		return true
	}
	if r, w := utf8.DecodeLastRuneInString(text[from:m.Start]); (r == '和' || r == '、' || r == '及') && m.Start-w > from {
		return true // 货物和服务进出口: the name is shared by the items before it
	}
	return strings.Contains(after, "分别") && strings.Contains(text[from:m.Start], "、")
}

// hasDigit reports whether s holds an Arabic digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			return true
		}
	}
	return false
}

// sectorHeads start the names of indicators that add up a whole sector
// (工业增加值, 服务业增加值, 出口, 技改投资). Written right after other
// words (能源工业增加值, 信息服务业增加值, 锂电池出口), they name a part of
// the sector, which the vocabulary's entry is not.
var sectorHeads = []string{"工业", "服务业", "制造业", "农业", "产业", "进出口", "出口", "进口", "外贸", "投资", "技改", "增加值"}

// scopeWords before a sector's name keep it whole: the report's own
// place (全省, 全市), 其中 and the verbs of a result.
var scopeWords = []string{"全省", "全市", "全区", "全县", "全州", "全国", "全自治区", "全社会", "其中", "实现", "完成", "规模以上", "规上"}

// narrowed reports whether the match m, whose alias starts with a sector
// head, follows other words of the same name.
func narrowed(text string, from int, m indicator.Match) bool {
	name := text[m.Start:m.End]
	head := false
	for _, h := range sectorHeads {
		if strings.HasPrefix(name, h) {
			head = true
			break
		}
	}
	if !head || m.Start <= from {
		return false
	}
	before := text[from:m.Start]
	r, _ := utf8.DecodeLastRuneInString(before)
	if r < 0x4E00 || r > 0x9FFF || r == '和' || r == '及' || r == '与' {
		return false
	}
	for _, w := range scopeWords {
		if strings.HasSuffix(before, w) {
			return false
		}
	}
	for _, w := range leadFillers {
		if strings.HasSuffix(before, w) {
			return false
		}
	}
	return true
}

// quantityWords end the name of a quantity. Written between a vocabulary
// match and its figure (农村危房改造竣工率, 5G基站万人拥有量), they make
// the figure a rate or ratio of the indicator rather than the indicator.
var quantityWords = []string{"率", "量", "数", "指数", "密度", "强度", "比例", "价格", "均价", "成本"}

// namesOtherQuantity reports whether the words between a match ending at
// from and the figure at to, up to the measure word and without fillers,
// end with a quantity word.
func namesOtherQuantity(text string, from, to int) bool {
	gap := text[from:to]
	if k, _, _ := lastMeasure(text, from, to); k >= 0 {
		gap = text[from:k]
	}
	gap = cleanLabel(gap)
	if gap == "" {
		return false
	}
	for _, w := range quantityWords {
		if strings.HasSuffix(gap, w) {
			return true
		}
	}
	return false
}

// measureAfter reads a change written right after its figure (10%以上增长,
// 两位数下降): only growth and decline words count there.
func measureAfter(s string) (word, measure string, ok bool) {
	r, _ := utf8.DecodeRuneInString(s)
	for _, mw := range measuresByFirst[r] {
		if (mw.measure == MeasureGrowth || mw.measure == MeasureDecline) && strings.HasPrefix(s, mw.word) {
			return mw.word, mw.measure, true
		}
	}
	return "", "", false
}

// labelEnd returns where label, cut from region, ends in region.
func labelEnd(region, label string) int {
	if label == "" {
		return 0
	}
	if k := strings.LastIndex(region, label); k >= 0 {
		return k + len(label)
	}
	return len(region)
}

// ratioWords after an indicator, with 与 or 同 before it, make it the
// second term of a ratio (与GDP的比率, 同收入之比): the fact is about the
// ratio, which the vocabulary does not name.
var ratioWords = []string{"比率", "之比", "比值", "的比"}

// isRatio reports whether an indicator between before and after is the
// second term of a ratio.
func isRatio(before, after string) bool {
	if !strings.HasSuffix(before, "与") && !strings.HasSuffix(before, "同") {
		return false
	}
	for _, w := range ratioWords {
		if strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// baselineOpeners before a figure make it the starting point of a change
// (从11件提高到24件, 由369位上升到235位): not a fact of the year, and not
// part of the next figure's label.
var baselineOpeners = []string{"从", "由"}

// isBaselineFigure reports whether the figure at start follows 从 or 由,
// directly or with the baseline's year (由1980年的114万人).
func isBaselineFigure(text string, start int) bool {
	before := strings.TrimSuffix(text[:start], "的")
	if strings.HasSuffix(before, "年") {
		if _, ys, ok := yearBefore(before, len(before)-len("年")); ok {
			before = before[:ys]
		}
	}
	for _, o := range baselineOpeners {
		if strings.HasSuffix(before, o) {
			return true
		}
	}
	// 较“十三五”末的9323.1亿元: a comparison's base, named with 的.
	if full := strings.TrimSuffix(text[:start], "的"); len(full) < start {
		if k := comparisonAt(full); k >= 0 && k >= len(full)-30 {
			if m, _, _ := lastMeasure(full, k, len(full)); m < 0 {
				return true
			}
		}
	}
	return false
}

// comparisonMarks open the base of a comparison (较上年, 比“十三五”末,
// 比2020年); comparisonAt finds the last one that does in s. The base
// and everything after it are not part of a label.
var comparisonMarks = []string{"较", "比", "相比"}

// comparisonAt returns where the last comparison of s starts (a mark
// followed by a quotation, a digit or a relative year), or -1.
func comparisonAt(s string) int {
	best := -1
	for _, m := range comparisonMarks {
		for i := 0; ; {
			k := strings.Index(s[i:], m)
			if k < 0 {
				break
			}
			p := i + k
			i = p + len(m)
			rest := s[i:]
			_, digit := isDigitAt(s, i)
			r, _ := utf8.DecodeRuneInString(rest)
			if digit || strings.ContainsRune("〇○零一二三四五六七八九", r) || strings.HasPrefix(rest, "“") || strings.HasPrefix(rest, "上年") || strings.HasPrefix(rest, "去年") ||
				strings.HasPrefix(rest, "上一年") || strings.HasPrefix(rest, "同期") || strings.HasPrefix(rest, "全国") {
				best = max(best, p)
			}
		}
	}
	return best
}

// cutBaseline cuts words at the 从 or 由 that opens a baseline figure or
// year: "拥有量从11件" → "拥有量", "在校学生由一九八〇年的…" → "在校学生".
func cutBaseline(s string) string {
	for _, o := range baselineOpeners {
		for i := 0; ; {
			k := strings.Index(s[i:], o)
			if k < 0 {
				break
			}
			p := i + k
			i = p + len(o)
			if _, ok := isDigitAt(s, i); ok {
				return s[:p]
			}
			if r, _ := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune("〇○零一二三四五六七八九十", r) {
				return s[:p]
			}
		}
	}
	return s
}

// shareMark returns where lead writes 占 (占全省, 占地区生产总值比重) or
// 占比, or -1. 占 inside 占用, 占地 (but 占地区生产总值 is a share),
// 抢占 is not a share.
func shareMark(lead string) int {
	for i := 0; ; {
		k := strings.Index(lead[i:], "占")
		if k < 0 {
			return -1
		}
		p := i + k
		i = p + len("占")
		if strings.HasSuffix(lead[:p], "抢") || strings.HasSuffix(lead[:p], "攻") {
			continue
		}
		rest := lead[i:]
		if strings.HasPrefix(rest, "用") || strings.HasPrefix(rest, "地") && !strings.HasPrefix(rest, "地区") ||
			strings.HasPrefix(rest, "领") || strings.HasPrefix(rest, "有") {
			continue
		}
		return p
	}
}

// nearestMatch returns the vocabulary match ending last within [from, to).
// Matches come in text order without overlaps, so their ends are ordered
// too and a binary search finds it.
func nearestMatch(ms []indicator.Match, from, to int) (indicator.Match, bool) {
	k := sort.Search(len(ms), func(i int) bool { return ms[i].End > to })
	for k--; k >= 0; k-- {
		if ms[k].End <= to && ms[k].Start >= from {
			return ms[k], true
		}
		if ms[k].Start < from {
			break
		}
	}
	return indicator.Match{}, false
}

// measuresByFirst indexes measureWords by their first rune.
var measuresByFirst = func() map[rune][]measureWord {
	m := map[rune][]measureWord{}
	for _, w := range measureWords {
		r, _ := utf8.DecodeRuneInString(w.word)
		m[r] = append(m[r], w)
	}
	return m
}()

// lastMeasure returns the measure word of text[from:to] that ends last
// (the longest of those ending there), or -1. A word inside a longer word
// is not a measure: 增加 of 增加值, 规模 of 规模以上.
func lastMeasure(text string, from, to int) (start int, word, measure string) {
	start = -1
	bestEnd := -1
	for i := from; i < to; {
		r, w := utf8.DecodeRuneInString(text[i:to])
		for _, mw := range measuresByFirst[r] {
			e := i + len(mw.word)
			if e > to || text[i:e] != mw.word {
				continue
			}
			if strings.HasPrefix(text[e:to], "值") {
				continue // 增加值
			}
			if adjacentOnly[mw.word] && strings.TrimSpace(text[e:to]) != "" {
				continue
			}
			if e > bestEnd || e == bestEnd && i < start {
				start, bestEnd, word, measure = i, e, mw.word, mw.measure
			}
		}
		i += w
	}
	return start, word, measure
}

// cleanLabel trims a stretch of words to the indicator's name: scope and
// connective words at its start, comparison and hedge words at its end,
// and a year at its start; only the last maxLabelRunes runes are kept.
func cleanLabel(s string) string {
	for changed := true; changed; {
		changed = false
		s = strings.TrimSpace(s)
		s = trimYear(s)
		s = trimListMarker(s)
		s = trimPeriodPhrase(s)
		s = trimRecentYears(s)
		if k := comparisonAt(s); k >= 0 {
			s = s[:k] // 实有企业较“十三五”期末
		}
		for _, w := range leadFillers {
			if strings.HasPrefix(s, w) {
				s, changed = s[len(w):], true
			}
		}
		for _, w := range labelTails {
			if strings.HasSuffix(s, w) {
				s, changed = s[:len(s)-len(w)], true
			}
		}
		for _, q := range prefixQualifiers {
			if strings.HasSuffix(s, q) {
				s, changed = s[:len(s)-len(q)], true
			}
		}
	}
	if n := utf8.RuneCountInString(s); n > maxLabelRunes {
		for range n - maxLabelRunes {
			_, w := utf8.DecodeRuneInString(s)
			s = s[w:]
		}
		// Start at a word boundary where one is near: after 、 or 的.
		if k := strings.IndexAny(s, "、的，"); k >= 0 && utf8.RuneCountInString(s[:k]) < maxLabelRunes/2 {
			_, w := utf8.DecodeRuneInString(s[k:])
			s = s[k+w:]
		}
	}
	return s
}

// periodPhrases are the time words after a plan's name that open a
// sentence (“十四五”时期全省…): they date the figure, they do not name it.
var periodPhrases = []string{"时期", "期间", "以来", "期末", "末", "规划期"}

// trimPeriodPhrase drops a quoted plan name and its time word at the
// start of s: "“十四五”时期全省" → "全省".
func trimPeriodPhrase(s string) string {
	if !strings.HasPrefix(s, "“十") {
		return s
	}
	k := strings.Index(s, "”")
	if k < 0 || k > len("“十四五")+len("五") {
		return s
	}
	rest := s[k+len("”"):]
	for _, w := range periodPhrases {
		if strings.HasPrefix(rest, w) {
			return rest[len(w):]
		}
	}
	return rest
}

// trimRecentYears drops a span of years at the start of s: 近3年, 近五年,
// 过去5年, 3年来.
func trimRecentYears(s string) string {
	t, marked := s, false
	for _, p := range []string{"最近", "过去", "近"} {
		if strings.HasPrefix(t, p) {
			t, marked = t[len(p):], true
			break
		}
	}
	i := 0
	for i < len(t) {
		r, w := utf8.DecodeRuneInString(t[i:])
		if !(r >= '0' && r <= '9' || strings.ContainsRune("一二两三四五六七八九十", r)) {
			break
		}
		i += w
	}
	if i == 0 || !strings.HasPrefix(t[i:], "年") {
		return s
	}
	t = t[i+len("年"):]
	if strings.HasPrefix(t, "来") {
		t, marked = t[len("来"):], true
	}
	if !marked {
		return s // 九年一贯制: a name
	}
	return t
}

// trimListMarker drops an enumeration at the start of s: 一是, 十三是,
// 其一, 第一.
func trimListMarker(s string) string {
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune("一二三四五六七八九十", r) {
			break
		}
		i += w
	}
	if i > 0 && strings.HasPrefix(s[i:], "是") {
		return s[i+len("是"):]
	}
	return s
}

// trimYear drops a year written at the start of s ("2025年全省",
// "一九八五年的").
func trimYear(s string) string {
	k := strings.Index(s, "年")
	if k < 0 || k > 4*len("〇") {
		return s
	}
	if _, ys, ok := yearBefore(s, k); ok && ys == 0 {
		return strings.TrimPrefix(s[k+len("年"):], "的")
	}
	return s
}

// labelAfter returns what a counter counts, written after the figure up to
// the next break, figure or measure word ("建成6个农业园区和…" →
// 农业园区), or "" when the figure is followed by none.
func labelAfter(text string, from, to int) string {
	s := text[from:to]
	s = strings.TrimPrefix(s, "的")
	if r, _ := utf8.DecodeRuneInString(s); isChineseNumeral(r) {
		if _, _, ok := chineseAt(s, 0); ok || digitThenCounter(s) {
			return "" // 9万亿三个台阶: another count, not what is counted
		}
	}
	end, quoted := len(s), false
	for i, r := range s {
		switch r {
		case '“':
			quoted = true
		case '”':
			if !quoted {
				end = i // 5个分社区”: the quotation the figure is in ends
			}
			quoted = false
		}
		if end < len(s) {
			break
		}
		if r == '及' && strings.HasSuffix(s[:i], "以") {
			end = i - len("以") // 以及
			break
		}
		if r == '和' && strings.HasPrefix(s[i:], "和美") {
			continue // 和美乡村
		}
		if r < utf8.RuneSelf || r == '、' || r == '和' || r == '及' || r == '与' || r == '（' || r == '《' {
			end = i
			break
		}
		if k, _, _ := lastMeasure(s, i, min(len(s), i+len("分别达到"))); k == i {
			end = i
			break
		}
		if isChineseNumeral(r) && i > 0 {
			if _, _, ok := chineseAt(s, i); ok {
				end = i
				break
			}
		}
	}
	return cleanLabel(s[:end])
}

// digitThenCounter reports whether s starts with one Chinese digit and a
// counter (三个, 两项): a count, not a name.
func digitThenCounter(s string) bool {
	r, w := utf8.DecodeRuneInString(s)
	if _, ok := unitAt(s[w:]); ok && strings.ContainsRune("一二两三四五六七八九十", r) {
		return true
	}
	return false
}

// factYear is the year of a figure: the last year named before it in its
// sentence, else the first named after it in its clause, else the
// section's.
func factYear(years []yearMention, cl clause, f figure, sectionYear int) int {
	if y, ok := yearWritten(years, cl, f); ok {
		return y
	}
	return sectionYear
}

// yearWritten returns the year named in the figure's sentence before it,
// or else in its clause after it. Mentions are in text order; a binary
// search finds the ones around the figure.
func yearWritten(years []yearMention, cl clause, f figure) (int, bool) {
	k := sort.Search(len(years), func(i int) bool { return years[i].start >= f.start })
	for j := k - 1; j >= 0 && years[j].start >= cl.sentStart; j-- {
		if years[j].end <= f.start {
			return years[j].year, true
		}
	}
	for j := k; j < len(years) && years[j].start < cl.end; j++ {
		if years[j].start >= f.end && years[j].end <= cl.end {
			return years[j].year, true
		}
	}
	return 0, false
}

// factKind reads the kind of a figure; see Extract.
func factKind(text string, cl clause, f figure, lead, measureStart int, prevKind Kind, fc Fact, years []yearMention, c Context, cues *cueCache) Kind {
	words := text[min(measureStart, f.start):f.start] // after the label: 年均 of PM2.5年均浓度 is a name
	switch {
	case strings.Contains(words, averageCue):
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
