package rag

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/llmanswer"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/openai/openaitest"
	"github.com/reportbot/reportbot/query"
	goopenai "github.com/sashabaranov/go-openai"

	"github.com/reportbot/reportbot/corpus"
)

// yearsEngine indexes one small dated report: 2008 results and 2009
// targets.
func yearsEngine(t *testing.T) *Engine {
	t.Helper()
	text := "某区2009年政府工作报告\n\n一、2008年工作回顾\n\n全年新增就业2.1万人,城镇登记失业率3.5%。\n\n" +
		"二、2009年主要任务\n\n全年新增就业2.5万人,城镇登记失业率控制在4%以内。\n"
	return engineOf(t, fstest.MapFS{"r2009.txt": {Data: []byte(text)}})
}

// TestNoFigureForAnotherYear checks that a question about a year no
// passage speaks for is not answered with another year's figure, while
// the years the report covers are answered.
func TestNoFigureForAnotherYear(t *testing.T) {
	t.Parallel()
	e := yearsEngine(t)
	tests := []struct {
		question string
		want     string // in the answer; "" for not found
		notFound string // in the not-found text
	}{
		{"2009年新增就业目标是多少?", "2.5万", ""},
		{"2008年新增就业多少?", "2.1万", ""},
		{"新增就业目标是多少?", "2.5万", ""},
		// The pairs that straddle 目标 (业目, 标定) are not in the report;
		// they must not count against its answer.
		{"2009年新增就业目标定的多少?", "2.5万", ""},
		{"2023年新增就业目标是多少?", "", "2023"},
		{"What was the employment target for 2015?", "", "Not found"},
		{"2009年火星基地有多少个?", "", "未找到"},
		// The report has 2008's results and 2009's targets only.
		{"2008年新增就业目标是多少?", "", "2008年的目标"},
		{"2009年新增就业实际完成多少?", "", "2009年的实际完成情况"},
		{"What was the 2008 employment target?", "", "not targets"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := e.Ask(t.Context(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				if a.NotFound || !strings.Contains(a.Text, tt.want) {
					t.Errorf("answer %q (not found %v), want one with %s", a.Text, a.NotFound, tt.want)
				}
				return
			}
			if !a.NotFound || len(a.Citations) > 0 || !strings.Contains(a.Text, tt.notFound) {
				t.Errorf("answer %q (not found %v, %d citations); want not found naming %q", a.Text, a.NotFound, len(a.Citations), tt.notFound)
			}
		})
	}
}

