package answer

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/reportbot/reportbot/hanzi"
	"golang.org/x/text/unicode/norm"
)

// A figure is a number found in text, with its scale applied: "3.4万" and
// "34,000" are both 34000; "5.5%" is 5.5 with Unit "%"; "0.5个百分点" is
// 0.5 with Unit "pp".
type Figure struct {
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

// Figures returns the numbers in s. Citation markers such as [2] are not
// numbers. Chinese numerals count only when they are unambiguous figures
// (two or more characters with a place value, like 三十四万, or after
// 百分之), so that words like 一是 or 千方百计 are not read as numbers.
func Figures(s string) []Figure {
	s = norm.NFKC.String(CitationMarker.ReplaceAllString(s, " "))
	var out []Figure
	for _, m := range arabicFigure.FindAllStringSubmatch(s, -1) {
		digits := strings.ReplaceAll(m[1], ",", "")
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		f := Figure{Raw: strings.TrimSpace(m[0]), Digit: m[1], Value: v}
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
		v, ok := hanzi.ParseNumber(run)
		if !ok {
			continue
		}
		f := Figure{Raw: m[0], Digit: run, Value: v}
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

// Matches reports whether the figure a (from an answer) is supported by b
// (from a passage): the same value and unit, or the same numeral when a
// carries no scale of its own ("3.4" of a passage's "3.4万").
func (a Figure) Matches(b Figure) bool {
	if a.Unit != b.Unit {
		return false
	}
	if CloseEnough(a.Value, b.Value) {
		return true
	}
	return !a.Scaled && a.Unit == "" && a.Digit == b.Digit
}

func CloseEnough(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
