package fact

import (
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// TestTableRow reads a target table's row as corpus writes it for DOCX and
// PDF tables (header "指标 | 2025年目标 | 2024年完成"): each figure gets
// the row's indicator and its column's year and kind.
func TestTableRow(t *testing.T) {
	const row = "城镇新增就业 | 2025年目标：3.4万人 | 2024年完成：3.2万人"
	tests := []struct {
		name  string
		c     Context
		value string
		year  int
		kind  Kind
	}{
		{"target column in a tasks section", Context{Year: 2025, Kind: corpus.PeriodTarget, ReportYear: 2025}, "3.4万人", 2025, KindTarget},
		{"result column in a tasks section", Context{Year: 2025, Kind: corpus.PeriodTarget, ReportYear: 2025}, "3.2万人", 2024, KindResult},
		{"result column, no section", Context{ReportYear: 2025}, "3.2万人", 2024, KindResult},
	}
	for _, tt := range tests {
		var found bool
		for _, f := range Extract(row, tt.c) {
			if f.Value != tt.value {
				continue
			}
			found = true
			if f.Indicator != "new_urban_jobs" || f.Year != tt.year || f.Kind != tt.kind {
				t.Errorf("%s: %s is %s %d %s, want new_urban_jobs %d %s", tt.name, f.Value, f.Indicator, f.Year, f.Kind, tt.year, tt.kind)
			}
		}
		if !found {
			t.Errorf("%s: no fact %s in %q", tt.name, tt.value, row)
		}
	}
}
