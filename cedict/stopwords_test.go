package cedict

import (
	"strings"
	"testing"
)

func TestIsStopword(t *testing.T) {
	t.Parallel()
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

// TestStopwordList checks the list IsStopword uses: the whole Snowball
// list, written as IsStopword looks words up.
func TestStopwordList(t *testing.T) {
	t.Parallel()
	if len(stopwords) < 150 {
		t.Errorf("%d stop words, want the whole Snowball list (over 150)", len(stopwords))
	}
	for w := range stopwords {
		if w != strings.ToLower(strings.TrimSpace(w)) || strings.Contains(w, "’") {
			t.Errorf("stop word %q is not lower case, trimmed and with ASCII apostrophes", w)
		}
	}
	for _, w := range []string{"can", "will", "shall", "may", "might", "must", "many", "much"} {
		if !IsStopword(w) {
			t.Errorf("IsStopword(%q) = false", w)
		}
	}
}
