package hanzi

import (
	"strings"
	"testing"
)

func TestFoldWidthDigits(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"１９９７年粮食产量达到４．７５亿吨", "1997年粮食产量达到4.75亿吨"},
		{"比上年增长７．３％，", "比上年增长7.3%，"},
		{"收入合计２７，２０３，３１９元", "收入合计27,203,319元"},
		{"经济，社会．发展％", "经济，社会．发展％"},
		{"第１，２，３条", "第1，2，3条"},
		{"２７，２０３，３１９，０", "27,203,319，0"},
		{"．５与５．", "．5与5．"},
		{"增长8%，其中", "增长8%，其中"},
		{"２０１８年增长6．5％", "2018年增长6.5%"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FoldWidthDigits(tt.in); got != tt.want {
			t.Errorf("FoldWidthDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzFoldWidthDigits checks that folding keeps the rune count, changes
// only full-width digits and the marks beside them, and is idempotent.
func FuzzFoldWidthDigits(f *testing.F) {
	f.Add("１９９７年增长７．３％，收入２７，２０３元")
	f.Add("第１，２条．５")
	f.Fuzz(func(t *testing.T, s string) {
		got := FoldWidthDigits(s)
		if !strings.ContainsFunc(s, isWideDigit) {
			if got != s {
				t.Fatalf("FoldWidthDigits(%q) = %q changed text without full-width digits", s, got)
			}
			return
		}
		in, out := []rune(s), []rune(got)
		if len(in) != len(out) {
			t.Fatalf("FoldWidthDigits(%q) = %q: %d runes, want %d", s, got, len(out), len(in))
		}
		for i := range in {
			if in[i] != out[i] && !strings.ContainsRune("０１２３４５６７８９．，％", in[i]) {
				t.Fatalf("FoldWidthDigits(%q) = %q changed %q", s, got, in[i])
			}
		}
		if again := FoldWidthDigits(got); again != got {
			t.Fatalf("FoldWidthDigits(%q) = %q, then %q: not idempotent", s, got, again)
		}
	})
}
