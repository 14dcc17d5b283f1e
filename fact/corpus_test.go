package fact

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

var (
	corpusPath = flag.String("corpus", "", "a report file or directory (a .jsonl of reports) to measure Extract on")
	dump       = flag.String("dump", "", "with -corpus, write every fact to this file for review")
)

// TestCorpusThroughput measures Extract over a whole corpus given with
// -corpus: passages and facts per second, facts per report. It is skipped
// without the flag. docs/performance.md quotes it:
//
//	go test ./fact -run TestCorpusThroughput -v -corpus /work/shared/corpora/provincial-2026.jsonl
func TestCorpusThroughput(t *testing.T) {
	if *corpusPath == "" {
		t.Skip("no -corpus")
	}
	dir, base := filepath.Split(*corpusPath)
	if dir == "" {
		dir = "."
	}
	reports, _, err := corpus.Load(os.DirFS(dir), base, corpus.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		text string
		c    Context
	}
	var jobs []job
	for _, r := range reports {
		var review Review
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			jobs = append(jobs, job{p.Text, review.Next(p, r.Year).Context(r, p)})
		}
	}
	Extract("", Context{}) // load the vocabulary outside the timing
	facts, bytes := 0, 0
	const rounds = 20
	start, cpu0 := time.Now(), cpuTime()
	for range rounds {
		facts = 0
		for _, j := range jobs {
			facts += len(Extract(j.text, j.c))
			bytes += len(j.text)
		}
	}
	el := time.Since(start) / rounds
	cpu := (cpuTime() - cpu0) / rounds
	t.Logf("%d reports, %d passages, %d facts (%.0f per report) in %v: %.0f passages/s, %.0f facts/s, %.1f MB/s; "+
		"%v of CPU (all threads, GC included): %.0f passages per CPU-second",
		len(reports), len(jobs), facts, float64(facts)/float64(len(reports)), el,
		float64(len(jobs))/el.Seconds(), float64(facts)/el.Seconds(), float64(bytes)/rounds/el.Seconds()/1e6,
		cpu, float64(len(jobs))/cpu.Seconds())
	if *dump == "" {
		return
	}
	f, err := os.Create(*dump)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, j := range jobs {
		for _, fc := range Extract(j.text, j.c) {
			fmt.Fprintln(f, goldenLine(j.text, fc))
		}
	}
}
