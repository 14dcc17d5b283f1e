package indicator

import (
	"slices"
	"testing"
)

func TestFindSkeleton(t *testing.T) {
	t.Parallel()
	v := Default()
	tests := []struct {
		text string
		want []string // "id" or "id:implies"
	}{
		{"全年国内生产总值增长5%", []string{"gdp"}},
		{"经济增长5%左右", []string{"gdp:growth"}},
		{"农村居民人均可支配收入增长6%", []string{"income_rural"}},
		{"GDP grew 5%; GDP's growth", []string{"gdp", "gdp:growth"}},
		{"New urban jobs", []string{"new_urban_jobs"}},
		{"举办中国国际进口博览会", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range v.Find(tt.text) {
			s := m.ID
			if m.Implies != "" {
				s += ":" + m.Implies
			}
			got = append(got, s)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
