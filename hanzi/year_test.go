package hanzi

import "testing"

func TestValidYear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		y    int
		want bool
	}{
		{1948, false},
		{1949, true},
		{1954, true},
		{2018, true},
		{2100, true},
		{2101, false},
		{1900, false},
		{1850, false},
		{18, false},
		{0, false},
		{-2018, false},
	}
	for _, tt := range tests {
		if got := ValidYear(tt.y); got != tt.want {
			t.Errorf("ValidYear(%d) = %v, want %v", tt.y, got, tt.want)
		}
	}
}
