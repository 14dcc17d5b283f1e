package answer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// TestFactsGivenOfYears checks that when the facts of the years asked fill
// FactsGiven's list, it is the list FactsGiven makes from all the facts, in
// random sets of facts of several years, kinds and passages.
func TestFactsGivenOfYears(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(12, 13))
	kinds := []fact.Kind{fact.KindTarget, fact.KindResult, fact.KindUnknown}
	text := "地区生产总值增长6.5%左右"
	complete := 0
	for i := range 2000 {
		q := query.Query{Years: []int{2016}, Kind: []corpus.PeriodKind{corpus.PeriodTarget, corpus.PeriodActual, corpus.PeriodUnknown}[r.IntN(3)]}
		if r.IntN(4) == 0 {
			q.Years = append(q.Years, 2018)
		}
		var all, near []index.FactHit
		for range r.IntN(12) {
			c := index.FactHit{
				Fact:   fact.Fact{Indicator: "gdp", Year: 2014 + r.IntN(6), Kind: kinds[r.IntN(len(kinds))], Start: 0, End: len(text)},
				Report: corpus.Report{ID: "r", Year: 2017},
			}
			c.Passage.ID, c.Passage.Text = fmt.Sprint("p", r.IntN(6)), text
			all = append(all, c)
			if slices.Contains(q.Years, c.Fact.Year) {
				near = append(near, c)
			}
		}
		if len(near) == 0 {
			continue
		}
		given, ok := FactsGivenOfYears(q, near)
		if !ok {
			continue
		}
		complete++
		if want := FactsGiven(q, all, nil); !slices.EqualFunc(given, want, func(a, b index.FactHit) bool {
			return a.Passage.ID == b.Passage.ID && a.Fact == b.Fact
		}) {
			t.Fatalf("case %d, %+v: of the years asked %v, of all %v", i, q, given, want)
		}
		if OnlyOtherYears(q, all, nil) {
			t.Fatalf("case %d: OnlyOtherYears with facts of the years asked", i)
		}
	}
	if complete < 100 {
		t.Fatalf("only %d cases filled the list", complete)
	}
}
