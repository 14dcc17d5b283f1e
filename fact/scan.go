package fact

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// A numeral is one number found by the scanner: Arabic digits (ASCII or
// full-width, with thousands separators and a decimal part) or a Chinese
// numeral, with the scale and the percent or percentage-point sign that
// follow it. Units and qualifiers are read by Extract.
type numeral struct {
	start, end int     // byte span: numeral, scale and %/个百分点
	digits     string  // the numeral alone, ASCII digits ("3.4" of "3.4万")
	value      float64 // scale applied
	unit       string  // "", "%" or "pp"
	scaled     bool    // a scale word (万, 亿, million...) was applied
	mult       float64 // the scale applied, 0 for none
	chinese    bool    // written in Chinese numerals
}

// scales are the Chinese scale words after Arabic digits, longest first.
// 千 is a scale only when no unit starting with 千 (千瓦, 千米, 千克)
// follows; see thousandIsUnit.
var scales = []scale{{"万亿", 12}, {"亿", 8}, {"万", 4}, {"千", 3}}

// A scale is a word that multiplies a numeral by a power of ten.
type scale struct {
	word string
	exp  int
}

// englishScales are the English words that scale a figure in an English
// text (an answer, a question): "3.4 million".
var englishScales = []scale{{"thousand", 3}, {"million", 6}, {"billion", 9}, {"trillion", 12}}

// percentWords mark a percentage or percentage points after a number.
var percentWords = []struct{ word, unit string }{
	{"个百分点", "pp"}, {"百分点", "pp"}, {"%", "%"}, {"％", "%"},
}

// englishPercent are the same in English, matched case-insensitively.
var englishPercent = []struct{ word, unit string }{
	{"percentage points", "pp"}, {"percentage point", "pp"}, {"per cent", "%"}, {"percent", "%"},
}

// isDigitAt reports whether s[i:] starts with an ASCII or full-width digit
// and returns its width in bytes.
func isDigitAt(s string, i int) (int, bool) {
	if i >= len(s) {
		return 0, false
	}
	if c := s[i]; c >= '0' && c <= '9' {
		return 1, true
	}
	// U+FF10..U+FF19 are EF BC 90..99.
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
		return 3, true
	}
	return 0, false
}

// digitRun returns the end of the run of digits starting at i.
func digitRun(s string, i int) int {
	for {
		w, ok := isDigitAt(s, i)
		if !ok {
			return i
		}
		i += w
	}
}

// arabicAt reads an Arabic numeral starting at s[i] (a digit), with
// thousands separators (",", "，" before exactly three digits), a decimal
// part ("." or "．"), and a following scale or percent sign. english also
// reads English scales and percent words after an optional space.
func arabicAt(s string, i int, english bool) numeral {
	j := digitRun(s, i)
	for {
		sep := 0
		switch {
		case strings.HasPrefix(s[j:], ","):
			sep = 1
		case strings.HasPrefix(s[j:], "，"):
			sep = len("，")
		}
		if sep == 0 {
			break
		}
		k := digitRun(s, j+sep)
		if n := countDigits(s[j+sep : k]); n != 3 || k == j+sep {
			break
		}
		j = k
	}
	for _, dot := range []string{".", "．", "·"} { // 5·8％ in older reports
		if strings.HasPrefix(s[j:], dot) {
			if k := digitRun(s, j+len(dot)); k > j+len(dot) {
				j = k
			}
			break
		}
	}
	digits := plainDigits(s[i:j])
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		v = 0
	}
	n := numeral{start: i, end: j, digits: digits, value: v}
	n.readScale(s, english)
	return n
}

// plainDigits returns a numeral as ASCII digits and point, without
// thousands separators: full-width digits are folded (hanzi.FoldWidthDigits),
// "，" and "," dropped, "．" written ".". It copies only when it must.
func plainDigits(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	s = hanzi.FoldWidthDigits(s)
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == ',' || r == '，':
		case r == '．' || r == '·':
			b = append(b, '.')
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		}
	}
	return string(b)
}

// countDigits counts the digits (either width) of s, which holds only
// digits.
func countDigits(s string) int {
	return utf8.RuneCountInString(s)
}

