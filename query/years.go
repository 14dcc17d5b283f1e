package query

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// Years in questions. findYears reads every form of year a question can
// name and says which it could not accept; ResolveYears turns the forms
// that need a reference year (今年, 去年, "18年") into years.
//
// The forms:
//   - four digits, ASCII or full width (Clean folds those): 2018年, 2018,
//     "in 2018", FY2018. Without 年 a number is no year when a unit follows
//     it (2000亿元, 1100万人), when it is part of a decimal (3.2018), or of a
//     phone number or code (400-820-2018, 010-2018); "2018-12-01" is 2018.
//   - four Chinese digits read one by one before 年: 二〇一八年, 二零一八年.
//   - two digits before 年 or after an apostrophe: 18年, '18, FY18. They
//     need the reference year (see ResolveYears), and are not years when
//     they count years ("近10年", "连续18年", "10年来", "80年代").
//   - ranges between two years: 2016-2020年, 2016年至2020年, "2016 to 2020"
//     become every year from the first to the last (at most maxRangeYears).
//   - five-year plans: 十三五, “九五”, 第十个五年计划, "13th Five-Year Plan"
//     are their five years; with 开局/第一年 ("first year") the first, with
//     收官/最后一年 ("final year") the last (see planStart).
//   - relative years: 今年, 去年, 明年, 前年, "this year", "last year",
//     "next year", "the year before last" (see ResolveYears).
//
// A year written in full (four digits, with 年 or in English after "in")
// outside hanzi.ValidYear is kept apart (Query.OutOfRange): no report is
// about it, and the answer says so instead of quoting another year.

// maxRangeYears is the widest range of years a question's "A-B" is read
// as every year of; a wider one keeps its two ends only (a question about
// 1978-2018 compares two years, it does not ask about forty).
const maxRangeYears = 10

// yearsFound is what findYears reads.
type yearsFound struct {
	years      []int // valid years, in the order first named
	outOfRange []int // years written in full that no report can be about
	relative   []int // offsets from "this year": 今年 0, 去年 -1, 明年 1, 前年 -2
	short      []int // two-digit years (18 in 18年)
}

// yearAt is a single four-digit year in the text, for ranges.
type yearAt struct {
	year       int
	start, end int // rune offsets
}

func findYears(s string) yearsFound {
	var f yearsFound
	r := []rune(s)
	var ms []yearAt
	for i := 0; i < len(r); {
		switch {
		case isDigit(r[i]):
			j := digitChainEnd(r, i)
			ms = append(ms, asciiYears(r, i, j, &f)...)
			i = j
		case isYearDigit(r[i]):
			j := i
			for j < len(r) && isYearDigit(r[j]) {
				j++
			}
			if v, ok := hanzi.ParseDigits(string(r[i:j])); ok && j-i == 4 && j < len(r) && r[j] == '年' {
				ms = append(ms, yearAt{v, i, j + 1})
			}
			i = j
		default:
			i++
		}
	}
	for k, m := range ms {
		if k > 0 && isRangeBetween(r, ms[k-1], m) {
			f.addRange(ms[k-1].year, m.year)
			continue
		}
		f.add(m.year)
	}
	for _, y := range planYears(s) {
		f.add(y)
	}
	f.relative = relativeYears(s)
	return f
}

// hanYear is a year written in Chinese digits one by one (二〇一八年).
var hanYear = regexp.MustCompile(`[〇零一二三四五六七八九]{4}年`)

// digitYears writes the years of s written in Chinese digits one by one
// with ASCII digits ("二〇一八年" → "2018年"), as the reports write them:
// the search then looks for "2018年", not for the bigrams of "二〇一八".
func digitYears(s string) string {
	return hanYear.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := hanzi.ParseDigits(strings.TrimSuffix(m, "年")); ok {
			return strconv.Itoa(v) + "年"
		}
		return m
	})
}

// add records y as a year, or as a year out of range.
func (f *yearsFound) add(y int) {
	switch {
	case hanzi.ValidYear(y) && !slices.Contains(f.years, y):
		f.years = append(f.years, y)
	case !hanzi.ValidYear(y) && !slices.Contains(f.outOfRange, y):
		f.outOfRange = append(f.outOfRange, y)
	}
}

