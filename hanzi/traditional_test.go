package hanzi

import (
	"testing"
	"unicode/utf8"
)

func TestFoldTraditional(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"廣東去年城鎮新增就業多少人？", "广东去年城镇新增就业多少人？"},
		{"广东去年城镇新增就业多少人？", "广东去年城镇新增就业多少人？"},
		{"2018年國內生產總值增長目標", "2018年国内生产总值增长目标"},
		{"臺灣經濟發展", "台湾经济发展"},
		{"乾淨", "干净"}, // phrase table
		{"乾坤", "乾坤"}, // phrase kept
		{"GDP growth in 2018", "GDP growth in 2018"},
		{"", ""},
		{"\xff後", "\ufffd后"},
	}
	for _, tt := range tests {
		if got := FoldTraditional(tt.in); got != tt.want {
			t.Errorf("FoldTraditional(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldTraditionalKeepsSimplified checks that common simplified text of
// the reports comes back unchanged.
func TestFoldTraditionalKeepsSimplified(t *testing.T) {
	t.Parallel()
	s := "今年发展主要预期目标是：国内生产总值增长5.5%左右；城镇新增就业1100万人以上，城镇调查失业率5.5%以内；居民消费价格涨幅3%左右；" +
		"粮食产量保持在1.3万亿斤以上。十三五时期，着力推进供给侧结构性改革，干部群众干劲十足，发展了台湾同胞的合作。"
	if got := FoldTraditional(s); got != s {
		t.Errorf("FoldTraditional changed simplified text:\n got %q\nwant %q", got, s)
	}
}

func FuzzFoldTraditional(f *testing.F) {
	for _, s := range []string{"廣東去年城鎮", "乾淨", "\xff", "abc", "二〇一八年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FoldTraditional(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("FoldTraditional(%q) = %q: invalid UTF-8", s, got)
		}
	})
}

func BenchmarkFoldTraditional(b *testing.B) {
	traditionalTable()
	for b.Loop() {
		FoldTraditional("廣東去年城鎮新增就業多少人？")
	}
}
