package fact

import (
	"fmt"
	"slices"
	"testing"
)

// TestFigures checks the scanner the grounding check uses.
func TestFigures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // value/unit/scaled
	}{
		{"新增就业3.4万人", []string{"34000//true"}},
		{"增长5.5%左右", []string{"5.5/%/false"}},
		{"增长５．５％", []string{"5.5/%/false"}},
		{"２７，２０３亿元", []string{"2.7203e+12//true"}},
		{"下降0.5个百分点", []string{"0.5/pp/false"}},
		{"34,000 new jobs and 2.5 percent growth", []string{"34000//false", "2.5/%/false"}},
		{"1.2万亿元", []string{"1.2e+12//true"}},
		{"4.02万亩", []string{"40200//true"}},
		{"3.4 million, 2 Billion", []string{"3.4e+06//true", "2e+09//true"}},
		{"5千瓦, 3千", []string{"5//false", "3000//true"}},
		{"三十四万人,百分之五,下降三个百分点", []string{"340000//false", "5/%/false"}},
		{"十二个百分点", []string{"12/pp/false"}},
		{"一是加快发展,千方百计,十四五", nil},
		{"见[1][2]和【3】", nil},
		{"2025年", []string{"2025//false"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Figures(tt.in) {
			got = append(got, fmt.Sprintf("%g/%s/%v", f.Value, f.Unit, f.Scaled))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Figures(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// TestFigureMatches checks when an answer's figure is supported.
func TestFigureMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		answer, passage string
		want            bool
	}{
		{"34,000", "3.4万", true},
		{"3.4", "3.4万", true},
		{"3.4万", "3.4", false},
		{"5.5%", "５．５％", true},
		{"5.5", "5.5%", false},
		{"0.5 percentage points", "0.5个百分点", true},
	}
	for _, tt := range tests {
		a, b := Figures(tt.answer), Figures(tt.passage)
		if len(a) != 1 || len(b) != 1 {
			t.Fatalf("figures %v, %v", a, b)
		}
		if got := a[0].Matches(b[0]); got != tt.want {
			t.Errorf("%q.Matches(%q) = %v; want %v", tt.answer, tt.passage, got, tt.want)
		}
	}
}
