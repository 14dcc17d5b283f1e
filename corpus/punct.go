package corpus

import (
	"strings"
	"unicode/utf8"
)

// isSentenceEnd reports runes that end a sentence: 。！？；and their ASCII
// forms, and the ellipsis.
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '…':
		return true
	}
	return false
}

// isFullStop reports runes that end a sentence in the narrow sense used for
// lead sentences and headings: 。！？ and their ASCII forms.
func isFullStop(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?':
		return true
	}
	return false
}

// isClosing reports closing quotes and brackets, which belong to the sentence
// they close.
func isClosing(r rune) bool {
	switch r {
	case '”', '’', '）', ')', '」', '』', '》', '】', '〉', ']', '"', '\'':
		return true
	}
	return false
}

// isOpening reports opening quotes and brackets.
func isOpening(r rune) bool {
	switch r {
	case '“', '‘', '（', '(', '「', '『', '《', '【', '〈', '[':
		return true
	}
	return false
}

// isContinuation reports runes that cannot start a paragraph: a line that
// starts with one continues the previous line.
func isContinuation(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '！', '？', '%', '％', '…', ',', ';', ':', '!', '?':
		return true
	}
	return isClosing(r) && r != '"' && r != '\''
}

// isClauseBreak reports runes after which a long sentence may be cut.
func isClauseBreak(r rune) bool {
	switch r {
	case '，', '、', '：', ',', ':':
		return true
	}
	return false
}

// hasFullStop reports whether s contains 。！？ or their ASCII forms.
func hasFullStop(s string) bool {
	return strings.IndexFunc(s, isFullStop) >= 0
}

// endsSentence reports whether s ends a sentence or a label: its last rune,
// after closing quotes and brackets, is a sentence end or a colon.
func endsSentence(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case isSentenceEnd(r), r == '：', r == ':':
			return true
		case isClosing(r):
			s = s[:len(s)-size]
		default:
			return false
		}
	}
	return false
}

// endsOpen reports whether s ends with an opening quote or bracket, so the
// next line continues it.
func endsOpen(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isOpening(r)
}

// runeLen is utf8.RuneCountInString.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
