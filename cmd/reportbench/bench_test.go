package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
)

// TestMain lets the test binary stand in for reportbench when the bench
// starts it as a child process for one phase.
func TestMain(m *testing.M) {
	if os.Getenv(benchChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "reportbench:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestScaleCorpus(t *testing.T) {
	t.Parallel()
	base, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	split := corpus.SplitOptions{MaxRunes: config.Default().Corpus.MaxPassageRunes}
	for _, n := range []int{50, 84, 300, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "corpus")
			got, err := writeScaleCorpus(dir, base, n, split)
			if err != nil {
				t.Fatal(err)
			}
			if got != n {
				t.Errorf("writeScaleCorpus(%d) made %d passages", n, got)
			}
			reports, problems, err := corpus.Load(os.DirFS(dir), ".", corpus.LoadOptions{})
			if err != nil || len(problems) > 0 {
				t.Fatalf("loading the scale corpus: %v %v", err, problems)
			}
			total := 0
			for _, r := range reports {
				total += len(corpus.Split(r, split))
			}
			if total != n {
				t.Errorf("the written scale corpus loads as %d passages, want %d", total, n)
			}
		})
	}
}

func TestVariantReport(t *testing.T) {
	t.Parallel()
	r := corpus.Report{Title: "2018年中华人民共和国国务院政府工作报告", Year: 2018,
		Text: "2017年全国城镇新增就业1351万人。我国经济总量达到82.7万亿元。2018年国务院将继续推进改革。"}
	tests := []struct {
		v           int
		title, text string
		year        int
	}{
		{0, r.Title, r.Text, 2018},
		{1, "2019年北京市人民政府政府工作报告", "2018年全市城镇新增就业1351万人。我市经济总量达到82.7万亿元。2019年北京市人民政府将继续推进改革。", 2019},
		{3, "2021年河北省人民政府政府工作报告", "2020年全省城镇新增就业1351万人。我省经济总量达到82.7万亿元。2021年河北省人民政府将继续推进改革。", 2021},
	}
	for _, tt := range tests {
		got := variantReport(r, tt.v)
		if got.Title != tt.title || got.Text != tt.text || got.Year != tt.year {
			t.Errorf("variantReport(v=%d) = %q %q %d, want %q %q %d", tt.v, got.Title, got.Text, got.Year, tt.title, tt.text, tt.year)
		}
	}
}

// TestBenchSmall builds reportbench and reportbot and runs the bench end to
// end at a small size (each phase in a child process), with the fake
// embedding API.
func TestBenchSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes and builds reportbot")
	}
	t.Parallel()
	// The bench runs as the binary a user builds (its phases in child
	// processes of it), not inside this test binary: under the race
	// detector the phases would take most of this package's time.
	bin := t.TempDir()
	for _, pkg := range []string{".", "../reportbot"} {
		if msg, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), filepath.Join(bin, "reportbench"), "--sizes", "200,150", "--chromem-max-size", "175",
		"--questions", "12", "--json", "--work", t.TempDir(), "--dev-questions", "", "--api-latency", "20ms", "--api-concurrency", "4")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out := stdout.String()
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json printed invalid JSON: %v\n%s", err, out)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("got %d results, want 2", len(rep.Results))
	}
	r, small := rep.Results[0], rep.Results[1]
	checks := []struct {
		name string
		ok   bool
	}{
		{"passages", r.Passages == 200 && small.Passages == 150},
		{"index time", r.IndexSeconds > 0 && r.PassagesPerSec > 0},
		{"index size", r.IndexBytes > 0},
		{"peak RSS", r.IndexPeakRSS > 0 && r.ServePeakRSS > 0},
		{"re-index", r.ReindexSeconds > 0 && r.TouchedSeconds > 0 && r.ResyncSeconds > 0},
		{"cold start", r.ColdStartSeconds > 0},
		{"questions", r.Questions == 12 && r.Retrieval.N == r.Questions && r.Ask.N == r.Questions},
		{"latency", r.Retrieval.P50 > 0 && r.Retrieval.P99 >= r.Retrieval.P50 && r.Vector.P50 > 0},
		{"chromem-go above --chromem-max-size", r.Chromem == nil && r.ExactMatchesChromem == nil},
		{"chromem-go up to --chromem-max-size", small.Chromem != nil && small.Chromem.P50 > 0 &&
			small.ExactMatchesChromem != nil && *small.ExactMatchesChromem > 0.95},
		{"recall", r.VectorRecall > 0.5 && r.VectorRecall <= 1 && small.VectorRecall > 0.5 && small.VectorRecall <= 1},
		{"vector backend", r.VectorBackend == "chromem"},
		{"ask process", r.AskProcessMs > 0},
		{"fake API", r.APICalls > 0 && r.APIIndexSeconds > 0},
		{"bench time", r.BenchSeconds > 0 && r.BenchSeconds >= r.Phases["index"]+r.Phases["serve"] && rep.SetupSeconds > 0},
		{"phase times", r.Phases["corpus"] > 0 && r.Phases["reindex"] > 0 && r.Phases["serve_exact"] > 0 &&
			r.Phases["serve_chromem"] == 0 && small.Phases["serve_chromem"] > 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: implausible results %+v\n%+v", c.name, r, small)
		}
	}
	// The table form names every column.
	var sb strings.Builder
	if err := printBench(&sb, rep); err != nil || !strings.Contains(sb.String(), "chromem p50") || !strings.Contains(sb.String(), "200 passages: ") {
		t.Errorf("printBench: %v\n%s", err, sb.String())
	}
}

