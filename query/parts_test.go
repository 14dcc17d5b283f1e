package query

import (
	"slices"
	"testing"
)

func TestSplitParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q    string
		want []string
	}{
		{"广东去年GDP增长了多少？今年的目标定的多少？", []string{"广东去年GDP增长了多少？", "今年的目标定的多少？"}},
		{"福建25年城镇新增就业完成了多少，26年目标是多少？", []string{"福建25年城镇新增就业完成了多少，", "26年目标是多少？"}},
		{"辽宁去年城镇新增就业多少？今年目标呢？", []string{"辽宁去年城镇新增就业多少？", "今年目标呢？"}},
		{"How many new urban jobs did Sichuan create in 2025, and what is the target for 2026?",
			[]string{"How many new urban jobs did Sichuan create in 2025", "what is the target for 2026?"}},
		{"What was the grain output in 2025? And what is the target for 2026?",
			[]string{"What was the grain output in 2025?", "what is the target for 2026?"}},
		// One question: asked whole.
		{"江西今年GDP目标增速是多少？", []string{"江西今年GDP目标增速是多少？"}},
		{"2018年，新增就业多少人？", []string{"2018年，新增就业多少人？"}},
		{"What is the target for new urban jobs, and for unemployment?", []string{"What is the target for new urban jobs, and for unemployment?"}},
		{"海南去年CPI是涨还是跌，幅度多少？", []string{"海南去年CPI是涨还是跌，幅度多少？"}},
		{"多少？？", []string{"多少？？"}},
	}
	for _, tt := range tests {
		if got := SplitParts(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("SplitParts(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func FuzzSplitParts(f *testing.F) {
	f.Add("广东去年GDP增长了多少？今年的目标定的多少？")
	f.Add("How many jobs in 2025, and what is the target for 2026?")
	f.Fuzz(func(t *testing.T, q string) {
		parts := SplitParts(q)
		if len(parts) == 0 || len(parts) > maxParts {
			t.Fatalf("SplitParts(%q) = %d parts", q, len(parts))
		}
	})
}
