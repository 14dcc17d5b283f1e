package eval

import (
	"strings"
	"unicode/utf8"
)

// ContainsAnswer reports whether the answer text holds want as a whole
// figure: want must occur in ans, and where want begins or ends with a
// digit, the occurrence must not be part of a longer number. "8%" is not
// in "18%", "5%" is not in "5.5%", "5" is not in "5.5" nor in "15".
// Both strings are already folded (foldText).
func ContainsAnswer(ans, want string) bool {
	if want == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(want)
	last, _ := utf8.DecodeLastRuneInString(want)
	for off := 0; ; {
		i := strings.Index(ans[off:], want)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(want)
		if (!isDigit(first) || !numberBefore(ans[:i])) && (!isDigit(last) || !numberAfter(ans[end:])) {
			return true
		}
		_, size := utf8.DecodeRuneInString(ans[i:])
		off = i + size
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// numberBefore reports whether s ends in a digit, or in a decimal point or
// thousands comma right after a digit: what comes next would continue that
// number.
func numberBefore(s string) bool {
	r, n := utf8.DecodeLastRuneInString(s)
	if isDigit(r) {
		return true
	}
	if r == '.' || r == ',' {
		p, _ := utf8.DecodeLastRuneInString(s[:len(s)-n])
		return isDigit(p)
	}
	return false
}

// numberAfter reports whether s starts with a digit, or with a decimal
// point or thousands comma followed by a digit.
func numberAfter(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if isDigit(r) {
		return true
	}
	if r == '.' || r == ',' {
		q, _ := utf8.DecodeRuneInString(s[n:])
		return isDigit(q)
	}
	return false
}
