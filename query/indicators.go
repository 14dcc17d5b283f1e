package query

import (
	"slices"
	"strings"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/lexical"
)

// Measures a question can ask for (Query.Measure): the names of the
// measures of package fact, which this package does not import.
const (
	MeasureGrowth  = "growth"  // a rate of change: 增速, 增长多少, "how fast", "growth"
	MeasureDecline = "decline" // a fall: 下降, 降低, "fall", "cut"
	MeasureLevel   = "level"   // the amount itself: 总量, 规模, "how big", "total", "in yuan"
)

// Words that say which measure a question asks for. They describe how
// reports and staff ask about any indicator, not any one question.
var (
	growthWordsZH  = []string{"增速", "增幅", "涨幅", "增长率", "增长了多少", "增长多少", "增长目标", "增长预期", "增长", "涨了多少", "涨多少", "提高多少", "上涨", "涨"}
	declineWordsZH = []string{"下降", "降低", "降幅", "减少", "跌"}
	levelWordsZH   = []string{"总量", "规模", "总额", "多少亿", "多少万亿", "多少万", "多少元", "多少吨", "多少斤", "多少人", "多少个", "多少家", "达到多少", "是多少亿"}
	growthWordsEN  = []string{"growth", "grow", "grew", "growing", "increase", "increased", "rise", "rose", "risen", "how fast", "rate of increase", "expand", "expanded"}
	declineWordsEN = []string{"fall", "fell", "decline", "declined", "decrease", "decreased", "drop", "dropped", "cut", "reduce", "reduced", "reduction"}
	levelWordsEN   = []string{"how big", "how large", "how many", "total", "size", "in yuan", "in tonnes", "in tons", "amount", "volume", "collect", "collected", "create", "created", "add", "added"}
)

// findIndicators sets q.Indicators and q.Measure from the question text
// (simplified, years already folded to digits).
func findIndicators(q *Query, text string, v *indicator.Vocabulary) {
	if v == nil {
		return
	}
	q.Indicators = v.Find(text)
	lower := strings.ToLower(text)
	var growth, decline, level bool
	if q.Lang == "zh" {
		// Words inside an indicator's name (下降 in 单位GDP能耗下降) are
		// not the question's measure.
		rest := lower
		for i := len(q.Indicators) - 1; i >= 0; i-- {
			m := q.Indicators[i]
			rest = rest[:m.Start] + " " + rest[m.End:]
		}
		growth, decline, level = ContainsAny(rest, growthWordsZH), ContainsAny(rest, declineWordsZH), ContainsAny(rest, levelWordsZH)
	} else {
		words := " " + strings.Join(englishWords(lower), " ") + " "
		growth = ContainsAny(words, padWords(growthWordsEN))
		decline = ContainsAny(words, padWords(declineWordsEN))
		level = ContainsAny(words, padWords(levelWordsEN))
	}
	for _, m := range q.Indicators {
		if m.Implies == indicator.Growth {
			growth = true
		}
	}
	if q.Lang == "zh" {
		q.Qualifiers = qualifiers(text, q)
	}
	switch {
	case growth && !decline:
		q.Measure = MeasureGrowth
	case decline && !growth:
		q.Measure = MeasureDecline
	case level:
		q.Measure = MeasureLevel
	}
}

