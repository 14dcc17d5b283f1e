package fact

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// benchParagraph is a long review paragraph dense with figures (from the
// 2026 Shanghai report, first part of the review).
const benchParagraph = "重点产业进一步提升能级、优化布局。促进重点产业创新升级，新能源、高端装备等战略性新兴产业实现较快增长，金融业、软件和信息服务业增加值分别增长9.7%、15.3%。高质量打造14个区级主导产业特色赛道集聚区，实施五个新城产业细分赛道专项规划。外贸进出口总额达到4.51万亿元、增长5.6%，其中出口增长10.8%。实际使用外资达到160.6亿美元、折合1148亿元人民币。居民人均可支配收入达到9.2万元、增长4.1%。PM2.5年均浓度为26.3微克/立方米、下降7.4%，新增公园127座，提前建成千座公园城市，累计达到1100座，89.4%的公园实现24小时开放。有效投资实现扩量提质，全社会固定资产投资增长4.6%，重大工程投资完成2510.1亿元、增长5.3%。建成高标准农田8.9万亩、累计达到120.5万亩。"

// BenchmarkExtract measures Extract on one long paragraph.
func BenchmarkExtract(b *testing.B) {
	c := Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026}
	Extract(benchParagraph, c)
	b.SetBytes(int64(len(benchParagraph)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(benchParagraph, c)
	}
}

// BenchmarkExtractReports measures Extract over every passage of the
// bundled reports (the two Wuqing reports), as indexing calls it, or of
// the corpus given with -corpus:
//
//	go test ./fact -run X -bench ExtractReports -corpus /work/shared/corpora/provincial-2026.jsonl
func BenchmarkExtractReports(b *testing.B) {
	reports := benchReports(b)
	type job struct {
		text string
		c    Context
	}
	var jobs []job
	size := 0
	var review Review
	for _, r := range reports {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			jobs = append(jobs, job{p.Text, review.Next(p, r.Year).Context(r, p)})
			size += len(p.Text)
		}
	}
	Extract("", Context{})
	b.SetBytes(int64(size))
	b.ReportAllocs()
	facts := 0
	for b.Loop() {
		facts = 0
		for _, j := range jobs {
			facts += len(Extract(j.text, j.c))
		}
	}
	b.ReportMetric(float64(len(jobs))*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
	b.ReportMetric(float64(facts)*float64(b.N)/b.Elapsed().Seconds(), "facts/s")
}

// BenchmarkReview measures Review.Next over every passage of the bundled
// reports, or of the corpus given with -corpus, in reading order (as
// indexing reads them before extracting facts):
//
//	go test ./fact -run X -bench Review -corpus /work/shared/corpora/provincial-2026.jsonl
func BenchmarkReview(b *testing.B) {
	reports := benchReports(b)
	var ps []corpus.Passage
	years := map[string]int{}
	for _, r := range reports {
		ps = append(ps, corpus.Split(r, corpus.SplitOptions{})...)
		years[r.ID] = r.Year
	}
	b.ReportAllocs()
	for b.Loop() {
		var r Review
		for _, p := range ps {
			r.Next(p, years[p.ReportID])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/passage")
}

// benchReports are the bundled reports, or those of the corpus given with
// -corpus.
func benchReports(b *testing.B) []corpus.Report {
	b.Helper()
	reports, _, err := corpus.Default()
	if *corpusPath != "" {
		dir, base := filepath.Split(*corpusPath)
		reports, _, err = corpus.Load(os.DirFS(dir+"."), base, corpus.LoadOptions{})
	}
	if err != nil {
		b.Fatal(err)
	}
	return reports
}
