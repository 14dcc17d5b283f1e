package rag

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// A figure is a number found in text, with its scale applied: "3.4万" and
// "34,000" are both 34000; "5.5%" is 5.5 with Unit "%"; "0.5个百分点" is
// 0.5 with Unit "pp".
type figure struct {
	Raw   string  // as written
	Digit string  // the numeral alone, as written ("3.4" of "3.4万")
	Value float64 // scaled value
	Unit  string  // "", "%" or "pp"
	// Scaled is set when a scale word (万, 亿, million...) was applied.
	Scaled bool
}

// arabicFigure matches Arabic numerals with an optional scale or percent
// after them. Text is NFKC-normalised first, so full-width digits count.
var arabicFigure = regexp.MustCompile(`(?i)(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千|个百分点|百分点|%|percentage points?|per ?cent|thousand|million|billion|trillion)?`)

// chineseFigure matches runs of Chinese numerals, optionally after 百分之.
var chineseFigure = regexp.MustCompile(`(百分之)?([零〇一二两三四五六七八九十百千万亿点]+)(个百分点)?`)

var scaleOf = map[string]float64{
	"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3,
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// figures returns the numbers in s. Citation markers such as [2] are not
// numbers. Chinese numerals count only when they are unambiguous figures
// (two or more characters with a place value, like 三十四万, or after
// 百分之), so that words like 一是 or 千方百计 are not read as numbers.
func figures(s string) []figure {
	s = norm.NFKC.String(citationMarker.ReplaceAllString(s, " "))
	var out []figure
	for _, m := range arabicFigure.FindAllStringSubmatch(s, -1) {
		digits := strings.ReplaceAll(m[1], ",", "")
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		f := figure{Raw: strings.TrimSpace(m[0]), Digit: m[1], Value: v}
		unit := strings.ToLower(m[2])
		switch {
		case unit == "":
		case unit == "%" || strings.HasPrefix(unit, "per"):
			f.Unit = "%"
		case strings.Contains(unit, "百分点") || strings.HasPrefix(unit, "percentage"):
			f.Unit = "pp"
		default:
			f.Value *= scaleOf[unit]
			f.Scaled = true
		}
		out = append(out, f)
	}
	for _, m := range chineseFigure.FindAllStringSubmatch(s, -1) {
		run := m[2]
		pct := m[1] != ""
		if !pct && (len([]rune(run)) < 2 || !strings.ContainsAny(run, "十百千万亿")) {
			continue
		}
		v, ok := parseChineseNumber(run)
		if !ok {
			continue
		}
		f := figure{Raw: m[0], Digit: run, Value: v}
		switch {
		case pct:
			f.Unit = "%"
		case m[3] != "":
			f.Unit = "pp"
		}
		out = append(out, f)
	}
	return out
}

var chineseDigitValue = map[rune]float64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// parseChineseNumber reads a Chinese numeral such as 三十四万, 一百二十,
// 五点五, 一万二千 or 一亿二千万. It rejects digit sequences without place
// values between them (三五, 十三五), which are names, not numbers.
func parseChineseNumber(s string) (float64, bool) {
	intPart, frac, hasFrac := strings.Cut(s, "点")
	var total, section, digit float64
	haveDigit := false
	for _, r := range intPart {
		if d, ok := chineseDigitValue[r]; ok {
			if haveDigit && d != 0 && digit != 0 {
				return 0, false
			}
			digit, haveDigit = d, true
			continue
		}
		switch r {
		case '十', '百', '千':
			place := map[rune]float64{'十': 10, '百': 100, '千': 1000}[r]
			if !haveDigit {
				if r != '十' {
					return 0, false
				}
				digit = 1 // 十二 = 12
			}
			section += digit * place
		case '万':
			if section+digit == 0 {
				return 0, false
			}
			total += (section + digit) * 1e4
			section = 0
		case '亿':
			if total+section+digit == 0 {
				return 0, false
			}
			total = (total + section + digit) * 1e8
			section = 0
		default:
			return 0, false
		}
		digit, haveDigit = 0, false
	}
	v := total + section + digit
	if hasFrac {
		if frac == "" || intPart == "" || strings.ContainsAny(frac, "十百千万亿点") {
			return 0, false
		}
		scale := 0.1
		for _, r := range frac {
			v += chineseDigitValue[r] * scale
			scale /= 10
		}
	}
	return v, true
}

// matches reports whether the figure a (from an answer) is supported by b
// (from a passage): the same value and unit, or the same numeral when a
// carries no scale of its own ("3.4" of a passage's "3.4万").
func (a figure) matches(b figure) bool {
	if a.Unit != b.Unit {
		return false
	}
	if closeEnough(a.Value, b.Value) {
		return true
	}
	return !a.Scaled && a.Unit == "" && a.Digit == b.Digit
}

func closeEnough(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// citationMarker matches [1], [1, 2], [1][2] style markers (also with
// full-width brackets), capturing the numbers.
var citationMarker = regexp.MustCompile(`[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]`)

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
			joinYears(g.AskedYears, ", "), joinYears(g.CitedYears, ", "), joinYears(g.AskedYears, ", "), notFoundToken))
	}
	return strings.Join(ps, "; ")
}

// checkGrounding checks answer against passages numbered 1..len(sources),
// where sources[i] is the text a figure may come from (passage text plus
// its header: title, year, section).
func checkGrounding(answer string, sources []string) grounding {
	var g grounding
	seen := map[int]bool{}
	bad := map[int]bool{}
	g.Text = citationMarker.ReplaceAllStringFunc(answer, func(m string) string {
		sub := citationMarker.FindStringSubmatch(m)
		var b strings.Builder
		for _, part := range digitRun.FindAllString(sub[1], -1) {
			n, err := strconv.Atoi(part)
			if err != nil || n < 1 || n > len(sources) {
				if !bad[n] {
					bad[n] = true
					g.BadCitations = append(g.BadCitations, n)
				}
				continue
			}
			if !seen[n] {
				seen[n] = true
				g.Cited = append(g.Cited, n)
			}
			fmt.Fprintf(&b, "[%d]", n)
		}
		return b.String()
	})
	g.Text = tidySpaces(g.Text)
	var have []figure
	for _, n := range g.Cited {
		have = append(have, figures(sources[n-1])...)
	}
	for _, f := range figures(g.Text) {
		if !slices.ContainsFunc(have, f.matches) && !slices.Contains(g.Unsupported, f.Raw) {
			g.Unsupported = append(g.Unsupported, f.Raw)
		}
	}
	return g
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
		if yearFits(q, Evidence{Hit: h, Sentence: h.Passage.Text}) {
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
		if kindFits(q, Evidence{Hit: h, Sentence: h.Passage.Text}) {
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

// joinYears writes years separated by sep.
func joinYears(ys []int, sep string) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, sep)
}