func TestPrintBench(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    benchResult
		want []string // regular expressions
	}{
		{"chromem-go measured", benchResult{Passages: 1000, Chromem: &latency{P50: 1.25, P99: 2.5}, BenchSeconds: 12,
			Phases: map[string]float64{"corpus": 1, "index": 2, "serve": 6, "serve_open": 0.5, "serve_chromem": 3, "ask_process": 3}},
			[]string{`\s1\.25\s+2\.50\s`, `1000 passages: 12\.0 s: scale corpus 1\.0 s, index phase 2\.0 s, serve phase 6\.0 s \(open 0\.5 s, chromem-go 3\.0 s\), 5 ask processes 3\.0 s\n`}},
		{"chromem-go not measured", benchResult{Passages: 2000, BenchSeconds: 30,
			Phases: map[string]float64{"corpus": 1, "serve": 6, "serve_exact": 4}},
			[]string{`\s-\s+-\s`, `2000 passages: 30\.0 s: scale corpus 1\.0 s, serve phase 6\.0 s \(exact top 50 4\.0 s\)\n`}},
		{"Weaviate only", benchResult{Passages: 3000, Weaviate: &weaviateResult{Nodes: 1, Replication: 1, Passages: 3000, SearchablePerSec: 900},
			Phases: map[string]float64{"corpus": 1, "weaviate": 20}},
			[]string{`^reportbot bench[^\n]*\n\nwall time`, `3000 passages  Weaviate searchable, one node  900 passages/s  ≥ 1000 passages/s  FAIL\n`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sb strings.Builder
			r := tt.r
			if r.Weaviate != nil {
				r.Budgets = checkBudgets(r, false)
			}
			if err := printBench(&sb, benchReport{SetupSeconds: 2, Results: []benchResult{r}}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !regexp.MustCompile(w).MatchString(sb.String()) {
					t.Errorf("printBench printed\n%s\nwant it to match %q", sb.String(), w)
				}
			}
		})
	}
}

// TestCancelledChildStopsCleanly: an interrupted bench interrupts its child
// phase, which then stops what it started (the Weaviate column's nodes),
// rather than killing it (which left the nodes running).
func TestCancelledChildStopsCleanly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	child := filepath.Join(dir, "child")
	script := "#!/bin/sh\ntrap 'echo stopped > " + dir + "/stopped; exit 1' INT\ntouch " + dir + "/ready\nwhile :; do sleep 0.05; done\n"
	if err := os.WriteFile(child, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- benchRunChild(ctx, child, &benchResult{}, "weaviate", nil) }()
	for {
		if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the child ended before it was cancelled: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("a cancelled child phase returned no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "stopped")); err != nil {
		t.Errorf("the cancelled child was not interrupted (killed?): %v", err)
	}
}
