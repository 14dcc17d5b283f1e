// Package derive finds the figures of report text that questions can be
// derived from without writing answers by hand: a number with a unit and
// the Han words just before it. reportbot's `eval --derive` and the
// latency questions of cmd/reportbench are both made from them.
package derive

import (
	"fmt"
	"regexp"

	"github.com/reportbot/reportbot/corpus"
)

// metricRe is a figure with a unit and the Han characters before it.
var metricRe = regexp.MustCompile(`(\p{Han}{2,10})([0-9]+(?:\.[0-9]+)?)(万亿元|亿元|万元|万人|万户|万套|万吨|万公里|公里|个百分点|%|％)`)

// Metric is a figure in a report and the words just before it.
type Metric struct {
	Phrase string // the last Han characters before the figure: "生产总值增长"
	Figure string // number and unit: "6.5%", "1100万人"
}

// Metrics finds the figures with units in text, in order, each with at
// most maxPhrase Han characters before it.
func Metrics(text string, maxPhrase int) []Metric {
	var out []Metric
	for _, m := range metricRe.FindAllStringSubmatch(text, -1) {
		phrase := []rune(m[1])
		if len(phrase) > maxPhrase {
			phrase = phrase[len(phrase)-maxPhrase:]
		}
		out = append(out, Metric{Phrase: string(phrase), Figure: m[2] + m[3]})
	}
	return out
}

// Question asks for m as it appears in a section of period: a target
// ("2018年生产总值增长目标是多少?"), or a result ("2017年生产总值增长多少?").
func (m Metric) Question(period corpus.Period) string {
	if period.Kind == corpus.PeriodTarget {
		return fmt.Sprintf("%d年%s目标是多少?", period.Year, m.Phrase)
	}
	return fmt.Sprintf("%d年%s多少?", period.Year, m.Phrase)
}
