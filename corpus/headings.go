package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// Limits of heading lengths in runes: longer lines are body text.
const (
	maxHeadingRunes = 50 // level 1 and level 2 headings
	maxLeadRunes    = 25 // lead sentences (level 3)
)

// l1Heading is a level-1 heading such as "一、2017年工作回顾".
type l1Heading struct {
	num   int    // 1 for 一、
	title string // the heading as written, without spaces after 、
}

// parseL1 parses a level-1 heading line: Chinese numerals, "、" and a short
// title without sentence punctuation inside it. List items written the same
// way but ending in ，；： or holding several sentences are not headings.
func parseL1(p string) (l1Heading, bool) {
	numEnd := 0
	for i, r := range p {
		if cnNumeralRune(r) {
			continue
		}
		numEnd = i
		break
	}
	if numEnd == 0 || !strings.HasPrefix(p[numEnd:], "、") {
		return l1Heading{}, false
	}
	num, ok := cnNumber(p[:numEnd])
	if !ok {
		return l1Heading{}, false
	}
	rest := strings.TrimSpace(p[numEnd+len("、"):])
	if rest == "" || runeLen(rest) > maxHeadingRunes || strings.IndexFunc(rest, isSentenceEnd) >= 0 {
		return l1Heading{}, false
	}
	if r, _ := utf8.DecodeLastRuneInString(rest); isClauseBreak(r) {
		return l1Heading{}, false
	}
	return l1Heading{num: num, title: p[:numEnd] + "、" + rest}, true
}

// l2Heading is a level-2 heading such as "(一)深入落实重大国家战略，…。",
// possibly at the start of a paragraph of body text.
type l2Heading struct {
	open, close string // brackets as written: "(" ")" or "（" "）"
	num         int    // 0 when the numeral is missing, as in "()深入推进…"
	title       string // text after the bracket up to the first 。！？；
	body        bool   // the paragraph goes on after the heading
}

// text returns the heading with its number written as num.
func (h l2Heading) text(num int) string {
	return h.open + cnNumeral(num) + h.close + h.title
}

// parseL2 parses a level-2 heading at the start of p: a bracketed Chinese
// numeral (or an empty bracket, a common typo) and a title up to the first
// 。！？； of at most maxHeadingRunes runes.
func parseL2(p string) (l2Heading, bool) {
	var h l2Heading
	s := p
	switch {
	case strings.HasPrefix(s, "("):
		h.open, s = "(", s[1:]
	case strings.HasPrefix(s, "（"):
		h.open, s = "（", s[len("（"):]
	default:
		return h, false
	}
	s = strings.TrimLeft(s, " \u3000")
	numEnd := strings.IndexFunc(s, func(r rune) bool { return !cnNumeralRune(r) })
	if numEnd < 0 {
		return h, false
	}
	if numEnd > 0 {
		n, ok := cnNumber(s[:numEnd])
		if !ok {
			return h, false
		}
		h.num = n
	}
	s = strings.TrimLeft(s[numEnd:], " \u3000")
	switch {
	case strings.HasPrefix(s, ")"):
		h.close, s = ")", s[1:]
	case strings.HasPrefix(s, "）"):
		h.close, s = "）", s[len("）"):]
	default:
		return h, false
	}
	s = strings.TrimLeft(s, " \u3000")
	end := strings.IndexFunc(s, isSentenceEnd)
	title, rest := s, ""
	if end >= 0 {
		_, size := utf8.DecodeRuneInString(s[end:])
		title, rest = s[:end], s[end+size:]
	}
	title = strings.TrimSpace(title)
	if title == "" || runeLen(title) > maxHeadingRunes || !hanzi.HasHan(title) {
		return h, false
	}
	h.title = title
	h.body = strings.TrimFunc(rest, func(r rune) bool { return isClosing(r) || unicode.IsSpace(r) }) != ""
	return h, true
}

// isHeadingLine reports whether p starts with a level-1 or level-2 heading.
func isHeadingLine(p string) bool {
	if _, ok := parseL1(p); ok {
		return true
	}
	_, ok := parseL2(p)
	return ok
}