func TestYearFits(t *testing.T) {
	t.Parallel()
	dated := corpus.Report{Year: 2009}
	tests := []struct {
		name     string
		years    []int
		period   corpus.Period
		report   corpus.Report
		sentence string
		want     bool
	}{
		{"no year asked", nil, corpus.Period{Year: 2009}, dated, "", true},
		{"period year asked", []int{2009}, corpus.Period{Year: 2009}, dated, "", true},
		{"other period year", []int{2023}, corpus.Period{Year: 2009}, dated, "新增就业2.5万人", false},
		{"sentence names the year", []int{2020}, corpus.Period{Year: 2009}, dated, "到2020年粮食产量达到5.5亿吨", true},
		{"full-width year", []int{1997}, corpus.Period{Year: 1996}, dated, "争取１９９７年粮食产量达到４．７５亿吨", true},
		{"undated period, report of that year", []int{2009}, corpus.Period{}, dated, "", true},
		{"undated period, report of the next year", []int{2008}, corpus.Period{}, dated, "", true},
		{"undated period, report of another year", []int{2015}, corpus.Period{}, dated, "", false},
		{"nothing dated", []int{2015}, corpus.Period{}, corpus.Report{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := answer.Evidence{Hit: index.Hit{Report: tt.report, Passage: index.Passage{Passage: corpus.Passage{Period: tt.period}}}, Sentence: tt.sentence}
			if got := answer.YearFits(query.Query{Years: tt.years}, ev); got != tt.want {
				t.Errorf("yearFits = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestUndatedAnswerCarriesNotice checks that an answer to a question about
// a year, taken from a report that gives no year (the later Wuqing
// fragment), tells the reader to check the year.
func TestUndatedAnswerCarriesNotice(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	a, err := e.Ask(t.Context(), "2023年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if a.NotFound || len(a.Citations) == 0 || a.Citations[0].Year != 0 {
		t.Fatalf("answer %q: want one citing the undated fragment", a.Text)
	}
	if !strings.Contains(a.Notice, answer.Notice(answer.NoticeUndated, "zh")) {
		t.Errorf("notice %q lacks the undated-report warning", a.Notice)
	}
	b, err := e.Ask(t.Context(), "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.Notice, answer.Notice(answer.NoticeUndated, "zh")) {
		t.Errorf("an answer from the dated 2018 report carries the undated warning: %q", b.Notice)
	}
}

// TestLatinWordsInChineseQuestions checks that a Latin word the corpus
// does not use ("GDP" in "2018年GDP预期增长多少?") is searched for through
// its dictionary translations, and that the answer is the one the Chinese
// wording gets.
func TestLatinWordsInChineseQuestions(t *testing.T) {
	t.Parallel()
	d, err := testDict()
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t)
	e.dict = d
	q := query.Analyze("2018年GDP预期增长多少?", d, e.ix.Lexical())
	if !slices.Contains(q.Expansions["gdp"], "生产总值") {
		t.Errorf("expansions %v: want gdp → 生产总值", q.Expansions)
	}
	for _, tt := range q.Terms {
		if tt.Term == "gdp" {
			t.Errorf("the untranslated word is still a search term: %+v", q.Terms)
		}
	}
	latin, err := e.Ask(t.Context(), "2018年GDP预期增长多少?")
	if err != nil {
		t.Fatal(err)
	}
	chinese, err := e.Ask(t.Context(), "2018年地区生产总值预期增长多少?")
	if err != nil {
		t.Fatal(err)
	}
	if latin.NotFound || latin.Text != chinese.Text {
		t.Errorf("GDP question answered %q; the Chinese wording gets %q", latin.Text, chinese.Text)
	}
}

// TestFollowUpIntentIsSoft checks that an intent carried over from the
// previous question does not exclude passages: "2017年呢?" after a
// question about the 2018 target gets 2017's result, the only 2017 figure.
func TestFollowUpIntentIsSoft(t *testing.T) {
	t.Parallel()
	e := yearsEngine(t)
	history := []query.Turn{{Question: "2009年新增就业目标是多少?", Answer: "全年新增就业2.5万人[1]"}}
	a, err := e.AskWith(t.Context(), "2008年呢?", query.AskOptions{History: history})
	if err != nil {
		t.Fatal(err)
	}
	if a.NotFound || !strings.Contains(a.Text, "2.1万") || !a.Query.KindInherited {
		t.Errorf("follow-up answer %q (kind %q inherited %v): want 2008's 2.1万", a.Text, a.Query.Kind, a.Query.KindInherited)
	}
}

// TestModelNotFoundKeepsTheReason checks that when the model also finds no
// answer, the reader still learns why the extractive answerer found none
// (the passages are about other years).
func TestModelNotFoundKeepsTheReason(t *testing.T) {
	t.Parallel()
	e := yearsLLMEngine(t, func(int, goopenai.ChatCompletionRequest) openaitest.Reply {
		return openaitest.Reply{Content: "NOT_FOUND"}
	})
	a, err := e.Ask(t.Context(), "2023年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if !a.NotFound || a.Mode != "llm" || !strings.Contains(a.Text, "2023") {
		t.Errorf("answer %q (not found %v, mode %q): want not found naming 2023", a.Text, a.NotFound, a.Mode)
	}
}

// yearsLLMEngine is yearsEngine with a fake model answering by chat.
func yearsLLMEngine(t *testing.T, chat func(int, goopenai.ChatCompletionRequest) openaitest.Reply) *Engine {
	t.Helper()
	srv := openaitest.NewServer()
	t.Cleanup(srv.Close)
	srv.Chat = chat
	p, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := openai.NewChat(p, "fake-model")
	if err != nil {
		t.Fatal(err)
	}
	return yearsEngine(t).WithLLM(llmanswer.Options{Chat: c})
}

// TestLLMResultGivenAsTargetIsDropped checks that a model answer to a
// question about a target that cites only a review of results is sent back
// once, then replaced by the extractive "not found" that says so (and
// lists what the report gives, each figure labelled with its year and kind).
func TestLLMResultGivenAsTargetIsDropped(t *testing.T) {
	t.Parallel()
	e := yearsLLMEngine(t, citing("2.1万", "2008年新增就业目标为2.1万人[%d]。"))
	a, err := e.Ask(t.Context(), "2008年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	g := a.Grounding
	if g == nil || !g.OtherPeriod || !g.Retried || !g.FellBack {
		t.Fatalf("grounding %+v: want the other-period check to retry, then fall back", g)
	}
	// The not-found answer names 2008's target as what is missing and lists
	// what the report gives, the 2.1万 labelled as 2008's result.
	if !a.NotFound || strings.Contains(a.Text, "目标为2.1万") || !strings.Contains(a.Text, "2008年的目标") || !strings.Contains(a.Text, "2008年实际: 全年新增就业2.1万人") {
		t.Errorf("answer %q: want the extractive not-found naming 2008's target", a.Text)
	}
}

// TestOptionalTermsCountOnlyWhenFound checks that an optional question term
// (a pair straddling an intent word) raises the coverage of evidence that
// holds it and does not lower the coverage of evidence that lacks it.
func TestOptionalTermsCountOnlyWhenFound(t *testing.T) {
	t.Parallel()
	docs := []string{"全年新增就业2.5万人", "就业增长目标定为2.5万人", "其他内容"}
	lex := lexical.NewFunc(len(docs), func(i int) string { return docs[i] })
	hitOf := func(i int) index.Hit {
		return index.Hit{Passage: index.Passage{Passage: corpus.Passage{ID: fmt.Sprint(i), Text: docs[i]}}, Score: 1, PeriodWeight: 1}
	}
	coverage := func(optional bool, doc int) float64 {
		q := query.Query{Lang: "zh", Want: query.AnswerType{Quantity: true}, Terms: []lexical.WeightedTerm{
			{Term: "就业", Weight: 1, Group: 1},
			{Term: "标定", Weight: 1, Group: 2, Optional: optional},
		}}
		ev := answer.Score(q, []index.Hit{hitOf(doc)}, lex)
		if len(ev) == 0 {
			t.Fatal("no evidence")
		}
		return ev[0].Coverage
	}
	if c := coverage(true, 0); c < 0.99 {
		t.Errorf("optional pair missing from the evidence: coverage %.2f, want 1", c)
	}
	if c := coverage(false, 0); c > 0.9 {
		t.Errorf("required pair missing from the evidence: coverage %.2f, want it lowered", c)
	}
	if c := coverage(true, 1); c < 0.99 {
		t.Errorf("optional pair present in the evidence: coverage %.2f, want 1", c)
	}
	// The pair elsewhere in the passage, not in the answer window, changes
	// nothing for that window.
	q := query.Query{Lang: "zh", Want: query.AnswerType{Quantity: true}, Terms: []lexical.WeightedTerm{
		{Term: "就业", Weight: 1, Group: 1}, {Term: "标定", Weight: 1, Group: 2, Optional: true}}}
	plain := index.Hit{Passage: index.Passage{Passage: corpus.Passage{ID: "a", Text: "全年新增就业2.5万人。"}}, Score: 1, PeriodWeight: 1}
	with := index.Hit{Passage: index.Passage{Passage: corpus.Passage{ID: "b", Text: "全年新增就业2.5万人。另有标定工作。"}}, Score: 1, PeriodWeight: 1}
	a, b := answer.Score(q, []index.Hit{plain}, lex)[0], answer.Score(q, []index.Hit{with}, lex)[0]
	if a.Text != b.Text || math.Abs(a.Score-b.Score) > 1e-9 {
		t.Errorf("window %q scores %.3f alone, %q %.3f beside the pair; want the same", a.Text, a.Score, b.Text, b.Score)
	}
}

// TestYearForms checks every form of year over the dated report: a year
// the engine reads but no passage speaks for, or no report can be about,
// never gets another year's figure; relative years are read from the
// newest report (2009) and the answer says so.
func TestYearForms(t *testing.T) {
	t.Parallel()
	e := yearsEngine(t)
	tests := []struct {
		question string
		want     string // in the answer text; not found when notFound
		notFound bool
		notice   string // in the notice
	}{
		{"二〇〇九年新增就业目标是多少?", "2.5万", false, ""},
		{"二零零八年新增就业多少?", "2.1万", false, ""},
		{"09年新增就业目标是多少?", "2.5万", false, ""},
		{"今年新增就业目标是多少?", "2.5万", false, "2009"},
		{"去年新增就业多少?", "2.1万", false, "2009"},
		{"2009年报告中去年新增就业多少?", "2.1万", false, "2009"},
		{"今年新增就業目標是多少？", "2.5万", false, "2009"}, // traditional
		{"二〇二三年新增就业目标是多少?", "2023", true, ""},
		{"二〇二二年新增就业目标是多少?", "2022", true, ""},
		{"23年新增就业目标是多少?", "2023", true, ""},
		{"明年新增就业目标是多少?", "2010", true, "2009"},
		{"1899年新增就业目标是多少?", "1899", true, ""},
		{"2101年新增就业目标是多少?", "2101", true, ""},
		{"9999年新增就业目标是多少?", "9999", true, ""},
		{"二一〇一年新增就业目标是多少?", "2101", true, ""},
		{"What was the employment target in 1899?", "1899", true, ""},
		{"十四五开局之年新增就业目标是多少?", "2021", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := e.Ask(t.Context(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if a.NotFound != tt.notFound || !strings.Contains(a.Text, tt.want) {
				t.Errorf("Ask(%q) = %q (not found %v), want %q in it (not found %v)", tt.question, a.Text, a.NotFound, tt.want, tt.notFound)
			}
			if tt.notFound && (strings.Contains(a.Text, "2.5万") || strings.Contains(a.Text, "2.1万")) {
				t.Errorf("Ask(%q) = %q: another year's figure", tt.question, a.Text)
			}
			if !strings.Contains(a.Notice, tt.notice) {
				t.Errorf("Ask(%q) notice = %q, want %q in it", tt.question, a.Notice, tt.notice)
			}
		})
	}
}

// TestPastFiveYearsNotQuoted: a question about the past five years that no
// fact answers is "not found" with what the reports give, not a quoted
// sentence about one year, even in a report without headings.
func TestPastFiveYearsNotQuoted(t *testing.T) {
	t.Parallel()
	text := "某区2026年政府工作报告\n\n过去五年，我们坚持稳中求进，发展质量稳步提升。\n\n" +
		"今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业18万人以上。\n"
	a, err := engineOf(t, fstest.MapFS{"r2026.txt": {Data: []byte(text)}}).Ask(t.Context(), "过去五年城镇新增就业多少？")
	if err != nil {
		t.Fatal(err)
	}
	if !a.NotFound || len(a.Citations) > 0 || !strings.Contains(a.Text, "2026年目标: 城镇新增就业18万人以上") {
		t.Errorf("answer %q (not found %v, %d citations); want not found listing 2026's target", a.Text, a.NotFound, len(a.Citations))
	}
}
