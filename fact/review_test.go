package fact

import (
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// TestReview follows reports' passages in reading order: openings of
// paragraphs and headings start and end a five-year review, and the
// paragraphs between carry on the last one. The texts are shortened from
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
		want     []bool
	}{
		{"five years, then the year", []passage{
			{"henan", 2026, []string{review}, 1, fiveOpen},
			{"henan", 2026, []string{review}, 1, "民生福祉不断增进。城镇新增就业603.7万人。"},
			{"henan", 2026, []string{review}, 2, "2025年全省新增农村劳动力转移就业246.2万人。"},
			{"henan", 2026, []string{review}, 1, "刚刚过去的2025年很不平凡。"},
			{"henan", 2026, []string{review, jobs}, 1, "城镇新增就业121.7万人。"},
			{"henan", 2026, []string{tasks}, 1, "今年是“十五五”开局之年。"},
		}, []bool{true, true, true, false, false, false}},
		{"the year, then five years, then a new section", []passage{
			{"fujian", 2026, []string{review}, 1, "2025年是“十四五”规划收官之年。"},
			{"fujian", 2026, []string{review}, 1, "五年来，我们聚力构建现代化产业体系。"},
			{"fujian", 2026, []string{review, jobs}, 1, "城镇新增就业300万人。"},
			{"fujian", 2026, []string{next}, 1, "城镇新增就业500万人以上。"},
		}, []bool{false, true, true, false}},
		{"a heading opens the review; a new report starts afresh", []passage{
			{"gansu", 2026, []string{plan}, 1, "民生福祉持续增进。"},
			{"gansu", 2026, []string{plan}, 1, "十五年来，持续推进。"},
			{"hainan", 2026, nil, 1, "民生福祉持续增进。"},
		}, []bool{true, true, false}},
		{"a run of short paragraphs is as its first opens", []passage{
			{"hainan", 2026, []string{review}, 1, "一年来，我们迎难而上。\n五年来，我们坚定不移。"},
			{"hainan", 2026, []string{review}, 1, "城镇新增就业86.22万人。"},
			{"hainan", 2026, []string{review}, 1, "过去一年，我们精准施策。\n城镇新增就业17.78万人。"},
		}, []bool{false, true, false}},
		{"an unknown report year reads plans only", []passage{
			{"x", 0, []string{review}, 1, "过去五年，稳中求进。"},
			{"x", 0, []string{tasks}, 1, "“十三五”时期，稳中求进。"},
		}, []bool{true, true}},
	}
	for _, tt := range tests {
		var r Review
		var got []bool
		for _, p := range tt.passages {
			got = append(got, r.FiveYears(corpus.Passage{ReportID: p.report, HeadingPath: p.headings, Part: p.part, Text: p.text}, p.year))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
