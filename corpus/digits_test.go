package corpus

import "testing"

func TestJoinSpacedDigits(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1 9 9 7 年粮食产量达到4 9 2 5 0 万吨，比五年前增加5 0 0 0 万吨", "1997年粮食产量达到49250万吨，比五年前增加5000万吨"},
		{"增长 1 2 . 5 %", "增长 1 2 . 5 %"}, // two digits: left alone
		{"达到 1 0 0 0 亿元", "达到1000亿元"},
		{"2018 年", "2018 年"},
		{"第 1 2 条", "第 1 2 条"},
		{"1 2 3", "123"},
		{"12 3 4", "12 3 4"},
		{"1 2 34", "1 2 34"},
		{"no digits here", "no digits here"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := joinSpacedDigits(tt.in); got != tt.want {
			t.Errorf("joinSpacedDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
