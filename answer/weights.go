package answer

import (
	"slices"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/query"
)

// PeriodWeight is the factor applied to a passage's score for the period it
// talks about. A question naming a year favours passages about that year
// and disfavours passages about other known years (passages whose year is
// unknown sit in between); a question about targets favours target sections
// and one about results favours review sections.
func PeriodWeight(q query.Query, p corpus.Period) float64 {
	w := 1.0
	if len(q.Years) > 0 {
		switch {
		case p.Year != 0 && slices.Contains(q.Years, p.Year):
			w = 1.5
		case p.Year == 0:
			w = 0.85
		default:
			w = 0.5
		}
	}
	if q.Kind != corpus.PeriodUnknown && p.Kind != corpus.PeriodUnknown {
		if p.Kind == q.Kind {
			w *= 1.15
		} else {
			w *= 0.9
		}
	} else if q.Kind == corpus.PeriodUnknown && len(q.Years) > 0 && p.Kind == corpus.PeriodActual {
		// A dated question with no intent word ("2018年生产总值增长多少?")
		// asks what happened: that year's results, reviewed in the next
		// report, come before its target when both are there.
		w *= 1.1
	}
	return w
}
