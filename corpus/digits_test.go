package corpus

import "testing"

func TestJoinSpacedDigits(t *testing.T) {
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

func TestFoldWidthDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"１９９７年粮食产量达到４．７５亿吨", "1997年粮食产量达到4.75亿吨"},
		{"比上年增长７．３％，", "比上年增长7.3%，"},
		{"收入合计２７，２０３，３１９元", "收入合计27,203,319元"},
		{"经济，社会．发展％", "经济，社会．发展％"},
		{"第１，２，３条", "第1，2，3条"},
		{"２７，２０３，３１９，０", "27,203,319，0"},
		{"．５与５．", "．5与5．"},
		{"增长8%，其中", "增长8%，其中"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := foldWidthDigits(tt.in); got != tt.want {
			t.Errorf("foldWidthDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