// addRange records the years from a to b.
func (f *yearsFound) addRange(a, b int) {
	if b <= a || b-a > maxRangeYears || !hanzi.ValidYear(a) || !hanzi.ValidYear(b) {
		f.add(b) // a was added as a year on its own
		return
	}
	for y := a + 1; y <= b; y++ {
		f.add(y)
	}
}

// isRangeBetween reports whether the text between two years makes them a
// range ("2016-2020年", "2016年至2020年", "2016 to 2020").
func isRangeBetween(r []rune, a, b yearAt) bool {
	between := strings.ToLower(strings.TrimSpace(string(r[a.end:b.start])))
	between = strings.TrimSpace(strings.TrimPrefix(between, "年"))
	switch between {
	case "-", "—", "–", "~", "～", "至", "到", "to", "through", "until":
		return true
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isYearDigit reports whether r is a Chinese digit of a year written digit
// by digit (二〇一八年); 两 never is.
func isYearDigit(r rune) bool { return strings.ContainsRune("〇零一二三四五六七八九", r) }

// digitChainEnd returns the end of the run of digit groups starting at i
// joined by single hyphens ("400-820-2018", "2016-2020", "2018-12-01").
func digitChainEnd(r []rune, i int) int {
	j := i
	for {
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j+1 < len(r) && r[j] == '-' && isDigit(r[j+1]) {
			j++
			continue
		}
		return j
	}
}

// asciiYears reads the years of the digit chain r[i:j] into f: the
// four-digit ones it returns, for ranges; two-digit ones it records in
// f.short.
func asciiYears(r []rune, i, j int, f *yearsFound) []yearAt {
	if i > 0 && strings.ContainsRune(".,+:/", r[i-1]) || j+1 < len(r) && strings.ContainsRune(".,:/", r[j]) && isDigit(r[j+1]) {
		return nil // 3.2018, 27,203, +86, 12:30, 2018.5
	}
	groups := strings.Split(string(r[i:j]), "-")
	switch {
	case len(groups) == 1:
		return oneNumber(r, i, j, f)
	case len(groups) == 2 && len(groups[0]) == 4 && len(groups[1]) == 4: // 2016-2020
		a, b := atoi(groups[0]), atoi(groups[1])
		return []yearAt{{a, i, i + 4}, {b, j - 4, yearEnd(r, j)}}[:yearsOK(a, b)]
	case len(groups[0]) == 4 && len(groups) <= 3 && len(groups[1]) <= 2 && len(groups[len(groups)-1]) <= 2: // 2018-12-01
		if y := atoi(groups[0]); hanzi.ValidYear(y) {
			return []yearAt{{y, i, j}}
		}
	}
	return nil // a phone number or a code
}

// oneNumber reads the number r[i:j] standing alone: a four-digit year it
// returns, a two-digit one it records in f.short.
func oneNumber(r []rune, i, j int, f *yearsFound) []yearAt {
	n, v := j-i, atoi(string(r[i:j]))
	next := rune(0)
	if j < len(r) {
		next = r[j]
	}
	switch {
	case n == 4 && next == '年':
		return []yearAt{{v, i, j + 1}}
	case n == 4 && (hanzi.ValidYear(v) && !isUnit(next) || englishYearBefore(r, i)):
		return []yearAt{{v, i, j}}
	case n == 2 && next == '年' && !countsYears(r, i, j),
		n == 2 && !isUnit(next) && (i > 0 && (r[i-1] == '\'' || r[i-1] == '’') || i > 1 && strings.EqualFold(string(r[i-2:i]), "fy")):
		f.short = append(f.short, v)
	}
	return nil
}

// yearsOK is how many of a range's two ends to keep: both, unless they are
// no years.
func yearsOK(a, b int) int {
	if hanzi.ValidYear(a) && hanzi.ValidYear(b) {
		return 2
	}
	return 0
}

// yearEnd is the end of a year at r[:j], past its 年.
func yearEnd(r []rune, j int) int {
	if j < len(r) && r[j] == '年' {
		return j + 1
	}
	return j
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// isUnit reports whether r, right after a number, makes it an amount, not
// a year (2000亿元, 1100万人, 50%).
func isUnit(r rune) bool {
	return r == '%' || strings.ContainsRune("万亿千百元人个吨亩户家所项件名次台辆套处条座米公平倍斤", r)
}

// englishYearBefore reports whether the word before r[i:] introduces a
// year ("in 1899", "year 1899", "FY1899").
func englishYearBefore(r []rune, i int) bool {
	k := i
	for k > 0 && r[k-1] == ' ' {
		k--
	}
	w := k
	for w > 0 && r[w-1] < unicode.MaxASCII && unicode.IsLetter(r[w-1]) {
		w--
	}
	switch strings.ToLower(string(r[w:k])) {
	case "in", "year", "fy", "since", "during":
		return true
	}
	return false
}

// countsYears reports whether the two digits r[i:j] before 年 count years
// ("近10年", "连续18年", "过去10年", "10年来", "80年代") rather than name one.
func countsYears(r []rune, i, j int) bool {
	if i > 0 && strings.ContainsRune("近第这多每用内前后数几满约逾超达余去续来", r[i-1]) {
		return true
	}
	return j+1 < len(r) && strings.ContainsRune("来间内里以前后多左半代", r[j+1])
}

// Five-year plans: the Nth plan's first year (planStart) and the words
// that pick its first or last year.
var (
	planZH = regexp.MustCompile(`第([一二三四五六七八九十]+|\d+)个五年(?:计划|规划)|(十[一二三四五六七八九])五|[“‘"']([一二三四五六七八九十])五[”’"']|([一二三四五六七八九十])五(?:计划|规划|时期|期间|末|初|开局|收官)`)
	planEN = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\s+five[- ]year\s+plan`)
	// planFirst and planLast pick one year of a plan ("十三五开局之年").
	planFirst = []string{"开局", "第一年", "首年", "起步之年", "first year"}
	planLast  = []string{"收官", "最后一年", "末年", "final year", "last year of"}
)

// planStart is the first year of the Nth five-year plan: the first ran
// 1953–1957, the second 1958–1962; after three years of adjustment
// (1963–1965) the third began in 1966, and every plan since five years
// after the one before (the 13th 2016–2020, the 15th 2026–2030).
func planStart(n int) int {
	switch {
	case n == 1:
		return 1953
	case n == 2:
		return 1958
	}
	return 1951 + 5*n
}

// planYears returns the years of the five-year plans s names.
func planYears(s string) []int {
	var out []int
	lower := strings.ToLower(s)
	for _, m := range planZH.FindAllStringSubmatch(s, -1) {
		for _, g := range m[1:] {
			if g == "" {
				continue
			}
			n, ok := hanzi.ParseNumber(g)
			if !ok {
				n = float64(atoi(g))
			}
			out = append(out, planYearsOf(int(n), lower)...)
			break
		}
	}
	for _, m := range planEN.FindAllStringSubmatch(s, -1) {
		out = append(out, planYearsOf(atoi(m[1]), lower)...)
	}
	return out
}

// planYearsOf returns the Nth plan's years, or its first or last alone
// when the question says so.
func planYearsOf(n int, lower string) []int {
	if n < 1 || n > 30 {
		return nil
	}
	first := planStart(n)
	switch {
	case ContainsAny(lower, planFirst):
		return []int{first}
	case ContainsAny(lower, planLast):
		return []int{first + 4}
	}
	return []int{first, first + 1, first + 2, first + 3, first + 4}
}

// relativeZH and relativeEN are the relative year words and their offsets
// from "this year".
var (
	relativeZH = []struct {
		word string
		off  int
	}{{"今年", 0}, {"去年", -1}, {"明年", 1}, {"前年", -2}}
	relativeEN = []struct {
		word string
		off  int
	}{{"this year", 0}, {"the year before last", -2}, {"last year", -1}, {"next year", 1}}
)

// fiveYearsZH and fiveYearsEN name the five years up to last year, as a
// review of a plan or of a government's term does (过去五年, "the past
// five years"); 十五年来 counts years.
var (
	fiveYearsZH = []string{"过去五年", "过去的五年", "五年来", "五年以来", "五年间", "近五年", "这五年"}
	fiveYearsEN = regexp.MustCompile(`(?i)\b(?:(?:past|last|previous|preceding)\s+(?:five|5)|over\s+(?:the\s+)?(?:five|5))\s+years\b`)
)

// asksFiveYears reports whether s asks about the five years up to last
// year together (过去五年, 五年来, "over the past five years"): their
// total, not one year's.
func asksFiveYears(s string) bool {
	notCounted := func(before string) bool {
		r, _ := utf8.DecodeLastRuneInString(before)
		return before == "" || !strings.ContainsRune("〇零一二三四五六七八九十两几", r) && !unicode.IsDigit(r)
	}
	for _, w := range fiveYearsZH {
		if occursAfter(s, w, notCounted) {
			return true
		}
	}
	return fiveYearsEN.MatchString(s)
}

// occursAfter reports whether w occurs in s where ok accepts the text
// before it.
func occursAfter(s, w string, ok func(before string) bool) bool {
	for k := 0; ; {
		i := strings.Index(s[k:], w)
		if i < 0 {
			return false
		}
		if ok(s[:k+i]) {
			return true
		}
		k += i + len(w)
	}
}

// relativeYears returns the offsets of the relative year words in s.
func relativeYears(s string) []int {
	var out []int
	add := func(off int) {
		if !slices.Contains(out, off) {
			out = append(out, off)
		}
	}
	for _, w := range relativeZH {
		if occursAfter(s, w.word, func(before string) bool {
			r, _ := utf8.DecodeLastRuneInString(before)
			return w.word != "前年" || !strings.ContainsRune("目提以此之当从", r) // 目前年, 提前年
		}) {
			add(w.off)
		}
	}
	if asksFiveYears(s) {
		add(-1) // the five years up to last year: a review's
	}
	lower := " " + strings.Join(englishWords(strings.ToLower(s)), " ") + " "
	for _, w := range relativeEN {
		// "the last year of the 13th Five-Year Plan" is a plan's year
		if strings.Contains(lower, " "+w.word+" ") && !strings.Contains(lower, " "+w.word+" of ") {
			add(w.off)
		}
	}
	return out
}

// ResolveYears reads q's relative years (今年, "last year") and two-digit
// years (18年, '18) with thisYear as the current year: the year of the
// report asked about. The engine passes the newest report year of its
// corpus; thisYear 0 leaves them unread.
//
//   - A relative year is thisYear plus its offset. When the question names
//     one year and a report ("2019年政府工作报告中去年…"), that year is
//     the report's and the relative years are read from it instead: the
//     question then asks about them, not about the report's year. q.ThisYear
//     records the year "this year" was read as, for the answer to say.
//   - A two-digit year is the latest year ending in those digits that is
//     not after thisYear+1 (a report sets the next year's targets only as
//     "明年"), unless that year is before hanzi.MinYear: with 2025 the
//     newest report, 18 is 2018, 26 is 2026, 98 is 1998 and 49 is 1949,
//     but 30 is 2030, a year no report is about yet, not 1930, so that
//     "30年" is never answered with another year's figure. The price:
//     "改革开放40年" asks about 2040 and is not found.
func ResolveYears(q Query, thisYear int) Query {
	if thisYear == 0 || len(q.RelativeYears) == 0 && len(q.ShortYears) == 0 {
		return q
	}
	years := slices.Clone(q.Years)
	for _, yy := range q.ShortYears {
		y := 2000 + yy
		if y > thisYear+1 && hanzi.ValidYear(y-100) {
			y -= 100
		}
		if hanzi.ValidYear(y) && !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	if len(q.RelativeYears) > 0 {
		ref := thisYear
		if len(q.Years) == 1 && ContainsAny(strings.ToLower(q.Text), []string{"报告", "report"}) {
			ref = q.Years[0]
			years = slices.DeleteFunc(years, func(y int) bool { return y == ref })
		}
		for _, off := range q.RelativeYears {
			if y := ref + off; hanzi.ValidYear(y) && !slices.Contains(years, y) {
				years = append(years, y)
			}
		}
		q.ThisYear = ref
	}
	q.Years = years
	return q
}
