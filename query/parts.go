package query

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxParts bounds the parts a question is answered in.
const maxParts = 3

// partQuestionZH are the Chinese words that make a clause a question of
// its own; partStartEN are the English words that open a second question
// after ", and" or ";".
var (
	partQuestionZH = []string{"多少", "几", "什么", "哪", "吗", "呢", "如何", "怎样", "是否"}
	partStartEN    = regexp.MustCompile(`(?i)(?:,\s*(?:and|but)\s+|;\s*(?:and\s+)?|\?\s+(?:and\s+)?)(what|how|which|when|who|where|did|does|do|is|are|was|were)\b`)
)

// SplitParts cuts a question that asks two or three things into its parts
// ("广东去年GDP增长了多少？今年的目标定的多少？", "福建25年城镇新增就业完成了多少，26年目标是多少？",
// "How many new urban jobs did Sichuan create in 2025, and what is the
// target for 2026?"). A Chinese question is cut after a question mark
// followed by more text, and at a comma or semicolon when the clauses on
// both sides ask something (多少, 几, 什么, 呢...); an English one before
// a question word after ", and", ";" or a question mark. A question that
// asks one thing comes back whole, as the only part.
func SplitParts(question string) []string {
	q := strings.TrimSpace(question)
	var parts []string
	if detectLang(q) == "zh" {
		parts = splitZH(q)
	} else {
		parts = splitEN(q)
	}
	if len(parts) < 2 || len(parts) > maxParts {
		return []string{q}
	}
	return parts
}

func splitZH(q string) []string {
	var parts []string
	start := 0
	for i, r := range q {
		switch r {
		case '？', '?', '，', ',', '；', ';':
		default:
			continue
		}
		end := i + utf8.RuneLen(r)
		left, right := q[start:end], q[end:]
		if strings.TrimSpace(strings.Trim(right, "？?，,；;。 ")) == "" {
			break
		}
		if r == '？' || r == '?' || (ContainsAny(left, partQuestionZH) && ContainsAny(right, partQuestionZH)) {
			if utf8.RuneCountInString(strings.TrimSpace(left)) >= 2 {
				parts = append(parts, strings.TrimSpace(left))
				start = end
			}
		}
	}
	if rest := strings.TrimSpace(q[start:]); rest != "" {
		parts = append(parts, rest)
	}
	return parts
}

func splitEN(q string) []string {
	var parts []string
	start := 0
	for _, m := range partStartEN.FindAllStringSubmatchIndex(q, -1) {
		left := strings.TrimSpace(strings.TrimRight(q[start:m[0]], ",; "))
		if q[m[0]] == '?' {
			left = strings.TrimSpace(q[start : m[0]+1])
		}
		if len(strings.Fields(left)) < 3 {
			continue
		}
		parts = append(parts, left)
		start = m[2]
	}
	if rest := strings.TrimSpace(q[start:]); rest != "" {
		parts = append(parts, rest)
	}
	return parts
}
