package answer

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// report is a synthetic report of place code and year whose passages are
// texts, each read into facts as the index reads them (fact.Extract, with
// the section's period).
type report struct {
	code  string
	year  int
	kind  corpus.PeriodKind // the section's kind
	about int               // the section's year
	texts []string
}

// corpusOf makes the reports and the facts of reps.
func corpusOf(t *testing.T, reps ...report) ([]corpus.Report, []index.FactHit) {
	t.Helper()
	var rs []corpus.Report
	var hits []index.FactHit
	row := 0
	for _, r := range reps {
		id := fmt.Sprintf("%s-%d", r.code, r.year)
		cr := corpus.Report{ID: id, Title: fmt.Sprintf("%d年%s政府工作报告", r.year, r.code), Year: r.year, Place: r.code}
		rs = append(rs, cr)
		for i, text := range r.texts {
			p := index.Passage{Passage: corpus.Passage{ID: fmt.Sprintf("%s-p%d", id, i+1), ReportID: id, Paragraph: i + 1, Text: text,
				Period: corpus.Period{Year: r.about, Kind: r.kind}}}
			for _, f := range fact.Extract(text, fact.Context{Year: r.about, Kind: r.kind, ReportYear: r.year}) {
				if f.Indicator != "" {
					hits = append(hits, index.FactHit{Fact: f, Passage: p, Report: cr, Row: row})
				}
			}
			row++
		}
	}
	return rs, hits
}

func tableAnswer(t *testing.T, question string, rs []corpus.Report, cands []index.FactHit) *Answer {
	t.Helper()
	q := query.Analyze(question, nil, nil)
	ask := query.Tabulate(q)
	if ask.Shape == query.NoTable {
		t.Fatalf("%q is no table question", question)
	}
	a := &Answer{Question: question, Query: q}
	if !ComposeTable(a, TableInput{Ask: ask, Cands: cands, Reports: rs}) {
		t.Fatalf("ComposeTable(%q) made no table", question)
	}
	return a
}

