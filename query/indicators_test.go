package query

import (
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

func TestIndicatorsMeasureQualifiers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q          string
		ids        []string
		measure    string
		qualifiers []string
	}{
		{"浙江今年GDP目标增速是多少？", []string{"gdp"}, MeasureGrowth, nil},
		{"2016年地方财政赤字目标是多少?", []string{"fiscal_deficit"}, "", []string{"地方"}},
		{"2009年报告中去年新增就业多少?", []string{"new_urban_jobs"}, "", nil},
		{"请问四川今年GDP增长预期目标是多少？", []string{"gdp"}, MeasureGrowth, nil},
		{"福建去年城镇新增就业多少人？", []string{"new_urban_jobs"}, MeasureLevel, nil},
		{"What was Hunan's GDP in 2025?", []string{"gdp"}, "", nil},
		{"How big was Jiangxi's GDP in 2025?", []string{"gdp"}, MeasureLevel, nil},
		{"What is Beijing's 2026 target for new urban jobs?", []string{"new_urban_jobs"}, "", nil},
	}
	for _, tt := range tests {
		q := Analyze(tt.q, nil, nil)
		if got := q.IndicatorIDs(); !slices.Equal(got, tt.ids) || q.Measure != tt.measure || !slices.Equal(q.Qualifiers, tt.qualifiers) {
			t.Errorf("Analyze(%q): indicators %v measure %q qualifiers %q; want %v %q %q", tt.q, got, q.Measure, q.Qualifiers, tt.ids, tt.measure, tt.qualifiers)
		}
	}
}

// TestTargetWithAuxiliaryDid: "did" only carries an English question; the
// target it names is what it asks about.
func TestTargetWithAuxiliaryDid(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]corpus.PeriodKind{
		"How did the GDP growth target change after 2012?": corpus.PeriodTarget,
		"How many new urban jobs did Hunan add in 2024?":   corpus.PeriodActual,
		"Did Hunan meet its 2024 GDP growth target?":       corpus.PeriodUnknown,
	} {
		if got := Analyze(q, nil, nil).Kind; got != want {
			t.Errorf("Analyze(%q).Kind = %q, want %q", q, got, want)
		}
	}
}
