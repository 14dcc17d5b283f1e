package lexical

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// Terms splits text into lexical terms: overlapping bigrams for runs of Han
// characters (a lone Han character becomes a unigram), lower-cased words for
// Latin letters and numbers as written ("3.4", "2018"). The result is what the
// lexical index and the answer scorer count; it allocates one string per term.
func Terms(text string) []string {
	return AppendTerms(nil, text)
}

// AppendTerms is Terms appending to dst.
func AppendTerms(dst []string, text string) []string {
	var han []int // byte offsets of the current Han run's runes
	flushHan := func(end int) {
		switch len(han) {
		case 0:
		case 1:
			dst = append(dst, text[han[0]:end])
		default:
			for i := 0; i+1 < len(han); i++ {
				stop := end
				if i+2 < len(han) {
					stop = han[i+2]
				}
				dst = append(dst, text[han[i]:stop])
			}
		}
		han = han[:0]
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case hanzi.IsHanScript(r):
			han = append(han, i)
			i += size
		case r < utf8.RuneSelf && (isASCIILetter(byte(r)) || IsDigit(byte(r))):
			flushHan(i)
			j := asciiWordEnd(text, i)
			word := text[i:j]
			if strings.ContainsRune(word, ',') {
				word = strings.ReplaceAll(word, ",", "")
			}
			dst = append(dst, strings.ToLower(word))
			i = j
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// other scripts and full-width forms: one term per rune run
			flushHan(i)
			j := otherWordEnd(text, i)
			dst = append(dst, strings.ToLower(text[i:j]))
			i = j
		default:
			flushHan(i)
			i += size
		}
	}
	flushHan(len(text))
	return dst
}

// asciiWordEnd is the end of the run of ASCII letters and digits at i,
// keeping decimal points and thousands separators inside numbers.
func asciiWordEnd(text string, i int) int {
	j := i
	for j < len(text) {
		c := text[j]
		if isASCIILetter(c) || IsDigit(c) {
			j++
			continue
		}
		if (c == '.' || c == ',') && j > i && IsDigit(text[j-1]) && j+1 < len(text) && IsDigit(text[j+1]) {
			j++
			continue
		}
		break
	}
	return j
}

// otherWordEnd is the end of the run of non-ASCII, non-Han letters and
// digits (other scripts, full-width forms) at i.
func otherWordEnd(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if hanzi.IsHanScript(r) || r < utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		j += size
	}
	return j
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// AppendIndexTerms is appendTerms plus every Han character of a longer Han
// run on its own, so a single-character query word ("村") finds passages too.
func AppendIndexTerms(dst []string, text string) []string {
	dst = AppendTerms(dst, text)
	prevHan := false
	prevStart := -1
	for i, r := range text {
		han := hanzi.IsHanScript(r)
		if han && prevHan {
			if prevStart >= 0 {
				dst = append(dst, text[prevStart:i])
				prevStart = -1
			}
			dst = append(dst, text[i:i+utf8.RuneLen(r)])
		} else if han {
			prevStart = i // emitted only if a Han neighbour follows
		}
		prevHan = han
	}
	return dst
}
