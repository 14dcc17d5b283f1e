package indicator

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWordByte reports whether c is an ASCII letter or digit.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isLatinLetter reports whether r, not ASCII, continues a Latin word
// (é in café); Chinese characters and punctuation do not.
func isLatinLetter(r rune) bool {
	return r < 0x2E80 && unicode.IsLetter(r)
}

// span is one word of a text: its byte offsets, and whether only spaces,
// hyphens, line breaks or an apostrophe separate it from the word before.
type span struct {
	start, end int
	soft       bool
}

// words splits text into words: runs of ASCII letters and digits, with "&"
// inside letters (r&d) and "." or "," inside digits (pm2.5, 10,000). A word that runs
// into a non-ASCII letter is returned whole, so that it matches nothing.
func words(text string, out []span) []span {
	soft := false
	for i := 0; i < len(text); {
		if isCJKAt(text, i) {
			// U+3000–U+FFFF: CJK, never part of a Latin word nor a soft gap.
			soft = false
			i += 3
			continue
		}
		if !isWordByte(text[i]) {
			i, soft = skipGap(text, i, soft)
			continue
		}
		start := i
		end, latin := wordEnd(text, i)
		if latin {
			i = skipWord(text, end)
			soft = false
			continue
		}
		out = append(out, span{start, end, soft && len(out) > 0})
		i, soft = end, true
	}
	return out
}

// isCJKAt reports whether text[i:] starts with the UTF-8 encoding of a
// rune from U+3000 to U+FFFF (three bytes, the first 0xE3 to 0xEF).
func isCJKAt(text string, i int) bool {
	c := text[i]
	return c >= 0xE3 && c < 0xF0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80
}

// skipGap skips the character at text[i], which is not an ASCII letter or
// digit: a rune between words (with the s of a possessive 's), or a whole
// word with a non-ASCII letter. It returns where the next character starts
// and whether the gap since the last word is still soft (see span).
func skipGap(text string, i int, soft bool) (int, bool) {
	r, size := decodeRune(text, i)
	if isLatinLetter(r) {
		return skipWord(text, i), false
	}
	if isPossessive(text, r, i+size) {
		size++ // the possessive 's
	}
	return i + size, soft && softGap(r)
}

// isPossessive reports whether the apostrophe r, followed by text[j:],
// starts a possessive 's that ends a word.
func isPossessive(text string, r rune, j int) bool {
	return (r == '\'' || r == '’') && j < len(text) && (text[j]|0x20) == 's' &&
		(j+1 == len(text) || !isWordByte(text[j+1]))
}

// wordEnd returns where the ASCII word starting at text[i] ends, and
// whether it runs into a non-ASCII Latin letter there.
func wordEnd(text string, i int) (end int, latin bool) {
	for i < len(text) && continuesWord(text, i) {
		i++
	}
	if i < len(text) && text[i] >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(text[i:])
		return i, isLatinLetter(r)
	}
	return i, false
}

// continuesWord reports whether text[i], inside a word, continues it: an
// ASCII letter or digit, "&" between letters or "." or "," between digits.
func continuesWord(text string, i int) bool {
	c := text[i]
	switch {
	case isWordByte(c):
		return true
	case c == '&':
		return i+1 < len(text) && isLetter(text[i-1]) && isLetter(text[i+1])
	case c == '.' || c == ',':
		return i+1 < len(text) && isDigit(text[i-1]) && isDigit(text[i+1])
	}
	return false
}

// skipWord skips the rest of a word that has a non-ASCII letter.
func skipWord(text string, i int) int {
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !(r < utf8.RuneSelf && isWordByte(byte(r)) || isLatinLetter(r)) {
			break
		}
		i += size
	}
	return i
}

// softGap reports whether r may stand between the words of a name: a
// space, a hyphen, a comma ("agriculture, forestry"), a line break or an
// apostrophe (the possessive "gdp's growth").
func softGap(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '-', ',', '\'', '’', '\u00a0', '‐', '‑':
		return true
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// foldWord lower-cases an ASCII word and takes off a plural ending, so
// that "Jobs" and "job", "intensities" and "intensity" compare equal. It
// is a crude rule, applied alike to the table and to texts.
func foldWord(buf []byte, w string) []byte {
	buf = buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	n := len(buf)
	switch {
	case n > 4 && string(buf[n-3:]) == "ies":
		buf = append(buf[:n-3], 'y')
	case n > 4 && (string(buf[n-4:]) == "sses" || string(buf[n-4:]) == "ches" || string(buf[n-4:]) == "shes"):
		buf = buf[:n-2]
	case n > 3 && string(buf[n-3:]) == "xes":
		buf = buf[:n-2]
	case n > 3 && buf[n-1] == 's' && buf[n-2] != 's' && buf[n-2] != 'u' && buf[n-2] != 'i':
		buf = buf[:n-1]
	}
	return buf
}

// foldForm folds a form of the table for comparison: a Chinese form is
// itself; an English one is its folded words joined by single spaces
// ("Fixed-asset investments" is "fixed asset investment").
func foldForm(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r >= 0x2E80 }) {
		return s
	}
	var ws []string
	var buf []byte
	for _, sp := range words(s, nil) {
		buf = foldWord(buf, s[sp.start:sp.end])
		ws = append(ws, string(buf))
	}
	return strings.Join(ws, " ")
}

// findEN appends the English forms found in text.
func (v *Vocabulary) findEN(text string, cands []candidate) []candidate {
	if !hasASCIILetter(text) {
		return cands
	}
	ws := words(text, nil)
	// Fold every word once, into one buffer: folded[ends[k-1]:ends[k]] is
	// word k.
	n := 0
	for _, w := range ws {
		n += w.end - w.start
	}
	folded := make([]byte, 0, n+1)
	ends := make([]int, len(ws))
	var buf []byte
	for k, w := range ws {
		buf = foldWord(buf, text[w.start:w.end])
		folded = append(folded, buf...)
		ends[k] = len(folded)
	}
	for i := range ws {
		n := v.en
		for j := i; j < len(ws); j++ {
			if j > i && !ws[j].soft {
				break
			}
			start := 0
			if j > 0 {
				start = ends[j-1]
			}
			n = n.next[string(folded[start:ends[j]])]
			if n == nil {
				break
			}
			if n.term != nil {
				cands = append(cands, candidate{ws[i].start, ws[j].end, n.term})
			}
		}
	}
	return cands
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}
