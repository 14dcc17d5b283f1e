package query

import (
	"slices"
	"testing"

	"github.com/reportbot/reportbot/hanzi"
)

func TestFindYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q          string
		years      []int
		outOfRange []int
		relative   []int
		short      []int
	}{
		{q: "2018年新增就业多少?", years: []int{2018}},
		{q: "２０１８年新增就业多少?", years: []int{2018}}, // through Clean
		{q: "二〇一八年新增就业多少?", years: []int{2018}},
		{q: "二零一八年新增就业多少?", years: []int{2018}},
		{q: "一九九七年经济增长目标", years: []int{1997}},
		{q: "公元2023年GDP", years: []int{2023}},
		{q: "What was the GDP target in 2018?", years: []int{2018}},
		{q: "What was the GDP target in 2018.", years: []int{2018}},
		{q: "FY2018 deficit", years: []int{2018}},
		{q: "2018 GDP growth", years: []int{2018}},
		{q: "2018-12-01发布的报告", years: []int{2018}},
		// Out of range: seen, not accepted.
		{q: "1899年国内生产总值增长目标", outOfRange: []int{1899}},
		{q: "2101年国内生产总值增长目标", outOfRange: []int{2101}},
		{q: "9999年国内生产总值增长目标", outOfRange: []int{9999}},
		{q: "九九九九年国内生产总值增长目标", outOfRange: []int{9999}},
		{q: "一九四八年经济增长", outOfRange: []int{1948}},
		{q: "What was the GDP target in 1899?", outOfRange: []int{1899}},
		// Two-digit years.
		{q: "18年新增就业多少?", short: []int{18}},
		{q: "GDP growth in '18", short: []int{18}},
		{q: "FY18 deficit", short: []int{18}},
		// Ranges and sets.
		{q: "2016-2020年GDP年均增长", years: []int{2016, 2017, 2018, 2019, 2020}},
		{q: "2016年至2018年新增就业", years: []int{2016, 2017, 2018}},
		{q: "2016到2017年", years: []int{2016, 2017}},
		{q: "GDP growth from 2016 to 2018", years: []int{2016, 2017, 2018}},
		{q: "1978-2018年GDP", years: []int{1978, 2018}}, // wider than maxRangeYears
		{q: "2018年和2019年的目标", years: []int{2018, 2019}},
		// Five-year plans.
		{q: "十三五期间新增就业多少?", years: []int{2016, 2017, 2018, 2019, 2020}},
		{q: "十四五开局之年GDP增长", years: []int{2021}},
		{q: "十三五收官之年GDP增长", years: []int{2020}},
		{q: "“九五”计划的目标", years: []int{1996, 1997, 1998, 1999, 2000}},
		{q: "十一五规划", years: []int{2006, 2007, 2008, 2009, 2010}},
		{q: "十五五规划的目标", years: []int{2026, 2027, 2028, 2029, 2030}},
		{q: "第十个五年计划", years: []int{2001, 2002, 2003, 2004, 2005}},
		{q: "第一个五年计划", years: []int{1953, 1954, 1955, 1956, 1957}},
		{q: "第三个五年计划", years: []int{1966, 1967, 1968, 1969, 1970}},
		{q: "What was the target of the 13th Five-Year Plan?", years: []int{2016, 2017, 2018, 2019, 2020}},
		{q: "GDP in the final year of the 12th five-year plan", years: []int{2015}},
		{q: "GDP in the last year of the 12th five-year plan", years: []int{2015}},
		// Relative years.
		{q: "今年GDP增长目标", relative: []int{0}},
		{q: "去年城镇新增就业多少人?", relative: []int{-1}},
		{q: "明年和前年", relative: []int{1, -2}},
		{q: "What is this year's growth target?", relative: []int{0}},
		{q: "How much did prices rise last year?", relative: []int{-1}},
		{q: "next year target", relative: []int{1}},
		{q: "the year before last", relative: []int{-2}},
		{q: "目前年均增长多少", relative: nil},
		{q: "河南过去五年城镇新增就业多少？", relative: []int{-1}},
		{q: "五年来和今年", relative: []int{0, -1}},
		{q: "How many jobs were created over the past five years?", relative: []int{-1}},
		{q: "十五年来GDP", relative: nil},
		{q: "a前年", relative: []int{-2}},
		{q: "提前年", relative: nil},
		// Traps.
		{q: "2018年的3.4万人", years: []int{2018}},
		{q: "123年", years: nil},
		{q: "12345年", years: nil},
		{q: "请拨打400-820-2018咨询", years: nil},
		{q: "电话010-2018", years: nil},
		{q: "13800138000", years: nil},
		{q: "减税降费2000亿元", years: nil},
		{q: "新增就业1100万人", years: nil},
		{q: "增长3.2018", years: nil},
		{q: "27,2018", years: nil},
		{q: "近10年GDP", years: nil},
		{q: "连续18年增长", years: nil},
		{q: "10年来GDP", years: nil},
		{q: "80年代", years: nil},
		{q: "三五年内", years: nil},
		{q: "十五年", years: nil},
		{q: "2000 companies", years: []int{2000}}, // a bare four-digit number in range stays a year, as before
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q, err := Clean(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := findYears(q)
			if !slices.Equal(got.years, tt.years) || !slices.Equal(got.outOfRange, tt.outOfRange) ||
				!slices.Equal(got.relative, tt.relative) || !slices.Equal(got.short, tt.short) {
				t.Errorf("findYears(%q) = years %v, out of range %v, relative %v, short %v; want %v, %v, %v, %v",
					q, got.years, got.outOfRange, got.relative, got.short, tt.years, tt.outOfRange, tt.relative, tt.short)
			}
		})
	}
}

