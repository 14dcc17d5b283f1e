// Package safetext makes untrusted text safe to print on a terminal or
// post to a chat: report titles and text from the corpus, a model's reply,
// anything that reaches a user. It removes what could change how other
// text is shown rather than being text itself:
//
//   - terminal escape sequences (ESC [ … CSI, ESC ] … OSC up to BEL or
//     ESC \, the other ESC forms) and the C1 controls U+0080–U+009F, which
//     a terminal may take as the same sequences;
//   - the other C0 controls and DEL, except tab and newline in Text;
//   - the bidirectional embeddings, overrides and isolates U+202A–U+202E
//     and U+2066–U+2069 and the marks U+200E, U+200F and U+061C, which
//     reorder what is shown ("Trojan Source");
//   - in Line, line breaks of every kind and tabs, each becoming one
//     space, so that a single-line field cannot forge a line of its own
//     (a title with "\n[9] fake source").
//
// Invalid UTF-8 becomes U+FFFD. Both functions are idempotent, and return
// s itself when there is nothing to remove.
package safetext

import (
	"strings"
	"unicode/utf8"
)

// Text returns s without escape sequences, controls other than tab and
// newline, and bidirectional controls. "\r\n" becomes "\n"; a lone "\r",
// U+0085, U+2028 and U+2029 become "\n"; vertical tab and form feed become
// a space.
func Text(s string) string { return clean(s, false) }

// Line is Text for a single-line field (a title, a publisher, a URL): line
// breaks and tabs become spaces as well, so that the result has no control
// character at all.
func Line(s string) string { return clean(s, true) }

func clean(s string, line bool) string {
	if isSafe(s, line) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		switch {
		case r == 0x1B: // ESC
			i = skipEscape(s, i+1)
			continue
		case r == 0x9B: // CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9D, r == 0x90, r == 0x98, r == 0x9E, r == 0x9F: // OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue // the "\n" follows
			}
			writeBreak(&b, line)
		case r == '\n', r == 0x85, r == 0x2028, r == 0x2029:
			writeBreak(&b, line)
		case r == '\t':
			if line {
				b.WriteByte(' ')
			} else {
				b.WriteByte('\t')
			}
		case r == '\v', r == '\f':
			b.WriteByte(' ')
		case isControl(r), IsBidi(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func writeBreak(b *strings.Builder, line bool) {
	if line {
		b.WriteByte(' ')
	} else {
		b.WriteByte('\n')
	}
}

// isSafe reports whether clean would return s unchanged: valid UTF-8 with
// nothing to remove or replace.
func isSafe(s string, line bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' || c == '\t':
			if line {
				return false
			}
		case c < 0x20 || c == 0x7F:
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || isControl(r) || IsBidi(r) || r == 0x2028 || r == 0x2029 {
				return false
			}
			i += size - 1
		}
	}
	return true
}

// isControl reports C0 and C1 controls and DEL.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7F && r < 0xA0
}

// IsBidi reports the bidirectional formatting characters that Text and
// Line remove: embeddings and overrides (U+202A–U+202E), isolates
// (U+2066–U+2069) and the marks LRM, RLM and ALM.
func IsBidi(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// skipEscape returns the index after the escape sequence whose ESC ends
// just before i: ESC [ is a CSI, ESC ] and ESC P, X, ^, _ take a string up
// to its terminator, ESC with intermediates (0x20–0x2F) ends at its final
// byte, and ESC followed by anything else (another ESC, a letter of the
// text) is the ESC alone.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']', c == 'P', c == 'X', c == '^', c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2F:
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2F {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7E {
			return j + 1
		}
		return j
	case c >= 0x30 && c <= 0x7E:
		return i + 1
	}
	return i
}

// skipCSI returns the index after the control sequence whose parameters
// start at i: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one
// final byte 0x40–0x7E (not consumed when missing).
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3F {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2F {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7E {
		i++
	}
	return i
}

// skipString returns the index after the control string (OSC, DCS…) that
// starts at i: up to BEL, ESC \ or the C1 ST U+009C. A newline also ends
// it (and is kept), so that a missing terminator cannot swallow the rest
// of a text.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1B && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		case s[i] == '\n':
			return i
		}
		i++
	}
	return i
}
