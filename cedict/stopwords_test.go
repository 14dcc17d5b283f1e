package cedict

import (
	"slices"
	"testing"
)

func TestIsStopword(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"the", true},
		{"The", true},
		{" an ", true},
		{"how", true},
		{"many", true},
		{"much", true},
		{"What", true},
		{"were", true},
		{"was", true},
		{"in", true},
		{"of", true},
		{"which", true},
		{"should", true},
		{"don't", true},
		{"don’t", true},
		{"employment", false},
		{"village", false},
		{"target", false},
		{"planned", false},
		{"new", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsStopword(tt.word); got != tt.want {
			t.Errorf("IsStopword(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

func TestStopwords(t *testing.T) {
	got := Stopwords()
	if !slices.IsSorted(got) {
		t.Errorf("Stopwords() is not sorted")
	}
	if len(got) < 150 {
		t.Errorf("len(Stopwords()) = %d, want the whole Snowball list (over 150)", len(got))
	}
	for _, w := range got {
		if !IsStopword(w) {
			t.Errorf("IsStopword(%q) = false for a word of Stopwords()", w)
		}
	}
	got[0] = "changed"
	if IsStopword("changed") {
		t.Errorf("Stopwords() shares its slice with IsStopword")
	}
}
