package answer

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// TestChooseFactsFiveYears: a 2026 report that reviews both 2025 and the
// five years to it gives two figures of new urban jobs for 2025, and two
// targets: 2026's and the next plan's. A question about 2025 gets 2025's;
// one about the past five years gets theirs; one about 2026's target
// gets 2026's; and the answer that lists them says which is which.
func TestChooseFactsFiveYears(t *testing.T) {
	t.Parallel()
	report := corpus.Report{ID: "henan", Year: 2026}
	var cands []index.FactHit
	for i, in := range []struct {
		text string
		c    fact.Context
	}{
		{"城镇新增就业603.7万人", fact.Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026, FiveYears: true}},
		{"城镇新增就业121.7万人", fact.Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026}},
		{"城镇新增就业500万人以上", fact.Context{Year: 2030, Kind: corpus.PeriodTarget, ReportYear: 2026, Plan: true}},
		{"城镇新增就业110万人以上", fact.Context{Year: 2026, Kind: corpus.PeriodTarget, ReportYear: 2026}},
	} {
		text := in.text
		fs := fact.Extract(text, in.c)
		if len(fs) != 1 {
			t.Fatalf("%s: %d facts", text, len(fs))
		}
		c := index.FactHit{Fact: fs[0], Report: report, Row: i}
		c.Passage.ID, c.Passage.Text, c.Passage.ReportID = text, text, report.ID
		cands = append(cands, c)
	}
	for _, tt := range []struct {
		question, want string
	}{
		{"2025年城镇新增就业多少？", "121.7万人"},
		{"去年城镇新增就业多少？", "121.7万人"},
		{"How many new urban jobs were created in 2025?", "121.7万人"},
		{"过去五年城镇新增就业多少？", "603.7万人"},
		{"How many new urban jobs were created over the past five years?", "603.7万人"},
		{"今年城镇新增就业目标是多少？", "110万人以上"},
		{"What is the 2026 target for new urban jobs?", "110万人以上"},
	} {
		q := query.ResolveYears(query.Analyze(tt.question, nil, nil), 2026)
		best := ChooseFacts(q, cands, nil, nil)
		if len(best) == 0 || best[0].Fact.Value != tt.want {
			var got []string
			for _, c := range best {
				got = append(got, c.Fact.Value)
			}
			t.Errorf("%s: chose %v, want %s first", tt.question, got, tt.want)
		}
	}

	// The target row of "过去五年城镇新增就业目标完成了吗" (a verdict asks
	// for each kind in turn) takes none of the five years' results, and a
	// question about their results no single year's.
	q := query.ResolveYears(query.Analyze("过去五年城镇新增就业目标完成了吗？", nil, nil), 2026)
	q.Kind = corpus.PeriodTarget
	if best := ChooseFacts(q, cands, nil, nil); len(best) != 0 {
		t.Errorf("the five years' target row: chose %s", best[0].Fact.Value)
	}
	q = query.ResolveYears(query.Analyze("过去五年城镇新增就业多少？", nil, nil), 2026)
	if best := ChooseFacts(q, cands[1:], nil, nil); len(best) != 0 {
		t.Errorf("the past five years without their figure: chose %s", best[0].Fact.Value)
	}

	// Only a plan's target for a target question: not found, and no word
	// of results.
	a := &Answer{Query: query.Analyze("2030年城镇新增就业目标是多少？", nil, nil)}
	FactsNotFound(a, cands[2:3])
	if strings.Contains(a.Text, "实际完成情况") || !strings.Contains(a.Text, "2026—2030年目标: 城镇新增就业500万人以上 [1]") {
		t.Errorf("a plan's target alone, for 2030:\n%s", a.Text)
	}

	a = &Answer{Query: query.Analyze("河南2021年城镇新增就业多少？", nil, nil)}
	FactsNotFound(a, cands)
	for _, want := range []string{"2021—2025年实际: 城镇新增就业603.7万人 [1]", "2025年实际: 城镇新增就业121.7万人 [2]",
		"2026—2030年目标: 城镇新增就业500万人以上 [3]", "2026年目标: 城镇新增就业110万人以上 [4]"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("the list of what the reports give:\n%s\nlacks %q", a.Text, want)
		}
	}
}

// TestThisYearNoticeFiveYears: the notice says which five years "the past
// five years" were read as.
func TestThisYearNoticeFiveYears(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang      string
		fiveYears bool
		want      string
	}{
		{"zh", false, "“今年”按报告年份2026年理解。"},
		{"zh", true, "“过去五年”按2021—2025年理解（报告年份2026年）。"},
		{"en", true, "“The past five years” read as 2021–2025 (the report's year is 2026)."},
	} {
		if got := ThisYearNotice(tt.lang, 2026, tt.fiveYears); got != tt.want {
			t.Errorf("ThisYearNotice(%s, 2026, %v) = %q, want %q", tt.lang, tt.fiveYears, got, tt.want)
		}
	}
}
