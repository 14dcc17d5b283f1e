package index

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/fact"
)

func TestForChunks(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, size, workers int }{
		{0, 4, 2}, {1, 4, 2}, {10, 3, 1}, {10, 3, 2}, {1000, 7, 8}, {5, 10, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d rows by %d on %d", tt.n, tt.size, tt.workers), func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			seen := make([]int, tt.n)
			chunks := map[int][2]int{}
			forChunks(tt.n, tt.size, tt.workers, func(c, lo, hi int) {
				mu.Lock()
				defer mu.Unlock()
				chunks[c] = [2]int{lo, hi}
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, k := range seen {
				if k != 1 {
					t.Errorf("row %d seen %d times, want once", i, k)
				}
			}
			for c, r := range chunks {
				if want := [2]int{c * tt.size, min((c+1)*tt.size, tt.n)}; r != want {
					t.Errorf("chunk %d = rows %v, want %v", c, r, want)
				}
			}
		})
	}
}

// TestSplitReportsMatchesSerial: splitting on several goroutines gives the
// passages, in order, with the embed keys, that splitting one report after
// the other gives.
func TestSplitReportsMatchesSerial(t *testing.T) {
	t.Parallel()
	reports := bundled(t)
	opt := corpus.SplitOptions{MaxRunes: 120}
	var want []Passage
	for _, r := range reports {
		meta := r
		meta.Text = ""
		for _, p := range corpus.Split(r, opt) {
			want = append(want, Passage{Passage: p, EmbedKey: embedKey(meta, p)})
		}
	}
	for _, workers := range []int{1, 2, 7} {
		got := splitReports(reports, opt, workers)
		if !slices.EqualFunc(got, want, func(a, b Passage) bool {
			return a.ID == b.ID && a.EmbedKey == b.EmbedKey && a.Text == b.Text && a.Start == b.Start
		}) {
			t.Errorf("%d workers: %d passages differ from the %d split serially", workers, len(got), len(want))
		}
	}
	if got := splitReports(nil, opt, 2); len(got) != 0 {
		t.Errorf("no reports: %d passages", len(got))
	}
}

