package fact

import (
	"strings"
	"unicode/utf8"
)

// maxLabelRunes bounds a Label read from the words around a figure: a
// longer stretch is a clause, not a name, and only its end is kept.
const maxLabelRunes = 30

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
