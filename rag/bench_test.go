package rag

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/eval"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// Scale benchmarks: go test ./rag -run '^$' -bench Scale [-short skips 100k].
// The corpus is the bundled reports re-issued for other Tianjin districts
// with the years shifted (see scaleReports); `reportbot bench` measures the
// same on the national reports.

var scaleSizes = []int{1000, 10000, 100000}

// tianjinDistricts replace 武清 in the scale copies.
var tianjinDistricts = []string{"武清", "和平", "河东", "河西", "南开", "河北", "红桥", "东丽", "西青", "津南", "北辰", "宝坻", "宁河", "静海", "蓟州"}

// scaleReports returns copies of the bundled reports, each re-issued for a
// district with its years shifted, until they hold at least n passages.
func scaleReports(tb testing.TB, n int) []corpus.Report {
	tb.Helper()
	base := bundled(tb)
	var out []corpus.Report
	total := 0
	for k := 0; total < n; k++ {
		d, shift := tianjinDistricts[k%len(tianjinDistricts)], k/len(tianjinDistricts)
		for _, r := range base {
			v := r
			v.ID = fmt.Sprintf("%s-%d", r.ID, k)
			v.Title = shiftYearsIn(strings.ReplaceAll(r.Title, "武清", d), shift)
			v.Text = shiftYearsIn(strings.ReplaceAll(r.Text, "武清", d), shift)
			if v.Year != 0 {
				v.Year += shift
			}
			out = append(out, v)
			total += len(corpus.Split(v, corpus.SplitOptions{}))
		}
	}
	return out
}

// shiftYearsIn adds shift to years 1949..2100 written before 年.
func shiftYearsIn(s string, shift int) string {
	if shift == 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+4 < len(s) && lexical.IsDigit(s[i]) && lexical.IsDigit(s[i+1]) && lexical.IsDigit(s[i+2]) && lexical.IsDigit(s[i+3]) && strings.HasPrefix(s[i+4:], "年") && (i == 0 || !lexical.IsDigit(s[i-1])) {
			y := int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if y >= 1949 && y <= 2100 {
				fmt.Fprintf(&b, "%d", y+shift)
				i += 4
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

var scaleIndexes sync.Map // size → *Index

// scaleIndex builds (once per size and process) an index of about n passages.
func scaleIndex(b *testing.B, n int) (*index.Index, embed.Embedder) {
	b.Helper()
	emb, _ := embed.NewHash(embed.DefaultHashDim)
	if ix, ok := scaleIndexes.Load(n); ok {
		return ix.(*index.Index), emb
	}
	ix, _ := index.New(emb)
	if _, err := ix.Sync(context.Background(), scaleReports(b, n), index.SyncOptions{}); err != nil {
		b.Fatal(err)
	}
	scaleIndexes.Store(n, ix)
	return ix, emb
}

func forSizes(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 10000 && testing.Short() {
				b.Skip("-short")
			}
			f(b, n)
		})
	}
}

func devQuestions(b *testing.B) []string {
	var out []string
	for _, q := range devEvalQuestions(b) {
		out = append(out, q.Question)
	}
	return out
}

// DevEvalQuestions reads the dev questions (a copy in testdata).
func devEvalQuestions(tb testing.TB) []eval.Question {
	tb.Helper()
	f, err := os.Open("../testdata/questions.dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	qs, err := eval.ReadQuestions(f)
	if err != nil {
		tb.Fatal(err)
	}
	return qs
}

// BenchmarkScaleSync measures indexing from scratch with the offline
// embedder.
func BenchmarkScaleSync(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		reports := scaleReports(b, n)
		emb, _ := embed.NewHash(embed.DefaultHashDim)
		var passages int
		for b.Loop() {
			ix, _ := index.New(emb)
			st, err := ix.Sync(b.Context(), reports, index.SyncOptions{})
			if err != nil {
				b.Fatal(err)
			}
			passages = st.Passages
		}
		b.ReportMetric(float64(passages)*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
	})
}

// BenchmarkScaleOpen measures opening a saved index (cold start without
// the corpus check).
func BenchmarkScaleOpen(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		ix, emb := scaleIndex(b, n)
		dir := b.TempDir()
		if err := ix.Save(dir); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := index.Open(dir, emb); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScaleSearch measures retrieval (analysis and hybrid search) over
// the dev questions.
func BenchmarkScaleSearch(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		ix, _ := scaleIndex(b, n)
		e, _ := NewEngine(ix, nil, nil)
		qs := devQuestions(b)
		i := 0
		for b.Loop() {
			q, _ := e.Analyze(qs[i%len(qs)])
			if _, err := e.Retrieve(b.Context(), q, rerankK); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkScaleAsk measures a whole extractive answer.
func BenchmarkScaleAsk(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		ix, _ := scaleIndex(b, n)
		e, _ := NewEngine(ix, nil, nil)
		qs := devQuestions(b)
		i := 0
		for b.Loop() {
			if _, err := e.Ask(b.Context(), qs[i%len(qs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkScaleVectors compares the two vector searches of the index on
// the same vectors: the int8 column-major matrix and the chromem-go query.
func BenchmarkScaleVectors(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		ix, emb := scaleIndex(b, n)
		var vecs [][]float32
		for _, q := range devQuestions(b) {
			v, _ := emb.Embed(b.Context(), []string{query.Analyze(q, nil, nil).EmbedText})
			vecs = append(vecs, v[0])
		}
		b.Run("matrix", func(b *testing.B) {
			ix.SetVectorSearch(index.VectorSearchInt8)
			i := 0
			for b.Loop() {
				if _, err := ix.QueryVectors(b.Context(), vecs[i%len(vecs)], index.CandidatesPerRanker); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run("chromem-go", func(b *testing.B) {
			st, err := ix.Store(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				if _, err := st.Query(b.Context(), vecs[i%len(vecs)], index.CandidatesPerRanker); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
}