// TestIndexFactsMatchesSerial: the facts and the lookup by indicator that
// indexFacts builds on several goroutines are those of extracting passage
// after passage.
func TestIndexFactsMatchesSerial(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	want := map[string][]int32{}
	var review fact.Review
	for i, p := range ix.passages {
		r := ix.reports[p.ReportID]
		fs := factsOfPassage(r, p.Passage, review.Next(p.Passage, r.Year))
		if len(fs) == 0 != (p.Facts == nil) {
			t.Errorf("passage %d: %d facts, encoded %d bytes", i, len(fs), len(p.Facts))
		}
		for _, f := range fs {
			if rows := want[f.Indicator]; f.Indicator != "" && (len(rows) == 0 || rows[len(rows)-1] != int32(i)) {
				want[f.Indicator] = append(rows, int32(i))
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("no facts about an indicator in the bundled reports")
	}
	if !maps.EqualFunc(ix.byIndicator, want, slices.Equal) {
		t.Errorf("lookup by indicator differs from the serial one")
	}
	// Extracted from a copy of the passages (as Sync does after its plan):
	// the same facts, and the lookup of any rows kept.
	ps := slices.Clone(ix.passages)
	found := extractFacts(ps, ix.reports)
	if !maps.EqualFunc(lookupByIndicator(found, nil), want, slices.Equal) {
		t.Errorf("lookup of extractFacts differs from the serial one")
	}
	rowOf := make([]int32, len(ps)) // every other passage kept
	wantOdd := map[string][]int32{}
	for i := range rowOf {
		rowOf[i] = -1
		if i%2 == 1 {
			rowOf[i] = int32(i / 2)
		}
	}
	for ind, rows := range want {
		for _, r := range rows {
			if r%2 == 1 {
				wantOdd[ind] = append(wantOdd[ind], r/2)
			}
		}
	}
	if got := lookupByIndicator(found, rowOf); !maps.EqualFunc(got, wantOdd, slices.Equal) {
		t.Errorf("lookup of every other passage differs")
	}
	for i := range ps {
		if !bytes.Equal(ps[i].Facts, ix.passages[i].Facts) {
			t.Fatalf("passage %d: extractFacts encoded other facts", i)
		}
	}
	facts := make([][]byte, len(ix.passages))
	for i, p := range ix.passages {
		facts[i] = p.Facts
	}
	for _, tt := range []struct {
		chunk, workers int
		loaded         bool // decoded from the encoded facts (an index file without the lookup)
	}{{1, 2, false}, {5, 3, false}, {7, 2, true}, {1000, 1, true}} {
		ix.byIndicator, ix.factsLoaded = nil, tt.loaded
		ix.indexFactsIn(tt.chunk, tt.workers)
		if !maps.EqualFunc(ix.byIndicator, want, slices.Equal) {
			t.Errorf("chunks of %d on %d goroutines, loaded %v: lookup differs from the serial one", tt.chunk, tt.workers, tt.loaded)
		}
		for i, p := range ix.passages {
			if !bytes.Equal(p.Facts, facts[i]) {
				t.Fatalf("chunks of %d on %d goroutines, loaded %v: passage %d: facts differ", tt.chunk, tt.workers, tt.loaded, i)
			}
		}
	}
}

// TestExtractFactsScopes: a paragraph's scope comes from the paragraphs
// before it (fact.Review), so it holds when they fall in other chunks and
// on other goroutines, and does not cross into another report.
func TestExtractFactsScopes(t *testing.T) {
	t.Parallel()
	const heading = "一、“十四五”时期和2025年工作回顾"
	reports := map[string]corpus.Report{"henan": {ID: "henan", Year: 2026}, "hainan": {ID: "hainan", Year: 2026}}
	period := corpus.Period{Year: 2025, Kind: corpus.PeriodActual}
	var ps []Passage
	for _, p := range []struct{ report, text string }{
		{"henan", "过去的五年极不寻常。"},
		{"henan", "民生福祉不断增进。"},
		{"henan", "城镇新增就业603.7万人。"},
		{"henan", "刚刚过去的2025年很不平凡。"},
		{"henan", "城镇新增就业121.7万人。"},
		{"henan", "五年来，民生福祉不断增进。"},
		{"hainan", "城镇新增就业17.78万人。"},
	} {
		var headings []string
		if p.report == "henan" {
			headings = []string{heading}
		}
		ps = append(ps, Passage{Passage: corpus.Passage{ReportID: p.report, HeadingPath: headings, Period: period, Part: 1, Text: p.text}})
	}
	// Henan's heading opens with the five years, its fourth paragraph
	// with 2025; Hainan's report starts afresh.
	want := map[int]fact.Kind{2: fact.KindFiveYears, 4: fact.KindResult, 6: fact.KindResult}
	for _, chunkRows := range []int{1, 2, 6} {
		extractFactsIn(ps, reports, chunkRows, 2)
		for i, kind := range want {
			fs, err := fact.ReadFacts(ps[i].Facts)
			if err != nil || len(fs) != 1 || fs[0].Kind != kind {
				t.Errorf("chunks of %d, passage %d (%s): %+v, %v; want one fact of kind %s", chunkRows, i, ps[i].Text, fs, err, kind)
			}
		}
	}
}

func TestAppendEmbedText(t *testing.T) {
	t.Parallel()
	p := corpus.Passage{Text: "新增就业3.4万人", HeadingPath: []string{"二、2018年主要任务", "(一)就业"}}
	tests := []struct {
		name string
		r    corpus.Report
		p    corpus.Passage
	}{
		{"year in the title", corpus.Report{Title: "2018年政府工作报告", Year: 2018}, p},
		{"year not in the title", corpus.Report{Title: "政府工作报告", Year: 2018}, p},
		{"no year", corpus.Report{Title: "政府工作报告"}, p},
		{"negative year", corpus.Report{Title: "x", Year: -5}, p},
		{"no heading", corpus.Report{Title: "政府工作报告", Year: 2019}, corpus.Passage{Text: "text"}},
		{"empty", corpus.Report{}, corpus.Passage{}},
	}
	for _, r := range bundled(t) {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			tests = append(tests, struct {
				name string
				r    corpus.Report
				p    corpus.Passage
			}{r.ID, r, p})
		}
	}
	buf := []byte("left over")
	for _, tt := range tests {
		buf = appendEmbedText(buf[:0], tt.r, tt.p)
		if want := EmbedText(tt.r, tt.p); string(buf) != want {
			t.Errorf("%s: appendEmbedText = %q, want %q", tt.name, buf, want)
		}
		var key string
		if key, buf = appendEmbedKey(buf, tt.r, tt.p); key != embedKey(tt.r, tt.p) {
			t.Errorf("%s: appendEmbedKey = %q, want %q", tt.name, key, embedKey(tt.r, tt.p))
		}
	}
}

// TestSyncIntoEmbedderSameResult: Sync with the hash embedder itself,
// which writes its vectors into a buffer each goroutine reuses, builds the
// index that the same embedder behind a plain Embedder builds.
func TestSyncIntoEmbedderSameResult(t *testing.T) {
	t.Parallel()
	want := testIndex(t)
	h, err := embed.NewHash(embed.DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []int{1, 3} {
		ix, err := New(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Sync(t.Context(), bundled(t), SyncOptions{BatchSize: 7, Concurrency: c}); err != nil {
			t.Fatal(err)
		}
		assertSameIndex(t, ix, want)
	}
}
