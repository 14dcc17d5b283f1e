package fact

import (
	"math"
	"regexp"
	"strings"
)

// A Figure is a number found in text, with its scale applied: "3.4万" and
// "34,000" are both 34000; "5.5%" is 5.5 with Unit "%"; "0.5个百分点" is
// 0.5 with Unit "pp".
type Figure struct {
	Raw   string  // as written
	Digit string  // the numeral alone, ASCII digits ("3.4" of "3.4万"); Chinese numerals as written
	Value float64 // scaled value
	Unit  string  // "", "%" or "pp"
	// Scaled is set when a scale word (万, 亿, million...) after Arabic
	// digits was applied.
	Scaled bool
}

// citationMarker matches [1], [1, 2], 【3】 style citation markers, which
// are not figures.
var citationMarker = regexp.MustCompile(`[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]`)

// Figures returns the numbers in s, Arabic ones first, then Chinese ones,
// each in text order. Citation markers such as [2] are not numbers.
// Digits may be ASCII or full-width ("５．５％" is 5.5%). English scales
// and percent words count ("3.4 million", "2.5 percent"). Chinese numerals
// count only when they are unambiguous figures (two or more characters
// with a place value, like 三十四万, or after 百分之), so that words like
// 一是 or 千方百计 are not read as numbers. Unlike Extract, Figures keeps
// every number (years, list numbers, numbers in names): it serves the
// check that an answer's numbers all appear in its sources.
func Figures(s string) []Figure {
	if strings.ContainsAny(s, "[【") {
		s = citationMarker.ReplaceAllString(s, " ")
	}
	var arabic, chinese []Figure
	scanNumerals(s, true, func(n numeral) {
		f := Figure{Raw: s[n.start:n.end], Digit: n.digits, Value: n.value, Unit: n.unit, Scaled: n.scaled}
		if n.chinese {
			chinese = append(chinese, f)
		} else {
			arabic = append(arabic, f)
		}
	})
	return append(arabic, chinese...)
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

// CloseEnough reports whether a and b are equal up to a relative error of
// 1e-9: the same figure computed two ways.
func CloseEnough(a, b float64) bool {
	if a == b {
		return true // also infinities: a numeral of 400 digits and a scale
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
