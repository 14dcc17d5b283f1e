package hanzi

import (
	"math"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		// Heading numbers.
		{"一", 1, true},
		{"九", 9, true},
		{"十", 10, true},
		{"十二", 12, true},
		{"二十", 20, true},
		{"一十二", 12, true},
		{"九十九", 99, true},
		// Figures.
		{"三十四万", 340000, true},
		{"一百二十", 120, true},
		{"一百零五", 105, true},
		{"一千零五", 1005, true},
		{"一百二十万", 1200000, true},
		{"五点五", 5.5, true},
		{"三点五", 3.5, true},
		{"零点五", 0.5, true},
		{"三点一四", 3.14, true},
		{"三点两", 3.2, true},
		{"一万二千", 12000, true},
		{"一亿二千万", 120000000, true},
		{"三万亿", 3e12, true},
		{"两千", 2000, true},
		{"两", 2, true},
		{"零", 0, true},
		{"〇", 0, true},
		// Lenient readings, as rag's figures have always had them.
		{"十十", 20, true},
		{"一百十", 110, true},
		{"一〇", 0, true},
		{"一亿亿", 1e16, true},
		// Not numbers.
		{"", 0, false},
		{"十三五", 0, false},
		{"三五", 0, false},
		{"二〇一八", 0, false},
		{"万", 0, false},
		{"亿万", 0, false},
		{"千", 0, false},
		{"百", 0, false},
		{"千方百计", 0, false},
		{"点五", 0, false},
		{"三点", 0, false},
		{"一点五十", 0, false},
		{"一点五点", 0, false},
		{"一点五x", 0, false},
		{"12", 0, false},
		{"十二个", 0, false},
		{"壹", 0, false},
		{strings.Repeat("亿", 3), 0, false},
		{"一" + strings.Repeat("亿", 38), 1e304, true},
		{"一" + strings.Repeat("亿", 39), 0, false}, // beyond float64
	}
	for _, tt := range tests {
		got, ok := ParseNumber(tt.in)
		if ok != tt.ok || ok && math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// ragAlphabet is what rag's chineseFigure pattern lets through to its
// parseChineseNumber: ParseNumber must read every non-empty run of it the
// same way.
const ragAlphabet = "零〇一二两三四五六七八九十百千万亿点"

// TestParseNumberMatchesRag compares ParseNumber with rag's parser on every
// string of up to four runes of ragAlphabet.
func TestParseNumberMatchesRag(t *testing.T) {
	t.Parallel()
	alpha := []rune(ragAlphabet)
	n := 0
	var walk func(prefix []rune)
	walk = func(prefix []rune) {
		if len(prefix) > 0 {
			n++
			checkMatchesRag(t, string(prefix))
		}
		if len(prefix) == 4 {
			return
		}
		for _, r := range alpha {
			walk(append(prefix, r))
		}
	}
	walk(nil)
	if n < 80000 {
		t.Fatalf("checked %d strings", n)
	}
}

func checkMatchesRag(t *testing.T, s string) {
	t.Helper()
	got, ok := ParseNumber(s)
	want, wantOK := ragParseChineseNumber(s)
	if math.IsInf(want, 0) {
		want, wantOK = 0, false // rag's parser gives +Inf; ParseNumber rejects it
	}
	if ok != wantOK || got != want {
		t.Fatalf("ParseNumber(%q) = %v, %v; rag's parser gives %v, %v", s, got, ok, want, wantOK)
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"三十四万", "一百零五", "五点五", "一亿二千万", "三万亿", "十三五", "点五", "一点五十", "", "十二个", "\xff", "一〇", "九千九百九十九万九千九百九十九亿"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if !ok {
			if v != 0 {
				t.Fatalf("ParseNumber(%q) = %v, false: want 0 when not ok", s, v)
			}
		} else if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		if s == "" || strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune(ragAlphabet, r) }) >= 0 {
			if ok && s == "" {
				t.Fatalf("ParseNumber(\"\") = %v, true", v)
			}
			return
		}
		checkMatchesRag(t, s)
	})
}

// ragParseChineseNumber is rag's parseChineseNumber (rag/grounding.go) as it
// was when ParseNumber replaced it, kept to show that ParseNumber reads every
// figure rag finds the same way. It differs from ParseNumber only outside
// ragAlphabet, on "" (0, true), neither of which rag passes to it, and on
// values beyond float64 (+Inf, true), which ParseNumber rejects.
func ragParseChineseNumber(s string) (float64, bool) {
	chineseDigitValue := map[rune]float64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	intPart, frac, hasFrac := strings.Cut(s, "点")
	var total, section, digit float64
	haveDigit := false
	for _, r := range intPart {
		if d, ok := chineseDigitValue[r]; ok {
			if haveDigit && d != 0 && digit != 0 {
				return 0, false
			}
			digit, haveDigit = d, true
			continue
		}
		switch r {
		case '十', '百', '千':
			place := map[rune]float64{'十': 10, '百': 100, '千': 1000}[r]
			if !haveDigit {
				if r != '十' {
					return 0, false
				}
				digit = 1 // 十二 = 12
			}
			section += digit * place
		case '万':
			if section+digit == 0 {
				return 0, false
			}
			total += (section + digit) * 1e4
			section = 0
		case '亿':
			if total+section+digit == 0 {
				return 0, false
			}
			total = (total + section + digit) * 1e8
			section = 0
		default:
			return 0, false
		}
		digit, haveDigit = 0, false
	}
	v := total + section + digit
	if hasFrac {
		if frac == "" || intPart == "" || strings.ContainsAny(frac, "十百千万亿点") {
			return 0, false
		}
		scale := 0.1
		for _, r := range frac {
			v += chineseDigitValue[r] * scale
			scale /= 10
		}
	}
	return v, true
}

func TestParseDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"二〇一八", 2018, true},
		{"二零一八", 2018, true},
		{"一九九七", 1997, true},
		{"九九九九", 9999, true},
		{"〇", 0, true},
		{"", 0, false},
		{"两〇一八", 0, false},
		{"二〇一八年", 0, false},
		{"十三", 0, false},
		{"2018", 0, false},
		{"一二三四五六七八九", 123456789, true},
		{"一二三四五六七八九〇", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseDigits(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseDigits(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
