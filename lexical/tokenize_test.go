package lexical

import (
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"新增就业3.4万人", []string{"新增", "增就", "就业", "3.4", "万人"}},
		{"2018年", []string{"2018", "年"}},
		{"What was Wuqing's 2018 employment target?", []string{"what", "was", "wuqing", "s", "2018", "employment", "target"}},
		{"34,000 jobs", []string{"34000", "jobs"}},
		{"京", []string{"京"}},
		{"“京津之肾”", []string{"京津", "津之", "之肾"}},
		{"", nil},
		{"，。!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Terms(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzTerms(f *testing.F) {
	f.Add("新增就业3.4万人,城镇登记失业率控制在3.5%以内")
	f.Add("GDP grew 2.5% in 2017")
	f.Add("\xff\xfe中")
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range Terms(s) {
			if term == "" {
				t.Fatalf("empty term from %q", s)
			}
		}
	})
}

func TestIndexTerms(t *testing.T) {
	t.Parallel()
	got := AppendIndexTerms(nil, "村,新增就业")
	want := []string{"村", "新增", "增就", "就业", "新", "增", "就", "业"}
	if !slices.Equal(got, want) {
		t.Errorf("appendIndexTerms = %q, want %q", got, want)
	}
}
