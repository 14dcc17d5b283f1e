package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
)

// benchChildEnv marks a process started by the bench for one phase, so that
// a test binary standing in for reportbench runs the command instead of
// tests.
const benchChildEnv = "REPORTBOT_BENCH_CHILD"

// bench measures every size in work, progress on stderr.
func bench(ctx context.Context, stderr io.Writer, work string, sizes []int, bf benchFlags) (benchReport, error) {
	setup := time.Now()
	defaults := config.Default()
	rep := benchReport{Date: time.Now().Format("2006-01-02"), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Source: cmp.Or(bf.source, "bundled"), Embedder: benchEmbedderID()}
	log := app.NewLogger(stderr, config.Log{Level: "warn", Format: "text"})
	base, _, err := app.LoadReports(ctx, config.Corpus{Dir: bf.source, MaxFileMB: defaults.Corpus.MaxFileMB}, log)
	if err != nil {
		return rep, fmt.Errorf("bench: %w", err)
	}
	qs, err := benchQuestions(base, bf.questions, bf.devFile)
	if err != nil {
		return rep, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return rep, fmt.Errorf("bench: %w", err)
	}
	qfile := filepath.Join(work, "questions.txt")
	if err := os.WriteFile(qfile, []byte(strings.Join(qs, "\n")+"\n"), 0o644); err != nil {
		return rep, fmt.Errorf("bench: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return rep, fmt.Errorf("bench: %w", err)
	}
	bins := binaries{self: self}
	if bins.reportbot, err = reportbotBinary(ctx, bf.reportbot, self, work, stderr); err != nil {
		return rep, err
	}
	rep.SetupSeconds = time.Since(setup).Seconds()
	split := corpus.SplitOptions{MaxRunes: defaults.Corpus.MaxPassageRunes}
	for _, n := range sizes {
		start := time.Now()
		cdir := filepath.Join(work, fmt.Sprintf("corpus-%d", n))
		fmt.Fprintf(stderr, "bench: %d passages: scale corpus\n", n)
		if _, err := writeScaleCorpus(cdir, base, n, split); err != nil {
			return rep, err
		}
		corpusSeconds := time.Since(start).Seconds()
		var runs []benchResult
		for range max(1, bf.repeat) {
			res, err := benchSize(ctx, stderr, bins, work, cdir, n, qs, bf)
			if err != nil {
				return rep, err
			}
			runs = append(runs, res)
		}
		res, err := medianResult(runs)
		if err != nil {
			return rep, err
		}
		res.Phases["corpus"] = corpusSeconds
		res.BenchSeconds = time.Since(start).Seconds()
		res.Budgets = checkBudgets(res, measuredLocally(res))
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// binaries are the executables the bench starts: itself, for the phases,
// and reportbot, for the wall times of its commands.
type binaries struct{ self, reportbot string }

// reportbotBinary returns the reportbot executable: path when set, else
// reportbot next to self (both installed by go install), else one built
// from this module into work (go run ./cmd/reportbench from the module).
func reportbotBinary(ctx context.Context, path, self, work string, stderr io.Writer) (string, error) {
	if path != "" {
		return path, nil
	}
	name := "reportbot"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if sibling := filepath.Join(filepath.Dir(self), name); sibling != self {
		if fi, err := os.Stat(sibling); err == nil && fi.Mode().IsRegular() {
			return sibling, nil
		}
	}
	out := filepath.Join(work, name)
	fmt.Fprintf(stderr, "bench: building reportbot into %s\n", out)
	build := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/reportbot/reportbot/cmd/reportbot")
	if msg, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench: building reportbot (run from the module, or pass --reportbot PATH): %w\n%s", err, msg)
	}
	return out, nil
}

// benchSize measures one size once, each phase in a fresh process.
func benchSize(ctx context.Context, stderr io.Writer, bins binaries, work, cdir string, n int, qs []string, bf benchFlags) (benchResult, error) {
	res := benchResult{Size: n, Phases: map[string]float64{}}
	timed := func(key string, f func() error) error {
		t := time.Now()
		err := f()
		res.Phases[key] += time.Since(t).Seconds()
		return err
	}
	if bf.weaviate.only {
		return res, timed("weaviate", func() error { return benchWeaviate(ctx, stderr, bins, &res, n, bf) })
	}
	ddir := filepath.Join(work, fmt.Sprintf("data-%d", n))
	if err := os.RemoveAll(ddir); err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	fmt.Fprintf(stderr, "bench: %d passages: indexing\n", n)
	common := []string{"--size", strconv.Itoa(n), "--work", work, "--chromem-max-size", strconv.Itoa(bf.chromemMaxSize)}
	if bf.profileDir != "" {
		common = append(common, "--cpuprofile", bf.profileDir)
	}
	if err := timed("index", func() error { return benchRunChild(ctx, bins.self, &res, "index", common) }); err != nil {
		return res, err
	}
	fmt.Fprintf(stderr, "bench: %d passages: re-index, cold start, questions\n", n)
	var walls []time.Duration
	err := timed("reindex", func() (err error) {
		walls, err = timeProcesses(ctx, bins.reportbot, 3, func(int) []string { return []string{"index", "--corpus", cdir, "--data", ddir} })
		return err
	})
	if err != nil {
		return res, err
	}
	res.ReindexSeconds = median(walls).Seconds()
	if err := timed("serve", func() error { return benchRunChild(ctx, bins.self, &res, "serve", common) }); err != nil {
		return res, err
	}
	err = timed("ask_process", func() (err error) {
		walls, err = timeProcesses(ctx, bins.reportbot, 5, func(i int) []string {
			return []string{"ask", "--corpus", cdir, "--data", ddir, qs[i*len(qs)/5]}
		})
		return err
	})
	if err != nil {
		return res, err
	}
	res.AskProcessMs = float64(median(walls)) / 1e6
	if bf.apiLatency > 0 && n <= bf.apiMaxSize {
		fmt.Fprintf(stderr, "bench: %d passages: indexing against the fake API (%s per call, %d at once, %d passages per call)\n", n, bf.apiLatency, bf.apiConc, bf.apiBatch)
		api := append([]string{"--api-latency", bf.apiLatency.String(), "--api-concurrency", strconv.Itoa(bf.apiConc),
			"--api-batch", strconv.Itoa(bf.apiBatch)}, common...)
		if err := timed("api", func() error { return benchRunChild(ctx, bins.self, &res, "api", api) }); err != nil {
			return res, err
		}
	}
	if bf.weaviate.bin == "" {
		return res, nil
	}
	return res, timed("weaviate", func() error { return benchWeaviate(ctx, stderr, bins, &res, n, bf) })
}

// timeProcesses runs bin n times, run i with args(i), and returns their
// wall times (benchTimeProcess).
func timeProcesses(ctx context.Context, bin string, n int, args func(i int) []string) ([]time.Duration, error) {
	var walls []time.Duration
	for i := range n {
		d, err := benchTimeProcess(ctx, bin, args(i)...)
		if err != nil {
			return nil, err
		}
		walls = append(walls, d)
	}
	return walls, nil
}

// childStopWait is how long a cancelled child phase has, after its
// interrupt, to clean up before it is killed: the Weaviate column stops its
// nodes (scripts/weaviate.sh gives a node 30 s before SIGKILL).
const childStopWait = 2 * time.Minute

// benchRunChild runs phase in a child process of exe and merges the JSON
// it prints into res. When ctx is cancelled (the bench interrupted), the
// child is interrupted rather than killed, so that it stops what it started:
// a killed Weaviate column left its nodes running, and they skewed every
// later measurement on the machine.
func benchRunChild(ctx context.Context, exe string, res *benchResult, phase string, args []string) error {
	cmd := exec.CommandContext(ctx, exe, append([]string{"--child", phase}, args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = childStopWait
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bench: --child %s: %w\n%s", phase, err, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), res); err != nil {
		return fmt.Errorf("bench: --child %s: bad output: %w", phase, err)
	}
	return nil
}

// benchTimeProcess runs exe with args and returns its wall time.
func benchTimeProcess(ctx context.Context, exe string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("bench: reportbot %s: %w\n%s", args[0], err, errb.String())
	}
	return time.Since(start), nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("bench: no questions")
	}
	return out, nil
}
