package main

import (
	"fmt"

	"github.com/reportbot/reportbot/cmd/internal/derive"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/eval"
)

// deriveQuestions makes up to n eval questions from the reports, no answer
// written by hand: in a passage whose section has a known period, a figure
// with a unit and the six Han characters before it ("生产总值增长" before
// "6.5%") give "2018年生产总值增长目标是多少?" (a target section) or
// "2017年生产总值增长多少?" (a review), answered by the figure, with the
// phrase and figure as the source. A phrase that stands before more than
// one figure of the same year and period is ambiguous and skipped. The
// questions use the reports' own words, so they measure telling the right
// figure, year and period apart among many similar ones, not paraphrase.
func deriveQuestions(reports []corpus.Report, n int) []eval.Question {
	type cand struct {
		key string
		q   eval.Question
	}
	var cands []cand
	uses := map[string]int{}
	for _, r := range reports {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			if p.Period.Year == 0 || p.Period.Kind == corpus.PeriodUnknown {
				continue
			}
			for _, m := range derive.Metrics(p.Text, 6) {
				if len([]rune(m.Phrase)) < 4 {
					continue
				}
				key := fmt.Sprintf("%d|%s|%s", p.Period.Year, p.Period.Kind, m.Phrase)
				uses[key]++
				cands = append(cands, cand{key: key, q: eval.Question{Lang: "zh", Question: m.Question(p.Period),
					Answer: []string{m.Figure}, Source: m.Phrase + m.Figure}})
			}
		}
	}
	var qs []eval.Question
	for _, c := range cands {
		if uses[c.key] == 1 {
			qs = append(qs, c.q)
		}
	}
	if n > 0 && len(qs) > n {
		thinned := make([]eval.Question, n)
		for i := range n {
			thinned[i] = qs[i*len(qs)/n]
		}
		qs = thinned
	}
	for i := range qs {
		qs[i].ID = fmt.Sprintf("derived-%03d", i+1)
	}
	return qs
}
