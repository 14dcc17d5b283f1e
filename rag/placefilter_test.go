package rag

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// crowdedEngine indexes a 2026 report of 江西 whose jobs figure sits in a
// long paragraph about other things, and a 2025 report of 吉林 with more
// than index.CandidatesPerRanker paragraphs about jobs of workers from 江西
// (and as many about farming): for a question about 江西's jobs,
// every one of 吉林's outranks 江西's in both rankers.
func crowdedEngine(t *testing.T, vs index.VectorSearch) *Engine {
	t.Helper()
	var jl strings.Builder
	jl.WriteString("2025年吉林省政府工作报告\n\n一、2024年工作回顾\n\n")
	// Each paragraph is long enough (120 bytes, corpus.minPassageBytes)
	// to be a passage of its own rather than packed with its neighbours.
	for i := range 2 * index.CandidatesPerRanker {
		fmt.Fprintf(&jl, "江西籍城镇新增就业%d.%d万人,江西籍城镇新增就业人员多在城镇就业,江西籍城镇新增就业稳定。\n\n", i/10+1, i%10)
		fmt.Fprintf(&jl, "第%d片高标准农田建成,粮食总产量%d.%d亿斤,亩均产量比上年提高,农业机械化率继续提升。\n\n", i+1, i/10+1, i%10)
	}
	jx := "2026年江西省政府工作报告\n\n一、2025年工作回顾\n\n" +
		"全省粮食总产量438亿斤,新建高标准农田290万亩,完成造林面积120万亩,铁路营业里程达到5200公里," +
		"高速公路通车里程突破7000公里,城镇新增就业40万人,规模以上工业增加值增长8%,进出口总额增长5%。\n"
	fsys := fstest.MapFS{"jl.txt": {Data: []byte(jl.String())}, "jx.txt": {Data: []byte(jx)}}
	reports, problems, err := corpus.Load(fsys, ".", corpus.LoadOptions{})
	if err != nil || len(problems) > 0 || len(reports) != 2 {
		t.Fatalf("load: %v %v %d", err, problems, len(reports))
	}
	ix, err := index.New(newCounting(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(t.Context(), reports, index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	ix.SetVectorSearch(vs)
	e, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRetrievalKeepsToTheNamedPlace checks that a question naming a place
// searches that place's reports: its passage, which the unfiltered search
// never returns (it is outside both rankers' top CandidatesPerRanker), is
// retrieved first and answers, with either vector search.
func TestRetrievalKeepsToTheNamedPlace(t *testing.T) {
	t.Parallel()
	for _, vs := range []index.VectorSearch{index.VectorSearchChromem, index.VectorSearchInt8} {
		t.Run(string(vs), func(t *testing.T) {
			t.Parallel()
			e := crowdedEngine(t, vs)
			q, err := e.Analyze("江西城镇新增就业多少万人?")
			if err != nil {
				t.Fatal(err)
			}
			all, err := e.Index().Search(t.Context(), q.EmbedText, q.Terms, index.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if rankOf(all, "40万人") != 0 {
				t.Fatalf("unfiltered search found 江西's passage among %d; the test needs it crowded out", len(all))
			}
			hits, err := e.Retrieve(t.Context(), q, rerankK)
			if err != nil {
				t.Fatal(err)
			}
			if r := rankOf(hits, "40万人"); r != 1 {
				t.Errorf("江西's passage at rank %d of %d; want 1", r, len(hits))
			}
			for _, h := range hits {
				if !strings.Contains(h.Report.Title, "江西") {
					t.Errorf("hit of %s retrieved for a question about 江西", h.Report.Title)
				}
			}
			a, err := e.Ask(t.Context(), "江西城镇新增就业多少万人?")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, "40万") {
				t.Errorf("answer %q; want 40万", a.Text)
			}
			// A question naming no place, or a place with no report, still
			// searches every report.
			for _, question := range []string{"城镇新增就业多少万人?", "广东城镇新增就业多少万人?"} {
				q, err := e.Analyze(question)
				if err != nil {
					t.Fatal(err)
				}
				hits, err := e.Retrieve(t.Context(), q, rerankK)
				if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Report.Title, "吉林") {
					t.Errorf("%s: first hit %v, %v; want 吉林's", question, hits[:min(1, len(hits))], err)
				}
			}
		})
	}
}

// TestThisYearOfTheNamedPlace checks that "今年" in a question naming a
// place is the year of that place's newest report, and the corpus's newest
// year otherwise.
func TestThisYearOfTheNamedPlace(t *testing.T) {
	t.Parallel()
	e := crowdedEngine(t, index.VectorSearchAuto)
	tests := []struct {
		question string
		want     int
	}{
		{"吉林今年城镇新增就业多少万人?", 2025},
		{"江西今年城镇新增就业多少万人?", 2026},
		{"今年城镇新增就业多少万人?", 2026},
		{"广东今年城镇新增就业多少万人?", 2026},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			q, err := e.Analyze(tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if q.ThisYear != tt.want {
				t.Errorf("ThisYear = %d; want %d", q.ThisYear, tt.want)
			}
		})
	}
}
