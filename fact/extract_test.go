package fact

import (
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// brief writes a fact as the tables below expect it: year, kind,
// indicator[label], measure(measure word), value, number, unit.
func brief(f Fact) string {
	line := goldenLine("", Fact{Indicator: f.Indicator, Label: f.Label, Measure: f.Measure, MeasureText: f.MeasureText,
		Value: f.Value, Number: f.Number, Upper: f.Upper, Unit: f.Unit, Year: f.Year, Kind: f.Kind})
	return strings.TrimSuffix(line, " | ")
}

var (
	review2025 = Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026}
	plan2026   = Context{Year: 2026, Kind: corpus.PeriodTarget, ReportYear: 2026}
	plan2018   = Context{Year: 2018, Kind: corpus.PeriodTarget, ReportYear: 2018}
	unknown26  = Context{ReportYear: 2026}
)

// TestExtract reads sentences of the national and provincial reports
// (/work/shared/corpora) and the Wuqing reports.
func TestExtract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		c    Context
		want []string
	}{}
	for _, tt := range tests {
		var got []string
		for _, f := range Extract(tt.text, tt.c) {
			got = append(got, brief(f))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Extract(%q) =\n\t%s\nwant\n\t%s", tt.text, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
		}
	}
}
