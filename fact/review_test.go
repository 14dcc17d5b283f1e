package fact

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// TestReview follows reports' passages in reading order: openings of
// paragraphs and headings start and end a five-year review or a plan's
// targets, and the paragraphs between carry on the last one ("5" is a
// five-year review, "p2030" the targets of a plan to 2030, "-" neither). The texts are shortened from
// the 2026 provincial reports.
func TestReview(t *testing.T) {
	t.Parallel()
	const (
		review   = "一、“十四五”时期和2025年工作回顾"
		plan     = "一、“十四五”时期工作回顾"
		tasks    = "二、2026年重点工作"
		next     = "二、“十五五”时期主要目标任务"
		jobs     = "（一）千方百计稳就业稳企业稳市场稳预期"
		fiveOpen = "过去的五年极不寻常。在省委坚强领导下，我们稳中求进。"
	)
	type passage struct {
		report   string
		year     int
		headings []string
		part     int
		text     string
	}
	tests := []struct {
		name     string
		passages []passage
		want     []string
	}{
		{"five years, then the year", []passage{
			{"henan", 2026, []string{review}, 1, fiveOpen},
			{"henan", 2026, []string{review}, 1, "民生福祉不断增进。城镇新增就业603.7万人。"},
			{"henan", 2026, []string{review}, 2, "2025年全省新增农村劳动力转移就业246.2万人。"},
			{"henan", 2026, []string{review}, 1, "刚刚过去的2025年很不平凡。"},
			{"henan", 2026, []string{review, jobs}, 1, "城镇新增就业121.7万人。"},
			{"henan", 2026, []string{tasks}, 1, "今年是“十五五”开局之年。"},
		}, []string{"5", "5", "5", "-", "-", "-"}},
		{"the year, then five years, then a new section", []passage{
			{"fujian", 2026, []string{review}, 1, "2025年是“十四五”规划收官之年。"},
			{"fujian", 2026, []string{review}, 1, "五年来，我们聚力构建现代化产业体系。"},
			{"fujian", 2026, []string{review, jobs}, 1, "城镇新增就业300万人。"},
			{"fujian", 2026, []string{next}, 1, "“十五五”时期是基本实现社会主义现代化夯实基础的关键时期。"},
			{"fujian", 2026, []string{next}, 1, "——坚持以人民为中心。城镇新增就业500万人以上。"},
			{"fujian", 2026, []string{tasks}, 1, "地区生产总值增长5%左右。"},
			{"fujian", 2026, []string{tasks}, 1, "今后五年，城镇新增就业500万人以上。"},
			{"fujian", 2026, []string{tasks}, 1, "今年，城镇新增就业110万人。"},
		}, []string{"-", "5", "5", "p2030", "p2030", "-", "p2030", "-"}},
		{"a heading opens the review; a new report starts afresh", []passage{
			{"gansu", 2026, []string{plan}, 1, "民生福祉持续增进。"},
			{"gansu", 2026, []string{plan}, 1, "十五年来，持续推进。"},
			{"hainan", 2026, nil, 1, "民生福祉持续增进。"},
		}, []string{"5", "5", "-"}},
		{"a run of short paragraphs is as its first opens", []passage{
			{"hainan", 2026, []string{review}, 1, "一年来，我们迎难而上。\n五年来，我们坚定不移。"},
			{"hainan", 2026, []string{review}, 1, "城镇新增就业86.22万人。"},
			{"hainan", 2026, []string{review}, 1, "过去一年，我们精准施策。\n城镇新增就业17.78万人。"},
		}, []string{"-", "5", "-"}},
		{"openings further in, earlier years and plans' bare names open nothing", []passage{
			{"cn2003", 2003, []string{"一、过去五年政府工作的回顾"}, 1, "1998年发生特大洪水后，总结实施了“封山植树”。"},
			{"cn2003", 2003, []string{"一、过去五年政府工作的回顾"}, 1, "五年来，成就来之不易。"},
			{"cn2003", 2003, []string{"一、过去五年政府工作的回顾"}, 1, "各位代表！刚刚过去的2002年，国内生产总值达到10.2万亿元。"},
			{"cn2003", 2003, []string{"一、过去五年政府工作的回顾"}, 1, "党的十六大科学总结了过去五年的工作。"},
			{"zhejiang", 2026, []string{next}, 1, "“十五五”发展的指导思想是：坚持稳中求进。"},
			{"zhejiang", 2026, []string{next}, 1, "——“十五五”时期，城镇新增就业500万人以上。"},
		}, []string{"5", "5", "-", "-", "p2030", "p2030"}},
		{"a year inside a plan stays in it; this year and a running plan do not", []passage{
			{"x", 2026, []string{next}, 1, "“十五五”时期是关键时期。"},
			{"x", 2026, []string{next}, 1, "到2030年，城镇化率达到65%。"},
			{"x", 2026, []string{next}, 1, "2027年，建成一批重大工程。"},
			{"x", 2026, []string{next}, 1, "今年，城镇新增就业110万人。"},
			{"y", 2023, []string{"一、过去五年工作回顾"}, 1, "“十四五”以来，城镇新增就业300万人。"},
		}, []string{"p2030", "p2030", "p2030", "-", "5"}},
		{"an unknown report year reads plans only", []passage{
			{"x", 0, []string{review}, 1, "过去五年，稳中求进。"},
			{"x", 0, []string{tasks}, 1, "“十三五”时期，稳中求进。"},
		}, []string{"5", "5"}},
	}
	for _, tt := range tests {
		var r Review
		var got []string
		for _, p := range tt.passages {
			s := r.Next(corpus.Passage{ReportID: p.report, HeadingPath: p.headings, Part: p.part, Text: p.text}, p.year)
			switch {
			case s.FiveYears:
				got = append(got, "5")
			case s.Plan != 0:
				got = append(got, fmt.Sprint("p", s.Plan))
			default:
				got = append(got, "-")
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestScopeContext: a plan's targets are dated by the plan's last year; a
// five-year review keeps its section's period.
func TestScopeContext(t *testing.T) {
	t.Parallel()
	r := corpus.Report{ID: "henan", Year: 2026}
	for _, tt := range []struct {
		s      Scope
		period corpus.Period
		want   Context
	}{
		{Scope{}, corpus.Period{Year: 2026, Kind: corpus.PeriodTarget}, Context{Year: 2026, Kind: corpus.PeriodTarget, ReportYear: 2026}},
		{Scope{FiveYears: true}, corpus.Period{Year: 2025, Kind: corpus.PeriodActual}, Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026, FiveYears: true}},
		{Scope{Plan: 2030}, corpus.Period{Year: 2026, Kind: corpus.PeriodTarget}, Context{Year: 2030, Kind: corpus.PeriodTarget, ReportYear: 2026, Plan: true}},
		{Scope{Plan: 2030}, corpus.Period{}, Context{Year: 2030, Kind: corpus.PeriodTarget, ReportYear: 2026, Plan: true}},
	} {
		if got := tt.s.Context(r, corpus.Passage{Period: tt.period}); got != tt.want {
			t.Errorf("%+v.Context(period %+v) = %+v, want %+v", tt.s, tt.period, got, tt.want)
		}
	}
}
