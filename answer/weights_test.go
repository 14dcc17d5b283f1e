package answer

import (
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/query"
)

func TestPeriodWeight(t *testing.T) {
	t.Parallel()
	q2018target := query.Query{Years: []int{2018}, Kind: corpus.PeriodTarget}
	target2018 := PeriodWeight(q2018target, corpus.Period{Year: 2018, Kind: corpus.PeriodTarget})
	actual2017 := PeriodWeight(q2018target, corpus.Period{Year: 2017, Kind: corpus.PeriodActual})
	unknown := PeriodWeight(q2018target, corpus.Period{})
	if !(target2018 > unknown && unknown > actual2017) {
		t.Errorf("2018 target question: weights target2018=%v unknown=%v actual2017=%v, want decreasing", target2018, unknown, actual2017)
	}
	q2017 := query.Query{Years: []int{2017}}
	if a, b := PeriodWeight(q2017, corpus.Period{Year: 2017, Kind: corpus.PeriodActual}), PeriodWeight(q2017, corpus.Period{Year: 2018, Kind: corpus.PeriodTarget}); a <= b {
		t.Errorf("2017 question: weight of 2017 actual %v <= 2018 target %v", a, b)
	}
	if w := PeriodWeight(query.Query{}, corpus.Period{Year: 2017}); w != 1 {
		t.Errorf("question without period: weight %v, want 1", w)
	}
	// "2018年生产总值增长多少?" names a year but neither 目标 nor 实际: the
	// year's results (reviewed in the next report) come before its target.
	q2018 := query.Query{Years: []int{2018}}
	if a, b := PeriodWeight(q2018, corpus.Period{Year: 2018, Kind: corpus.PeriodActual}), PeriodWeight(q2018, corpus.Period{Year: 2018, Kind: corpus.PeriodTarget}); a <= b {
		t.Errorf("2018 question without intent: weight of 2018 actual %v <= 2018 target %v", a, b)
	}
	if a, b := PeriodWeight(q2018target, corpus.Period{Year: 2018, Kind: corpus.PeriodActual}), PeriodWeight(q2018target, corpus.Period{Year: 2018, Kind: corpus.PeriodTarget}); a >= b {
		t.Errorf("2018 target question: weight of 2018 actual %v >= 2018 target %v", a, b)
	}
}
