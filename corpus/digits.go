package corpus

import (
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// joinSpacedDigits repairs numbers that text extraction from PDF spread
// out one digit at a time ("1 9 9 7 年粮食产量达到4 9 2 5 0 万吨" in the
// 1998 national report): a run of three or more single digits separated by
// single spaces is joined, and a space between such a run and a Han
// character is dropped ("1997年", "49250万吨"). Ordinary text ("1 2"
// lists, "2018 年" written with one space) is left alone.
func joinSpacedDigits(s string) string {
	if !strings.Contains(s, " ") || !utf8.ValidString(s) {
		return s
	}
	r := []rune(s)
	out := make([]rune, 0, len(r))
	for i := 0; i < len(r); {
		n := spacedRun(r, i)
		if n < 3 {
			out = append(out, r[i])
			i++
			continue
		}
		// r[i], r[i+2], ... r[i+2(n-1)] are the digits; a space between a
		// Han character and the run goes.
		if len(out) >= 2 && out[len(out)-1] == ' ' && hanzi.IsHan(out[len(out)-2]) {
			out = out[:len(out)-1]
		}
		for k := 0; k < n; k++ {
			out = append(out, r[i+2*k])
		}
		i += 2*(n-1) + 1
		if i+1 < len(r) && r[i] == ' ' && hanzi.IsHan(r[i+1]) {
			i++ // the space before 年, 万吨...
		}
	}
	return string(out)
}

// spacedRun counts the digits of a "d d d" run starting at r[i]: single
// ASCII digits separated by single spaces, not touching other digits.
func spacedRun(r []rune, i int) int {
	if !isASCIIDigit(r[i]) || (i > 0 && isASCIIDigit(r[i-1])) {
		return 0
	}
	n := 1
	for j := i; j+2 < len(r) && r[j+1] == ' ' && isASCIIDigit(r[j+2]) && (j+3 >= len(r) || !isASCIIDigit(r[j+3])); j += 2 {
		n++
	}
	if n > 1 && i+2*(n-1)+1 < len(r) && isASCIIDigit(r[i+2*(n-1)+1]) {
		return 0
	}
	return n
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
