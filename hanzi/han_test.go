package hanzi

import (
	"testing"
	"unicode"
)

func TestIsHan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    rune
		want bool
	}{
		{'中', true},
		{'一', true},       // U+4E00, first of the main block
		{'\u9FFF', true},  // last of the main block
		{'㐀', true},       // U+3400, extension A
		{'䶿', true},       // U+4DBF, last of extension A
		{'𠀀', true},       // U+20000, extension B
		{'𪚥', true},       // extension B
		{'〇', false},      // ideographic zero: a digit in 二〇一八
		{'々', false},      // iteration mark
		{'⺀', false},      // radical
		{'⼀', false},      // Kangxi radical
		{'\uF900', false}, // 豈, compatibility ideograph
		{'〡', false},      // Hangzhou numeral
		{'。', false},
		{'，', false},
		{'Ａ', false},
		{'１', false},
		{'a', false},
		{'あ', false},
		{'한', false},
		{0, false},
		{unicode.MaxRune, false},
		{-1, false},
	}
	for _, tt := range tests {
		if got := IsHan(tt.r); got != tt.want {
			t.Errorf("IsHan(%q %U) = %v, want %v", tt.r, tt.r, got, tt.want)
		}
	}
}

// TestIsHanWithinUnicodeHan checks that every rune IsHan accepts is in
// unicode.Han.
func TestIsHanWithinUnicodeHan(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsHan(r) && !unicode.Is(unicode.Han, r) {
			t.Fatalf("IsHan(%U) = true, but it is not in unicode.Han", r)
		}
	}
}

func TestHasHan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want bool
	}{
		{"2018年", true},
		{"GDP增长", true},
		{"二〇一八", true},
		{"〇〇", false},
		{"GDP 5.5%", false},
		{"。，！", false},
		{"", false},
		{"\xff\xfe", false},
	}
	for _, tt := range tests {
		if got := HasHan(tt.s); got != tt.want {
			t.Errorf("HasHan(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
