package fact

import (
	"unicode"
	"unicode/utf8"
)

// A clause is a stretch of text between clause punctuation, trimmed of
// spaces, with the number of the sentence it belongs to.
type clause struct {
	start, end int
	sentence   int
	sentStart  int // where the sentence starts
	sentEnd    int // where the sentence ends
}

// isSentenceBreak reports whether r ends a sentence: full stops, question
// and exclamation marks, semicolons (reports list results one per
// semicolon) and line ends.
func isSentenceBreak(r rune) bool {
	switch r {
	case '。', '！', '？', '；', ';', '!', '?', '\n', '\r':
		return true
	}
	return false
}

// isClauseBreak reports whether r ends a clause: a sentence break, a comma
// or a colon. The enumeration comma 、 does not: it joins the parts of a
// name (装备制造、新材料产业) as often as it separates figures, which
// Extract tells apart by the figures themselves.
func isClauseBreak(r rune) bool {
	switch r {
	case '，', ',', '：', ':':
		return true
	}
	return isSentenceBreak(r)
}

// splitClauses returns the clauses of text in order. A comma or colon
// between digits ("27,203", "27，203", "8:30") is part of a number, not a
// break.
func splitClauses(text string) []clause {
	var out []clause
	start, sentence, sentStart := 0, 0, -1
	emit := func(end int) {
		s, e := start, end
		for s < e {
			r, w := utf8.DecodeRuneInString(text[s:])
			if !unicode.IsSpace(r) {
				break
			}
			s += w
		}
		for e > s {
			r, w := utf8.DecodeLastRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= w
		}
		if e > s {
			if sentStart < 0 {
				sentStart = s
			}
			out = append(out, clause{start: s, end: e, sentence: sentence, sentStart: sentStart})
		}
	}
	for i := 0; i < len(text); {
		// Clause punctuation is ASCII or starts with E3 (。) or EF (，；：！？);
		// other runes are skipped by their length without decoding.
		c := text[i]
		if c >= utf8.RuneSelf && c != 0xE3 && c != 0xEF {
			i += runeLen(c)
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if isClauseBreak(r) && !inNumber(text, r, i, w) {
			emit(i)
			if isSentenceBreak(r) {
				sentence, sentStart = sentence+1, -1
			}
			start = i + w
		}
		i += w
	}
	emit(len(text))
	for i := len(out) - 1; i >= 0; i-- {
		out[i].sentEnd = out[i].end
		if i+1 < len(out) && out[i+1].sentence == out[i].sentence {
			out[i].sentEnd = out[i+1].sentEnd
		}
	}
	return out
}

// inNumber reports whether the punctuation r at text[i:i+w] is part of a
// number: a thousands separator (a comma between a digit and exactly three
// digits) or the colon of a time.
func inNumber(text string, r rune, i, w int) bool {
	if r != ',' && r != '，' && r != ':' {
		return false
	}
	if _, ok := lastDigit(text[:i]); !ok {
		return false
	}
	if r == ':' {
		_, ok := isDigitAt(text, i+w)
		return ok
	}
	k := digitRun(text, i+w)
	return countDigits(text[i+w:k]) == 3
}

// lastDigit reports whether s ends with a digit of either width.
func lastDigit(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if c := s[len(s)-1]; c >= '0' && c <= '9' {
		return 1, true
	}
	if len(s) >= 3 {
		return isDigitAt(s, len(s)-3)
	}
	return 0, false
}

// runeLen returns the length of the UTF-8 sequence that starts with c, 1
// for a byte that cannot start one (decoding then resynchronises).
func runeLen(c byte) int {
	switch {
	case c >= 0xF8:
		return 1
	case c >= 0xF0:
		return 4
	case c >= 0xE0:
		return 3
	case c >= 0xC0:
		return 2
	}
	return 1
}
