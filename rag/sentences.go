package rag

import "strings"

// span is a byte range [start, end) of a string.
type span struct{ start, end int }

// sentenceEnds end a sentence; clauseEnds end a clause inside one.
const (
	sentenceEnds = "。！？!?\n"
	clauseEnds   = "，,、；;：:"
)

// splitSpans cuts s after every rune in seps; each span includes its
// separator. Empty and whitespace-only spans are dropped.
func splitSpans(s string, seps string, base int) []span {
	var out []span
	start := 0
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			end := i + len(string(r))
			if strings.TrimSpace(s[start:end]) != "" {
				out = append(out, span{base + start, base + end})
			}
			start = end
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, span{base + start, base + len(s)})
	}
	return out
}

// trimPunct removes a trailing clause separator and surrounding space from
// s[sp] for display.
func trimPunct(s string, sp span) string {
	t := strings.TrimSpace(s[sp.start:sp.end])
	for {
		trimmed := strings.TrimRight(t, clauseEnds+" ")
		if trimmed == t {
			return t
		}
		t = trimmed
	}
}