// leadSentence returns the lead sentence of p, the level-3 heading of a
// paragraph such as "提升就业服务质效。深入实施…": a first sentence of at most
// maxLeadRunes runes without commas, ending in 。, followed by more text,
// that is not a statement ("…是…") or a quotation.
// Leading dashes ("——经济保持恢复发展。") are not part of the heading.
func leadSentence(p string) (string, bool) {
	n := 0
	for i, r := range p {
		if n > maxLeadRunes {
			return "", false
		}
		switch {
		case r == '。':
			lead := strings.TrimLeft(p[:i], "—-－ ")
			rest := strings.TrimSpace(p[i+len("。"):])
			if runeLen(lead) < 2 || !hanzi.HasHan(lead) || rest == "" || isStatement(lead) {
				return "", false
			}
			return lead, true
		case isSentenceEnd(r), isClauseBreak(r):
			return "", false
		}
		n++
	}
	return "", false
}

// isStatement reports lead sentences that are statements or quotations
// rather than headings: "过去一年是…的一年", "“打铁必须自身硬”".
func isStatement(lead string) bool {
	if strings.Contains(lead, "是") {
		return true
	}
	first, _ := utf8.DecodeRuneInString(lead)
	last, _ := utf8.DecodeLastRuneInString(lead)
	return isOpening(first) && isClosing(last)
}

// ordinalHeading returns the heading of a paragraph that is a single short
// sentence starting with an ordinal, such as "一是保持宏观政策连续性针对性，
// 推动经济运行保持在合理区间。" on a line of its own. It heads the paragraphs
// after it.
func ordinalHeading(p string) (string, bool) {
	numEnd := strings.IndexFunc(p, func(r rune) bool { return !cnNumeralRune(r) })
	if numEnd <= 0 || !strings.HasPrefix(p[numEnd:], "是") {
		return "", false
	}
	if _, ok := cnNumber(p[:numEnd]); !ok || runeLen(p) > maxHeadingRunes {
		return "", false
	}
	body := strings.TrimRightFunc(p, func(r rune) bool { return isFullStop(r) || isClosing(r) })
	if strings.IndexFunc(body, isSentenceEnd) >= 0 {
		return "", false
	}
	return strings.TrimSuffix(p, "。"), true
}

// Heading words that say whether a section reviews results or sets targets.
var (
	actualWords = []string{"回顾", "成绩", "成就", "工作总结", "基本总结", "过去", "去年"}
	targetWords = []string{"任务", "目标", "安排", "预期", "计划", "总体要求", "政策取向", "部署", "建议", "今年", "今后"}
)

// headingPeriod returns the year a heading names and whether it reviews
// results or sets targets. A heading with words of both kinds has no kind.
func headingPeriod(h string) (year int, kind PeriodKind) {
	actual, target := containsAny(h, actualWords), containsAny(h, targetWords)
	switch {
	case actual && !target:
		kind = PeriodActual
	case target && !actual:
		kind = PeriodTarget
	}
	return titleYear(h), kind
}

// cnNumeralRune reports runes of Chinese numbers up to 九十九.
func cnNumeralRune(r rune) bool {
	return strings.ContainsRune("一二三四五六七八九十", r)
}

// cnNumber parses a heading number from 一 to 九十九 written as cnNumeral
// writes it, or with 一 before 十 (一十二): digits 一 to 九 and at most one 十.
// hanzi.ParseNumber reads the value; the shape check keeps 十十 (which
// ParseNumber, reading figures, takes for 20), 两 and 零 out of headings.
func cnNumber(s string) (int, bool) {
	if strings.Count(s, "十") > 1 || strings.IndexFunc(s, func(r rune) bool { return !cnNumeralRune(r) }) >= 0 {
		return 0, false
	}
	v, ok := hanzi.ParseNumber(s)
	if !ok || v < 1 {
		return 0, false
	}
	return int(v), true
}

// cnNumeral writes n (1 to 99) in Chinese numerals.
func cnNumeral(n int) string {
	const digits = "一二三四五六七八九"
	d := func(i int) string { return digits[(i-1)*len("一") : i*len("一")] }
	switch {
	case n < 1 || n > 99:
		return ""
	case n < 10:
		return d(n)
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d(n-10)
	case n%10 == 0:
		return d(n/10) + "十"
	}
	return d(n/10) + "十" + d(n%10)
}