// TestAsksFiveYears: the five years up to last year, asked together.
func TestAsksFiveYears(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		"河南过去五年城镇新增就业多少？":                                  true,
		"五年来新增经营主体多少户":                                     true,
		"近五年GDP年均增长多少":                                     true,
		"How many jobs did Henan add in the last 5 years?": true,
		"GDP growth over the five years":                   true,
		"十五年来GDP":                                          false,
		"二十五年来":                                            false,
		"五年规划目标":                                           false,
		"去年城镇新增就业多少人?":                                     false,
		"the five-year plan's target":                      false,
	} {
		if got := asksFiveYears(q); got != want {
			t.Errorf("asksFiveYears(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestResolveYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q        string
		thisYear int
		want     []int
		wantThis int
	}{
		{"今年GDP增长目标", 2022, []int{2022}, 2022},
		{"去年城镇新增就业多少人?", 2022, []int{2021}, 2022},
		{"廣東去年城鎮新增就業多少人？", 2025, []int{2024}, 2025},
		{"What is this year's growth target?", 2025, []int{2025}, 2025},
		{"明年的目标", 2025, []int{2026}, 2025},
		{"2019年政府工作报告中去年的GDP增长", 2025, []int{2018}, 2019},
		{"2019年政府工作报告中今年的GDP目标", 2025, []int{2019}, 2019},
		{"2019年和去年相比", 2025, []int{2019, 2024}, 2025},
		{"18年新增就业多少?", 2025, []int{2018}, 0},
		{"26年的目标", 2025, []int{2026}, 0},
		{"98年的目标", 2025, []int{1998}, 0},
		{"改革开放40年", 2025, []int{2040}, 0}, // not 1940, before any report
		{"23年的目标", 2009, []int{2023}, 0},  // not 1923
		{"49年的目标", 2025, []int{1949}, 0},
		{"GDP growth in '18", 2022, []int{2018}, 0},
		{"今年GDP增长目标", 0, nil, 0}, // no reference year: unread
		{"2018年GDP", 2025, []int{2018}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			c, err := Clean(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ResolveYears(Analyze(c, nil, nil), tt.thisYear)
			if !slices.Equal(got.Years, tt.want) || got.ThisYear != tt.wantThis {
				t.Errorf("ResolveYears(%q, %d) = years %v, this year %d; want %v, %d", tt.q, tt.thisYear, got.Years, got.ThisYear, tt.want, tt.wantThis)
			}
		})
	}
}

// TestCleanFoldsTraditional checks that a question in traditional
// characters analyses like its simplified form.
func TestCleanFoldsTraditional(t *testing.T) {
	t.Parallel()
	trad, _ := Clean("廣東去年城鎮新增就業多少人？")
	simp, _ := Clean("广东去年城镇新增就业多少人？")
	if trad != simp {
		t.Fatalf("Clean = %q, want %q", trad, simp)
	}
	a, b := Analyze(trad, nil, nil), Analyze(simp, nil, nil)
	if !slices.Equal(a.RelativeYears, b.RelativeYears) || a.Kind != b.Kind || a.Want != b.Want || len(a.Terms) != len(b.Terms) {
		t.Fatalf("Analyze(traditional) = %+v, want %+v", a, b)
	}
}

func FuzzFindYears(f *testing.F) {
	for _, s := range []string{"2018年", "二〇一八年", "18年", "'18", "9999年", "2016-2020年", "十三五期间", "400-820-2018", "第十个五年计划", "去年", "last year of the 13th five-year plan", "1-2-3-4", "\xff2018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := findYears(s)
		for _, y := range got.years {
			if !hanzi.ValidYear(y) {
				t.Fatalf("findYears(%q) returned year %d", s, y)
			}
		}
		for _, y := range got.outOfRange {
			if hanzi.ValidYear(y) {
				t.Fatalf("findYears(%q) returned %d out of range", s, y)
			}
		}
		for _, yy := range got.short {
			if yy < 0 || yy > 99 {
				t.Fatalf("findYears(%q) returned two-digit year %d", s, yy)
			}
		}
		for _, ref := range []int{0, hanzi.MinYear, 2025, hanzi.MaxYear} {
			for _, y := range ResolveYears(Query{Text: s, Years: got.years, RelativeYears: got.relative, ShortYears: got.short}, ref).Years {
				if !hanzi.ValidYear(y) {
					t.Fatalf("ResolveYears(%q, %d) returned year %d", s, ref, y)
				}
			}
		}
	})
}