// readScale extends n over the scale or percent sign after it.
func (n *numeral) readScale(s string, english bool) {
	rest := s[n.end:]
	for _, p := range percentWords {
		if strings.HasPrefix(rest, p.word) {
			n.unit, n.end = p.unit, n.end+len(p.word)
			return
		}
	}
	for _, sc := range scales {
		if strings.HasPrefix(rest, sc.word) {
			if sc.word == "千" && thousandIsUnit(rest[len(sc.word):]) {
				break
			}
			n.applyScale(sc.exp)
			n.end += len(sc.word)
			return
		}
	}
	if !english {
		return
	}
	sp := len(rest) - len(strings.TrimLeft(rest, " "))
	if sp > 1 {
		return
	}
	word := rest[sp:]
	for _, p := range englishPercent {
		if hasWordPrefix(word, p.word) {
			n.unit, n.end = p.unit, n.end+sp+len(p.word)
			return
		}
	}
	for _, sc := range englishScales {
		if hasWordPrefix(word, sc.word) {
			n.applyScale(sc.exp)
			n.end += sp + len(sc.word)
			return
		}
	}
}

// applyScale multiplies n by 10^exp, parsing the digits again with the
// exponent so that 4.02万 is exactly 40200, not 40199.99999999999.
func (n *numeral) applyScale(exp int) {
	if v, err := strconv.ParseFloat(n.digits+"e"+strconv.Itoa(exp), 64); err == nil {
		n.value = v
	} else {
		n.value *= math.Pow10(exp)
	}
	n.scaled, n.mult = true, math.Pow10(exp)
}

// hasWordPrefix reports whether s starts with the word w (ASCII, any case)
// not followed by another letter.
func hasWordPrefix(s, w string) bool {
	if len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
		return false
	}
	return len(s) == len(w) || !isASCIILetter(s[len(w)])
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// thousandIsUnit reports whether the 千 before rest starts a unit (千瓦,
// 千米, 千克, 千伏, 千焦) rather than scaling the number.
func thousandIsUnit(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return strings.ContainsRune("瓦米克伏焦卡帕", r)
}

// isChineseNumeral reports whether r can be part of a Chinese numeral.
func isChineseNumeral(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿', '点':
		return true
	}
	return false
}

// hasPlace reports whether a Chinese numeral has a place value or scale.
func hasPlace(run string) bool { return strings.ContainsAny(run, "十百千万亿") }

// chineseAt reads a Chinese numeral at s[i]: a run of numeral characters,
// or 百分之 and a run. It reports false for what is not a number: a run of
// one character or without a place value (一是, 三五, 十四五: words and
// plan names) unless after 百分之, and runs hanzi.ParseNumber rejects
// (千方百计). end is where scanning resumes in either case.
func chineseAt(s string, i int) (n numeral, end int, ok bool) {
	pct := strings.HasPrefix(s[i:], "百分之")
	j := i
	if pct {
		j += len("百分之")
	}
	k := j
	for k < len(s) {
		r, w := utf8.DecodeRuneInString(s[k:])
		if !isChineseNumeral(r) {
			break
		}
		k += w
	}
	run := s[j:k]
	if run == "" {
		// 百分之 with no numeral after it: resume after 百.
		return numeral{}, i + len("百"), false
	}
	if !pct && (utf8.RuneCountInString(run) < 2 || !hasPlace(run)) {
		return numeral{}, k, false
	}
	v, good := hanzi.ParseNumber(run)
	if !good {
		return numeral{}, k, false
	}
	n = numeral{start: i, end: k, digits: run, value: v, chinese: true}
	switch {
	case pct:
		n.unit = "%"
	case strings.HasPrefix(s[k:], "个百分点"):
		n.unit, n.end = "pp", k+len("个百分点")
	}
	return n, n.end, true
}

// scanNumerals calls fn for every numeral of s in order. english also reads
// English scales and percent words ("3.4 million", "2.5 percent").
func scanNumerals(s string, english bool, fn func(numeral)) {
	for i := 0; i < len(s); {
		if _, ok := isDigitAt(s, i); ok {
			n := arabicAt(s, i, english)
			fn(n)
			i = n.end
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if isChineseNumeral(r) {
			n, end, ok := chineseAt(s, i)
			if ok {
				fn(n)
			}
			i = end
			continue
		}
		i += w
	}
}
