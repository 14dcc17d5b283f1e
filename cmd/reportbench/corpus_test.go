package main

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// yearRe is the regular expression shiftYears implements.
var yearRe = regexp.MustCompile(`(^|[^0-9.])((?:19|20)[0-9]{2})年`)

// shiftYearsRe is shiftYears by yearRe, the reference.
func shiftYearsRe(s string, shift int) string {
	return yearRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := yearRe.FindStringSubmatch(m)
		y, _ := strconv.Atoi(sub[2])
		return sub[1] + strconv.Itoa(y+shift) + "年"
	})
}

func TestShiftYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"2018年", "2020年"},
		{"在2018年和1998年", "在2020年和2000年"},
		{"2018年2019年", "2020年2019年"}, // the second year's prefix is the first match's 年
		{"2018年，2019年", "2020年，2021年"},
		{"12018年", "12018年"},
		{"1.2018年", "1.2018年"},
		{"a2018年", "a2020年"},
		{"\n2018年", "\n2020年"},
		{"2118年 1899年 2099年", "2118年 1899年 2101年"},
		{"201年 20年 年", "201年 20年 年"},
		{"\xff2018年", "\xff2020年"},
		{"2018-2019年", "2018-2021年"},
	}
	for _, tt := range tests {
		if got := shiftYears(tt.in, 2); got != tt.want {
			t.Errorf("shiftYears(%q, 2) = %q, want %q", tt.in, got, tt.want)
		}
		if ref := shiftYearsRe(tt.in, 2); ref != tt.want {
			t.Errorf("the regular expression gives %q for %q, the table %q", ref, tt.in, tt.want)
		}
	}
	// Random strings of the pieces that matter, against the expression.
	pieces := []string{"年", "19", "20", "1", "9", "0", "8", ".", "a", "全", "\n", "\xff", "2018年"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		shift := 1 + rng.IntN(5)
		if got, want := shiftYears(s, shift), shiftYearsRe(s, shift); got != want {
			t.Fatalf("shiftYears(%q, %d) = %q, the regular expression gives %q", s, shift, got, want)
		}
	}
}
