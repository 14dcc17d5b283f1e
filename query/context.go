package query

import (
	"strings"
	"unicode"

	"github.com/reportbot/reportbot/cedict"
	"github.com/reportbot/reportbot/hanzi"
)

// NeedsContext reports whether q leans on an earlier question so much that,
// asked alone, it names nothing to look for: a follow-up (an opener such as
// 那/"what about", or a closing 呢) whose words, once its years, places,
// question words and period words are set aside, are gone. "2017年呢?",
// "那目标是多少?", "江西呢?", "and 2017?" and "what about Jiangxi?" need
// context; "GDP呢?" and "what about the grain output?" do not. Asked with no
// conversation, such a question is answered with a request to ask it
// whole, not with whatever passage a year alone matches.
func NeedsContext(q Query) bool {
	lower := strings.ToLower(strings.TrimSpace(q.Text))
	opener := false
	for _, o := range followUpOpeners {
		if strings.HasPrefix(lower, o) {
			opener = true
			lower = strings.TrimPrefix(lower, o)
			break
		}
	}
	if !opener && !(q.Lang == "zh" && strings.HasSuffix(strings.TrimRight(lower, "?？ 。.!！"), "呢")) {
		return false
	}
	lower = digitYears(lower)
	for _, p := range q.Places {
		for _, n := range append(append([]string{p.Name}, p.Short...), p.English...) {
			lower = strings.ReplaceAll(lower, strings.ToLower(n), " ")
		}
	}
	if q.Lang == "zh" {
		for _, w := range questionStop {
			lower = strings.ReplaceAll(lower, w, " ")
		}
		for _, w := range append(append([]string{"呢", "年", "今年", "去年", "明年", "前年"}, TargetWordsZH...), ActualWordsZH...) {
			lower = strings.ReplaceAll(lower, w, " ")
		}
		for _, r := range lower {
			if hanzi.IsHanScript(r) || unicode.IsLetter(r) {
				return false
			}
		}
		return true
	}
	for _, w := range englishWords(lower) {
		if cedict.IsStopword(w) || isNumberWord(w) || ContainsAny(" "+w+" ", padWords(targetWordsEN)) || ContainsAny(" "+w+" ", padWords(actualWordsEN)) {
			continue
		}
		switch w {
		case "year", "years", "about":
			continue
		}
		return false
	}
	return true
}
