package query

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

func TestAnalyzeQueryChinese(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q     string
		years []int
		kind  corpus.PeriodKind
		want  AnswerType
	}{
		{"2018年武清区新增就业的目标是多少?", []int{2018}, corpus.PeriodTarget, AnswerType{Quantity: true, PreferNumber: true, Counted: "武清区新增就业"}},
		{"2018年居民消费价格涨幅比上年提高多少个百分点?", []int{2018}, corpus.PeriodUnknown, AnswerType{Quantity: true, Unit: "个百分点", Counted: "居民消费价格涨幅比上年提高"}},
		{"2017年武清区新增就业多少人?", []int{2017}, corpus.PeriodUnknown, AnswerType{Quantity: true, Unit: "人", Counted: "武清区新增就业"}},
		{"武清区2018年地区生产总值总额是多少亿元?", []int{2018}, corpus.PeriodUnknown, AnswerType{Quantity: true, Unit: "亿元", PreferNumber: true, Counted: "地区生产总值总额"}},
		{"“京津之肾”指的是什么?", nil, corpus.PeriodUnknown, AnswerType{}},
		{"区长是谁?", nil, corpus.PeriodUnknown, AnswerType{Person: true}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := Analyze(tt.q, nil, nil)
			if got.Lang != "zh" {
				t.Errorf("Lang = %q, want zh", got.Lang)
			}
			if !slices.Equal(got.Years, tt.years) {
				t.Errorf("Years = %v, want %v", got.Years, tt.years)
			}
			if got.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", got.Kind, tt.kind)
			}
			if got.Want != tt.want {
				t.Errorf("Want = %+v, want %+v", got.Want, tt.want)
			}
			for _, term := range got.Terms {
				for _, stop := range []string{"多少", "是多", "什么"} {
					if term.Term == stop {
						t.Errorf("question word %q kept as a search term", stop)
					}
				}
			}
		})
	}
}

func TestAnalyzeQueryEnglish(t *testing.T) {
	t.Parallel()
	got := Analyze("How many new kindergartens were planned for 2018?", nil, nil)
	if got.Lang != "en" || !slices.Equal(got.Years, []int{2018}) || got.Kind != corpus.PeriodTarget || !got.Want.Quantity {
		t.Errorf("AnalyzeQuery = lang %q years %v kind %q want %+v; want en [2018] target quantity", got.Lang, got.Years, got.Kind, got.Want)
	}
	if got := Analyze("Who is the head of the district?", nil, nil); !got.Want.Person {
		t.Errorf("who-question: Want = %+v, want Person", got.Want)
	}
}

func TestCountedPhrase(t *testing.T) {
	t.Parallel()
	tests := []struct{ question, want string }{
		{"2017年新增北京项目多少个?", "新增北京项目"},
		{"2018年武清区新增就业的目标是多少?", "武清区新增就业"},
		{"2017年全区引资到位额是多少?", "全区引资到位额"},
		{"2018年城镇登记失业率要控制在多少以内?", "城镇登记失业率要控制在"},
		{"2018年地区生产总值预期增长多少?", "地区生产总值预期增长"},
		{"计划新增多少所养老服务综合体?", "计划新增"},
		{"GDP增长目标是多少?", "增长"}, // the frame "目标是" is dropped
		{"GDP为多少?", ""},
		{"2018年是多少?", ""},     // only the date
		{"多少?", ""},           // nothing before the question word
		{"10月份完成了多少?", "份完成"}, // "月" of a date is dropped, the rest kept
	}
	for _, tt := range tests {
		if got := chineseAnswerType(tt.question).Counted; got != tt.want {
			t.Errorf("counted phrase of %q = %q; want %q", tt.question, got, tt.want)
		}
	}
}

func TestIntentJunctions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"预期增长目标定", []string{"期增", "长目", "标定"}},
		{"收入实际增长", []string{"入实", "际增"}},
		{"目标", nil},
		{"新增就业", nil},
		{"目标 新增就业", nil},
	}
	for _, tt := range tests {
		got := slices.Sorted(maps.Keys(intentJunctions(tt.in)))
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("intentJunctions(%q) = %v, want %v", tt.in, got, want)
		}
	}
}

// TestMeasureWordsLongestFirst checks that no unit is listed after a
// shorter one that begins it, which would cut it short.
func TestMeasureWordsLongestFirst(t *testing.T) {
	t.Parallel()
	for i, u := range MeasureWords {
		for _, v := range MeasureWords[:i] {
			if strings.HasPrefix(u, v) {
				t.Errorf("%q is listed after %q, which begins it", u, v)
			}
		}
	}
}
