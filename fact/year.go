package fact

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// A yearMention is a place where text names the year a figure is about.
// fiveYears marks a mention of the five years up to year (过去五年, 五年来,
// “十四五”时期), not of year alone; plan one of a plan's name.
type yearMention struct {
	start, end int
	year       int
	fiveYears  bool
	plan       bool
}

// baselineMarks before a year make it the year compared with, not the
// year a figure is about: 比2020年增长, 较上年, 与2012年相比, 同上年.
var baselineMarks = []string{"比", "较", "与", "同", "相对于", "对比"}

// relativeYears are words naming a year relative to the report's: 今年
// is the report year, 去年 and 上年 the one before (reports review it),
// 过去五年 ends with it too (its five years: fiveYears), 明年 the one
// after, and 今后五年 four years after (a plan's five years from this one).
var relativeYears = []struct {
	word      string
	offset    int
	fiveYears bool
}{
	{"今年", 0, false}, {"本年", 0, false}, {"去年", -1, false}, {"上年", -1, false}, {"上一年", -1, false},
	{"过去一年", -1, false}, {"过去的一年", -1, false}, {"这一年", -1, false},
	{"过去五年", -1, true}, {"过去的五年", -1, true}, {"这五年", -1, true},
	{"明年", 1, false}, {"今后五年", 4, true}, {"未来五年", 4, true},
}

// sinceWords after 一年 or 五年 make it the year or the five years up to
// the report's: 一年来, 五年来, 五年以来, 五年间 (not 十五年来).
var sinceWords = []string{"来", "以来", "间"}

// planSpanWords after a plan's name make it the plan's five years (“十四五”
// 时期, 十四五期间, “十四五”以来 once the plan is over), not one of its
// years: “十四五”收官之年 is the last year alone.
var planSpanWords = []string{"时期", "期间", "以来"}

// plans are the five-year plans a figure can be about. A figure of a plan
// period (“十四五”时期年均增长) is dated by the plan's last year, the year
// its results are reported for and its targets are due: 十一五 is 2006–
// 2010, each plan five years after it. Plans before the third had other
// spans and are not read.
var plans = []struct {
	name string
	last int
}{
	{"十一五", 2010}, {"十二五", 2015}, {"十三五", 2020}, {"十四五", 2025}, {"十五五", 2030}, {"十六五", 2035},
}

// yearMentions returns the years text names, in order: "2025年" and
// "二〇二五年" (not as a baseline after 比, 较...), the relative words
// when reportYear is known, and five-year plans.
func yearMentions(text string, reportYear int) []yearMention {
	var out []yearMention
	for i := 0; ; {
		k := strings.Index(text[i:], "年")
		if k < 0 {
			break
		}
		p := i + k
		i = p + len("年")
		if y, start, ok := yearBefore(text, p); ok && !isBaseline(text[:start]) {
			out = append(out, yearMention{start: start, end: i, year: y})
			continue
		}
		if reportYear == 0 {
			continue
		}
		if m, ok := relativeYear(text, i, reportYear); ok {
			out = append(out, m)
		}
	}
	if strings.Contains(text, "五") {
		for _, pl := range plans {
			for i := 0; ; {
				k := strings.Index(text[i:], pl.name)
				if k < 0 {
					break
				}
				s := i + k
				i = s + len(pl.name)
				if !isBaseline(text[:s]) {
					rest := strings.TrimPrefix(strings.TrimLeft(text[i:], "”」’\""), "规划")
					span := hasAnyPrefix(rest, planSpanWords)
					if strings.HasPrefix(rest, "以来") && reportYear > 0 && pl.last >= reportYear {
						span = false // “十四五”以来 in 2023: two years of a plan still running
					}
					out = append(out, yearMention{start: s, end: i, year: pl.last, fiveYears: span, plan: true})
				}
			}
		}
		sortMentions(out)
	}
	return out
}

// relativeYear reads a relative year word ending just before text[i:]
// (which follows a 年): relativeYears, or 一年 or 五年 before sinceWords.
func relativeYear(text string, i, reportYear int) (yearMention, bool) {
	for _, r := range relativeYears {
		s := i - len(r.word)
		if s >= 0 && text[s:i] == r.word && !isBaseline(text[:s]) {
			return yearMention{start: s, end: i, year: reportYear + r.offset, fiveYears: r.fiveYears}, true
		}
	}
	s := i - len("五年")
	if s < 0 || !hasAnyPrefix(text[i:], sinceWords) || isBaseline(text[:s]) {
		return yearMention{}, false
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:s]); strings.ContainsRune("〇○零一二三四五六七八九十两几", r) || unicode.IsDigit(r) {
		return yearMention{}, false // 十五年来, 二十一年来: a count of years
	}
	switch text[s:i] {
	case "一年":
		return yearMention{start: s, end: i, year: reportYear - 1}, true
	case "五年":
		return yearMention{start: s, end: i, year: reportYear - 1, fiveYears: true}, true
	}
	return yearMention{}, false
}

// hasAnyPrefix reports whether s starts with one of words.
func hasAnyPrefix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// sortMentions orders mentions by start (insertion sort: there are few).
func sortMentions(m []yearMention) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].start < m[j-1].start; j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// yearBefore reads a year written just before text[p:] (which starts with
// 年): four ASCII digits not part of a longer number, or four Chinese
// digits (二〇二五). It also reads the end of a range, "2021-2025年".
func yearBefore(text string, p int) (year, start int, ok bool) {
	if p >= 4 && allDigits(text[p-4:p]) && (p == 4 || !isASCIIDigit(text[p-5])) {
		y, _ := strconv.Atoi(text[p-4 : p])
		return y, p - 4, hanzi.ValidYear(y)
	}
	s := p
	for n := 0; n < 4; n++ {
		r, w := utf8.DecodeLastRuneInString(text[:s])
		if !strings.ContainsRune("〇○零一二三四五六七八九", r) {
			return 0, 0, false
		}
		s -= w
	}
	y, good := hanzi.ParseDigits(strings.ReplaceAll(text[s:p], "○", "〇"))
	return y, s, good && hanzi.ValidYear(y)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// isBaseline reports whether before ends with a baseline mark.
func isBaseline(before string) bool {
	before = strings.TrimSuffix(before, "“") // 较“十三五”末
	for _, m := range baselineMarks {
		if strings.HasSuffix(before, m) {
			return true
		}
	}
	return false
}