// IndicatorIDs are the vocabulary IDs of the indicators q names, once each,
// in the order named.
func (q Query) IndicatorIDs() []string {
	var ids []string
	for _, m := range q.Indicators {
		dup := false
		for _, id := range ids {
			dup = dup || id == m.ID
		}
		if !dup {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// maxIndicatorAlts bounds the Chinese forms an indicator named in a
// question is searched by (its name and the aliases most frequent in the
// corpus): every alternative adds to the keyword score, so a long alias
// list would let the indicator outweigh the rest of the question. Chosen on
// the dev, national and provincial sets together.
const maxIndicatorAlts = 4

// indicatorAlternatives are the Chinese forms of indicator id to search
// for: the form the question wrote (when Chinese), the canonical name and
// the aliases, those the corpus holds first, most frequent first, at most
// maxIndicatorAlts.
func indicatorAlternatives(v *indicator.Vocabulary, id, written string, lex *lexical.Index) []scoredWord {
	in, ok := v.Get(id)
	if !ok {
		return nil
	}
	var forms []string
	for _, f := range append([]string{written, in.Name}, in.Aliases...) {
		if f != "" && hasHan(f) && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	if lex != nil {
		// A form counts only when the corpus holds all of its terms: a
		// Latin word reports do not use ("GDP") is not searched.
		freq := func(f string) int {
			n, share := wordDocFreq(lex, f)
			if share < 1 {
				return 0
			}
			return n
		}
		// The written form stays first; the others by frequency.
		rest := forms
		if len(forms) > 0 && forms[0] == written {
			rest = forms[1:]
		}
		slices.SortStableFunc(rest, func(a, b string) int { return freq(b) - freq(a) })
		forms = slices.DeleteFunc(forms, func(f string) bool { return freq(f) == 0 })
	}
	var out []scoredWord
	for _, f := range forms[:min(len(forms), maxIndicatorAlts)] {
		out = append(out, scoredWord{word: f, weight: 1})
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if hanzi.IsHanScript(r) {
			return true
		}
	}
	return false
}

// blankSpans replaces the bytes of the matches' spans in s with spaces.
func blankSpans(s string, ms []indicator.Match) string {
	b := []byte(s)
	for _, m := range ms {
		for i := m.Start; i < m.End && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// indicatorConcepts are the terms of the indicators a Chinese question
// names, one concept (Group) each from group on, with the form written and
// the indicator's other names as alternatives.
func indicatorConcepts(question string, inds []indicator.Match, group int, lex *lexical.Index) ([]lexical.WeightedTerm, map[string][]string) {
	var out []lexical.WeightedTerm
	var expansions map[string][]string
	for _, m := range inds {
		written := question[m.Start:m.End]
		alts := indicatorAlternatives(indicator.Default(), m.ID, written, lex)
		// The concept weighs as much as the written words' terms would
		// as concepts of their own.
		scale := float64(max(1, len(queryTermsOf(written))))
		for a, alt := range alts {
			for _, t := range queryTermsOf(alt.word) {
				out = append(out, lexical.WeightedTerm{Term: t, Weight: 1, Group: group, Alt: a, Scale: scale})
			}
			if alt.word != written {
				if expansions == nil {
					expansions = map[string][]string{}
				}
				k := strings.ToLower(written)
				expansions[k] = append(expansions[k], alt.word)
			}
		}
		group++
	}
	return out, expansions
}

// frameWords are words before an indicator that do not narrow it: the
// report itself (报告中), verbs that take the indicator as their object
// (实现, 完成...), the report's own place in the first person (我省,
// 全市...), relative years and the year suffix. Question words, period words and place names are set
// aside too (questionStop, TargetWordsZH, ActualWordsZH, q.Places).
var frameWords = []string{"报告中", "报告里", "报告", "实现", "完成", "达到", "保持", "确保", "力争", "推动", "促进", "我国", "我省", "我市", "我区", "我县", "全国", "全省", "全市", "全区", "全县", "本省", "本市", "今年", "去年", "明年", "前年", "上年", "本年", "年"}

// maxQualifierRunes bounds a qualifier: the last runes of the words before
// the indicator (地方, 中央, 城镇).
const maxQualifierRunes = 3

// qualifiers returns the narrowing words right before each indicator the
// question names (see Query.Qualifiers).
func qualifiers(text string, q *Query) []string {
	var out []string
	for _, m := range q.Indicators {
		run := []rune(text[:m.Start])
		i := len(run)
		for i > 0 && hanzi.IsHanScript(run[i-1]) {
			i--
		}
		before := string(run[i:])
		for _, p := range q.Places {
			for _, n := range append([]string{p.Name}, p.Short...) {
				before = strings.ReplaceAll(before, n, " ")
			}
		}
		// Longer words first: 实现了 before the 了 of questionStop.
		for _, list := range [][]string{TargetWordsZH, ActualWordsZH, frameWords, questionStop} {
			for _, w := range list {
				before = strings.ReplaceAll(before, w, " ")
			}
		}
		fields := strings.Fields(before)
		if len(fields) == 0 {
			continue
		}
		last := []rune(fields[len(fields)-1])
		if len(last) < 2 {
			continue // one character is not a word
		}
		out = append(out, string(last[max(0, len(last)-maxQualifierRunes):]))
	}
	return out
}
