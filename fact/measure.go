package fact

import (
	"strings"
	"unicode/utf8"
)

// measureAfter reads a change written right after its figure (10%以上增长,
// 两位数下降): only growth and decline words count there.
func measureAfter(s string) (word, measure string, ok bool) {
	r, _ := utf8.DecodeRuneInString(s)
	for _, mw := range measuresByFirst[r] {
		if (mw.measure == MeasureGrowth || mw.measure == MeasureDecline) && strings.HasPrefix(s, mw.word) {
			return mw.word, mw.measure, true
		}
	}
	return "", "", false
}

// measuresByFirst indexes measureWords by their first rune.
var measuresByFirst = func() map[rune][]measureWord {
	m := map[rune][]measureWord{}
	for _, w := range measureWords {
		r, _ := utf8.DecodeRuneInString(w.word)
		m[r] = append(m[r], w)
	}
	return m
}()

// lastMeasure returns the measure word of text[from:to] that ends last
// (the longest of those ending there), or -1. A word inside a longer word
// is not a measure: 增加 of 增加值, 规模 of 规模以上.
func lastMeasure(text string, from, to int) (start int, word, measure string) {
	start = -1
	bestEnd := -1
	for i := from; i < to; {
		r, w := utf8.DecodeRuneInString(text[i:to])
		for _, mw := range measuresByFirst[r] {
			e := i + len(mw.word)
			if e > to || text[i:e] != mw.word {
				continue
			}
			if strings.HasPrefix(text[e:to], "值") {
				continue // 增加值
			}
			if adjacentOnly[mw.word] && strings.TrimSpace(text[e:to]) != "" {
				continue
			}
			if e > bestEnd || e == bestEnd && i < start {
				start, bestEnd, word, measure = i, e, mw.word, mw.measure
			}
		}
		i += w
	}
	return start, word, measure
}
