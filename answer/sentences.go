package answer

import "strings"

// Span is a byte range [Start, End) of a string.
type Span struct{ Start, End int }

// SentenceEnds end a sentence; clauseEnds end a clause inside one.
const (
	SentenceEnds = "。！？!?\n"
	ClauseEnds   = "，,、；;：:"
)

// SplitSpans cuts s after every rune in seps; each span includes its
// separator. Empty and whitespace-only spans are dropped.
func SplitSpans(s string, seps string, base int) []Span {
	var out []Span
	start := 0
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			end := i + len(string(r))
			if strings.TrimSpace(s[start:end]) != "" {
				out = append(out, Span{base + start, base + end})
			}
			start = end
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, Span{base + start, base + len(s)})
	}
	return out
}

// TrimPunct removes a trailing clause separator and surrounding space from
// s[sp] for display.
func TrimPunct(s string, sp Span) string {
	t := strings.TrimSpace(s[sp.Start:sp.End])
	for {
		trimmed := strings.TrimRight(t, ClauseEnds+" ")
		if trimmed == t {
			return t
		}
		t = trimmed
	}
}