// checkCited fails unless every row with a figure cites a citation of a,
// no two rows cite the same one, and the text holds every cited row.
func checkCited(t *testing.T, a *Answer) {
	t.Helper()
	seen := map[int]bool{}
	for _, r := range a.Table.Rows {
		if !r.HasValue {
			if r.Citation != 0 {
				t.Errorf("row %v not given cites [%d]", r.Cells, r.Citation)
			}
			continue
		}
		if r.Citation < 1 || r.Citation > len(a.Citations) || seen[r.Citation] {
			t.Errorf("row %v cites [%d] of %d citations (seen %v)", r.Cells, r.Citation, len(a.Citations), seen)
		}
		seen[r.Citation] = true
		if !strings.Contains(a.Text, fmt.Sprintf("[%d]", r.Citation)) {
			t.Errorf("text lacks [%d]: %s", r.Citation, a.Text)
		}
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// The national reports of a few years: 2012's gives no GDP target, the
// corpus has no 2013 report.
func seriesCorpus(t *testing.T) ([]corpus.Report, []index.FactHit) {
	return corpusOf(t,
		report{code: "CN", year: 2010, kind: corpus.PeriodTarget, about: 2010, texts: []string{"今年经济社会发展的主要预期目标是：国内生产总值增长8%左右。"}},
		report{code: "CN", year: 2011, kind: corpus.PeriodTarget, about: 2011, texts: []string{"今年的主要预期目标是：国内生产总值增长8%左右；城镇新增就业900万人以上。"}},
		report{code: "CN", year: 2012, kind: corpus.PeriodTarget, about: 2012, texts: []string{"城镇新增就业900万人以上。"}},
		report{code: "CN", year: 2014, kind: corpus.PeriodTarget, about: 2014, texts: []string{"今年的主要预期目标是：国内生产总值增长7.5%左右。"}},
	)
}

func TestComposeTableSeries(t *testing.T) {
	t.Parallel()
	rs, cands := seriesCorpus(t)
	tests := []struct {
		name, question string
		cells          [][]string
		note           string
	}{
		{"series-zh", "2010到2014年国内生产总值增长目标",
			[][]string{{"2010年", "8%左右"}, {"2011年", "8%左右"}, {"2012年", "未给出"}, {"2014年", "7.5%左右"}},
			"未收录2013年的报告,2013年从略。"},
		{"series-en", "What was China's GDP growth target from 2010 to 2014?",
			[][]string{{"2010", "about 8%"}, {"2011", "about 8%"}, {"2012", "not given"}, {"2014", "about 7.5%"}},
			"The corpus has no report of 2013; 2013 left out."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := tableAnswer(t, tt.question, rs, cands)
			var got [][]string
			for _, r := range a.Table.Rows {
				got = append(got, r.Cells)
			}
			if !slices.EqualFunc(got, tt.cells, slices.Equal) {
				t.Errorf("rows %v, want %v", got, tt.cells)
			}
			if !slices.Contains(a.Table.Notes, tt.note) {
				t.Errorf("notes %q lack %q", a.Table.Notes, tt.note)
			}
			if len(a.Citations) != 3 || len(a.Facts) != 3 {
				t.Errorf("%d citations and %d facts, want 3 each", len(a.Citations), len(a.Facts))
			}
			checkCited(t, a)
			if pts := a.Table.Points(); len(pts) != 3 || pts[2] != (Point{2014, 7.5}) {
				t.Errorf("points %v, want three, the last {2014 7.5}", pts)
			}
			checkGolden(t, tt.name, Text(a))
		})
	}
}

func TestComposeTablePlaces(t *testing.T) {
	t.Parallel()
	rs, cands := corpusOf(t,
		report{code: "360000", year: 2026, kind: corpus.PeriodTarget, about: 2026, texts: []string{"今年全省经济社会发展的主要预期目标是：地区生产总值增长5%。"}},
		report{code: "430000", year: 2026, kind: corpus.PeriodTarget, about: 2026, texts: []string{"今年的主要预期目标是：地区生产总值增长5.5%左右。"}},
		report{code: "420000", year: 2026, kind: corpus.PeriodTarget, about: 2026, texts: []string{"今年的主要预期目标是：地区生产总值增长5%。"}},
		report{code: "440000", year: 2026, kind: corpus.PeriodTarget, about: 2026, texts: []string{"今年的主要预期目标是：城镇新增就业110万人以上。"}},
		report{code: "350000", year: 2025, kind: corpus.PeriodTarget, about: 2025, texts: []string{"今年的主要预期目标是：地区生产总值增长5.5%左右。"}},
	)
	a := tableAnswer(t, "各省2026年地区生产总值增长目标", rs, cands)
	var got [][]string
	for _, r := range a.Table.Rows {
		got = append(got, r.Cells)
	}
	// Largest first, ties by name, the row not given last; 福建 has no
	// 2026 report and is left out.
	want := [][]string{{"湖南省", "5.5%左右"}, {"江西省", "5%"}, {"湖北省", "5%"}, {"广东省", "未给出"}}
	hubeiFirst := [][]string{{"湖南省", "5.5%左右"}, {"湖北省", "5%"}, {"江西省", "5%"}, {"广东省", "未给出"}}
	if strings.Compare("湖北省", "江西省") < 0 {
		want = hubeiFirst
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if !slices.ContainsFunc(a.Table.Notes, func(n string) bool { return strings.Contains(n, "福建省") }) {
		t.Errorf("notes %q do not say 福建省 is left out", a.Table.Notes)
	}
	checkCited(t, a)
	if a.Table.Points() != nil {
		t.Errorf("a comparison has no chart points: %v", a.Table.Points())
	}
}

func TestComposeTableTargetResult(t *testing.T) {
	t.Parallel()
	rs, cands := corpusOf(t,
		report{code: "CN", year: 2016, kind: corpus.PeriodTarget, about: 2016, texts: []string{"今年经济社会发展的主要预期目标是：国内生产总值增长6.5%-7%。"}},
		report{code: "CN", year: 2017, kind: corpus.PeriodActual, about: 2016, texts: []string{"过去一年，国内生产总值增长6.7%。"}},
		report{code: "CN", year: 2017, kind: corpus.PeriodTarget, about: 2017, texts: []string{"今年的主要预期目标是：国内生产总值增长6.5%左右。"}},
		report{code: "CN", year: 2018, kind: corpus.PeriodActual, about: 2017, texts: []string{"过去一年，国内生产总值增长6.9%。"}},
		report{code: "CN", year: 2019, kind: corpus.PeriodTarget, about: 2019, texts: []string{"今年的主要预期目标是：国内生产总值增长6%-6.5%。"}},
	)
	tests := []struct {
		question string
		note     string
		rows     int
	}{
		{"2016年国内生产总值增长目标完成了吗?", "2016年实际6.7% [2],目标6.5%-7% [1],达到目标。", 2},
		{"Did China meet its 2016 GDP growth target?", "2016: the result, 6.7% [2], met the target of 6.5% to 7% [1].", 2},
		// About 6.5%: 6.9% is above it by more than its rounding, no verdict.
		{"2017年是否实现了国内生产总值增长目标", "2017年实际6.9% [2],目标6.5%左右 [1],高于目标。", 2},
		{"Was the 2017 GDP growth target achieved?", "2017: the result was 6.9% [2] against a target of about 6.5% [1]: above the target.", 2},
		// The 2020 report, which would give 2019's result, is not in the corpus.
		{"Did China meet its 2019 GDP growth target?", "The corpus has no report of 2020; its figures are left out.", 1},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			t.Parallel()
			a := tableAnswer(t, tt.question, rs, cands)
			if len(a.Table.Rows) != tt.rows {
				t.Errorf("%d rows, want %d: %v", len(a.Table.Rows), tt.rows, a.Table.Rows)
			}
			if !slices.Contains(a.Table.Notes, tt.note) {
				t.Errorf("notes %q lack %q", a.Table.Notes, tt.note)
			}
			checkCited(t, a)
			if tt.rows == 2 && a.Citations[0].ReportID == a.Citations[1].ReportID {
				t.Errorf("target and result cite one report %s; want the year's and the next", a.Citations[0].ReportID)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	pct := func(v string, lo, hi float64, qual, measure string) fact.Fact {
		return fact.Fact{Indicator: "gdp", Value: v, Number: lo, Upper: hi, Unit: "%", Qualifier: qual, Measure: measure}
	}
	growth := fact.MeasureGrowth
	tests := []struct {
		name   string
		target fact.Fact
		result fact.Fact
		want   Verdict
	}{
		{"range met", pct("6.5%-7%", 6.5, 7, "", growth), pct("6.7%", 6.7, 6.7, "", growth), VerdictMet},
		{"range not met", pct("6.5%-7%", 6.5, 7, "", growth), pct("6.4%", 6.4, 6.4, "", growth), VerdictNotMet},
		{"exact met above", pct("7.5%", 7.5, 7.5, "", growth), pct("7.7%", 7.7, 7.7, "", growth), VerdictMet},
		{"about within rounding", pct("5%左右", 5, 5, "左右", growth), pct("5.2%", 5.2, 5.2, "", growth), VerdictNone},
		{"about within rounding below", pct("5%左右", 5, 5, "左右", growth), pct("4.6%", 4.6, 4.6, "", growth), VerdictNone},
		{"about above", pct("5%左右", 5, 5, "左右", growth), pct("5.6%", 5.6, 5.6, "", growth), VerdictAbove},
		{"about below", pct("5%左右", 5, 5, "左右", growth), pct("2.3%", 2.3, 2.3, "", growth), VerdictBelow},
		{"about with decimals", pct("7.5%左右", 7.5, 7.5, "左右", growth), pct("7.7%", 7.7, 7.7, "", growth), VerdictAbove},
		{"floor qualifier", pct("6%以上", 6, 6, "以上", growth), pct("8.1%", 8.1, 8.1, "", growth), VerdictMet},
		{"approximate result", pct("6%以上", 6, 6, "以上", growth), pct("近6%", 6, 6, "近", growth), VerdictNone},
		{"other unit", pct("7%", 7, 7, "", growth), fact.Fact{Indicator: "gdp", Value: "1.2万亿元", Number: 1.2e12, Upper: 1.2e12, Unit: "yuan", Measure: fact.MeasureLevel}, VerdictNone},
		{"other measure", pct("7%", 7, 7, "", growth), pct("7%", 7, 7, "", fact.MeasureShare), VerdictNone},
		{"ceiling met", fact.Fact{Indicator: "cpi", Value: "3%以内", Number: 3, Upper: 3, Unit: "%", Qualifier: "以内", Measure: fact.MeasureLimit},
			fact.Fact{Indicator: "cpi", Value: "2%", Number: 2, Upper: 2, Unit: "%", Measure: growth}, VerdictMet},
		{"ceiling not met", fact.Fact{Indicator: "cpi", Value: "3%", Number: 3, Upper: 3, Unit: "%", Measure: fact.MeasureLimit},
			fact.Fact{Indicator: "cpi", Value: "5.4%", Number: 5.4, Upper: 5.4, Unit: "%", Measure: growth}, VerdictNotMet},
		// A price index's rise of 3% points nowhere: above, not "met".
		{"rate without direction", fact.Fact{Indicator: "cpi", Value: "3%", Number: 3, Upper: 3, Unit: "%", Measure: growth},
			fact.Fact{Indicator: "cpi", Value: "3.3%", Number: 3.3, Upper: 3.3, Unit: "%", Measure: growth}, VerdictAbove},
		{"jobs floor", fact.Fact{Indicator: "new_urban_jobs", Value: "1100万人以上", Number: 1.1e7, Upper: 1.1e7, Unit: "person", Qualifier: "以上", Measure: fact.MeasureLevel},
			fact.Fact{Indicator: "new_urban_jobs", Value: "1361万人", Number: 1.361e7, Upper: 1.361e7, Unit: "person", Measure: fact.MeasureLevel}, VerdictMet},
		{"jobs about within rounding", fact.Fact{Indicator: "new_urban_jobs", Value: "1100万人左右", Number: 1.1e7, Upper: 1.1e7, Unit: "person", Qualifier: "左右", Measure: fact.MeasureLevel},
			fact.Fact{Indicator: "new_urban_jobs", Value: "1100.3万人", Number: 1.1003e7, Upper: 1.1003e7, Unit: "person", Measure: fact.MeasureLevel}, VerdictNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Judge(tt.target, tt.result); got != tt.want {
				t.Errorf("Judge(%s, %s) = %q, want %q", tt.target.Value, tt.result.Value, got, tt.want)
			}
		})
	}
}
