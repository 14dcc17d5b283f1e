package query

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/lexical"
)

// Turn is one earlier exchange of a conversation, oldest first in
// AskOptions.History.
type Turn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// AskOptions are per-question options for AskWith. The zero value asks a
// stand-alone question without streaming.
type AskOptions struct {
	// History holds earlier turns a follow-up question may refer to; it is
	// cut to the engine's token budget, most recent turns kept.
	History []Turn
	// OnDelta, when set, receives the answer text in pieces as it is
	// produced. Streamed text is provisional: the returned Answer is final
	// (a grounding check may replace what was streamed).
	OnDelta func(delta string)
}

// estimateTokens is a rough token count: one per Han character, one per
// four other characters. It only has to bound prompts, not bill them.
func estimateTokens(s string) int {
	han, other := 0, 0
	for _, r := range s {
		if hanzi.IsHanScript(r) {
			han++
		} else {
			other++
		}
	}
	return han + (other+3)/4
}

// maxTurnAnswerRunes bounds one earlier answer kept in the history.
const maxTurnAnswerRunes = 600

// BoundHistory keeps the most recent turns whose estimated tokens fit in
// budget, oldest first, cutting over-long answers. Empty questions are
// dropped.
func BoundHistory(history []Turn, budget int) []Turn {
	if budget <= 0 {
		budget = 1500
	}
	var kept []Turn
	used := 0
	for i := len(history) - 1; i >= 0; i-- {
		t := history[i]
		q, err := Clean(t.Question)
		if err != nil {
			continue
		}
		t.Question = q
		t.Answer = TruncateRunes(strings.TrimSpace(strings.ToValidUTF8(t.Answer, " ")), maxTurnAnswerRunes)
		cost := estimateTokens(t.Question) + estimateTokens(t.Answer)
		if used+cost > budget {
			break
		}
		used += cost
		kept = append(kept, t)
	}
	for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
		kept[i], kept[j] = kept[j], kept[i]
	}
	return kept
}

// followUpOpeners start questions that lean on the previous turn.
var followUpOpeners = []string{"那", "那么", "还有", "另外", "and ", "what about", "how about", "and what", "what of"}

// IsFollowUp reports whether q is too short or too referential to stand on
// its own: "2017年呢?", "and 2017?", "那目标是多少?".
func IsFollowUp(q Query) bool {
	lower := strings.ToLower(strings.TrimSpace(q.Text))
	for _, o := range followUpOpeners {
		if strings.HasPrefix(lower, o) {
			return true
		}
	}
	if q.Lang == "zh" {
		return strings.HasSuffix(strings.TrimRight(lower, "?？ "), "呢") || utf8.RuneCountInString(lower) <= 8
	}
	return len(strings.Fields(lower)) <= 4
}

var yearMention = regexp.MustCompile(`(19|20)\d\d\s*年?`)

// FollowUp analyses a follow-up together with the previous question: the
// previous question gives the topic, the follow-up's own years, intent and
// answer type win where it states them.
func FollowUp(q Query, previous string, dict Dictionary, lex *lexical.Index) Query {
	prev := previous
	if len(q.Years) > 0 {
		prev = yearMention.ReplaceAllString(prev, " ")
	}
	merged := Analyze(prev+" "+q.Text, dict, lex)
	merged.Text = q.Text
	merged.Lang = q.Lang
	if len(q.Years) > 0 {
		merged.Years = q.Years
	}
	if q.Kind != "" {
		merged.Kind = q.Kind
	} else if merged.Kind != "" {
		merged.KindInherited = true
	}
	if q.Want != (AnswerType{}) {
		merged.Want = q.Want
	}
	return merged
}

// TruncateRunes cuts s to n runes, marking a cut with "…".
func TruncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
