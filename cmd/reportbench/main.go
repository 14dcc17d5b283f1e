// Command reportbench measures reportbot at scale: it builds corpora of the
// given sizes from real reports and measures, per size, each phase in a
// fresh child process: indexing time, passages/s, index size, peak RSS,
// no-change re-index, cold start, retrieval and ask latency, vector recall
// against exact float32 search, a plain chromem-go query on the same vectors
// (up to --chromem-max-size passages), and indexing against a loopback fake
// embedding API (internal/fakeembed); and the wall time of each phase.
//
//	go run ./cmd/reportbench --sizes 1000,10000,100000 [--source DIR] [--repeat N] [--json]
//
// The index, serve and api phases run in child processes of reportbench
// itself, through the same wiring as reportbot (cmd/internal/app); the
// re-index and ask wall times run the reportbot binary (--reportbot, else
// one next to this executable, else one built from this module with go
// build).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var ue usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
	case err == errUsage:
		os.Exit(2)
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		os.Exit(1)
	}
}

// errUsage reports a usage error (exit status 2) whose message the flag
// package already printed.
var errUsage = errors.New("usage")

// usageError is a usage error (exit status 2) with its message.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// run parses the flags and runs the bench, or one phase of it with --child.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reportbench", flag.ContinueOnError)
	var bf benchFlags
	fs.StringVar(&bf.sizes, "sizes", "1000,10000,100000", "comma-separated corpus sizes in passages")
	fs.StringVar(&bf.source, "source", "", "directory of real reports to scale up (default: the bundled reports)")
	fs.StringVar(&bf.work, "work", "", "work directory for scale corpora and indexes (default: a temporary directory, removed after)")
	fs.IntVar(&bf.questions, "questions", 300, "number of questions derived from the reports for latency")
	fs.StringVar(&bf.devFile, "dev-questions", "testdata/questions.dev.jsonl", "dev question file added to the latency questions when it exists")
	fs.DurationVar(&bf.apiLatency, "api-latency", 200*time.Millisecond, "latency per call of the fake embedding API (0 skips the API run)")
	fs.IntVar(&bf.apiMaxSize, "api-max-size", 10000, "largest size indexed against the fake embedding API")
	fs.IntVar(&bf.apiConc, "api-concurrency", 8, "concurrent calls to the fake embedding API")
	fs.IntVar(&bf.apiBatch, "api-batch", 128, "passages per call to the fake embedding API")
	fs.IntVar(&bf.chromemMaxSize, "chromem-max-size", 100000, "largest size at which a plain chromem-go query is timed for reference (it holds every vector a second time)")
	fs.IntVar(&bf.repeat, "repeat", 1, "measure each size this many times and report the median of every number")
	fs.BoolVar(&bf.asJSON, "json", false, "print the results as JSON")
	fs.StringVar(&bf.profileDir, "cpuprofile", "", "directory for CPU profiles of the index and serve phases (index-N.pprof, serve-N.pprof)")
	fs.StringVar(&bf.reportbot, "reportbot", "", "reportbot binary for the re-index and ask wall times (default: next to this executable, else built from this module)")
	fs.StringVar(&bf.child, "child", "", "internal: run one phase (index, serve, api) in this process")
	fs.IntVar(&bf.size, "size", 0, "internal: the size of the phase's corpus")
	fs.BoolVar(&bf.indexOnly, "index-only", false, "internal: the index phase without its re-index measurements (for profiling indexing)")
	addWeaviateFlags(fs, &bf.weaviate)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: go run ./cmd/reportbench [flags]
Builds scale corpora of the given sizes from real reports (the reports
themselves, then re-issued as province variants with the years shifted) and
measures, per size, each phase in a fresh child process: indexing time,
passages/s, index size, peak RSS, no-change re-index, cold start, retrieval
latency (p50/p95/p99 over questions derived from the reports), vector
recall@50 against exact float32 search, a plain chromem-go query on the same
vectors (up to --chromem-max-size), ask latency, and indexing against a
loopback fake embedding API; with `+weaviateBinEnv+` set, also the same
corpus in Weaviate (weaviate.go).`)
		fs.PrintDefaults()
	}
	// The flag package prints its own messages only once Parse has said
	// whether the help was asked for (stdout) or a flag was wrong (stderr).
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return err
	} else if err != nil {
		fs.SetOutput(stderr)
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return errUsage
	}
	if bf.child != "" {
		return benchChild(ctx, stdout, bf)
	}
	sizes, err := parseSizes(bf.sizes)
	if err != nil {
		return usageError{err}
	}
	if bf.weaviate.poll <= 0 {
		return usageError{fmt.Errorf("bench: --weaviate-poll is %s: use a positive duration such as 50ms", bf.weaviate.poll)}
	}
	work := bf.work
	if work == "" {
		dir, err := os.MkdirTemp("", "reportbot-bench-")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	rep, err := bench(ctx, stderr, work, sizes, bf)
	if err != nil {
		return err
	}
	if bf.asJSON {
		return writeJSON(stdout, rep)
	}
	return printBench(stdout, rep)
}

// benchFlags are the command's flags (see run).
type benchFlags struct {
	sizes      string
	source     string
	work       string
	questions  int
	devFile    string
	apiLatency time.Duration
	apiMaxSize int
	apiConc    int
	apiBatch   int
	// chromemMaxSize is the largest size at which the serve phase builds a
	// chromem-go collection to time its query.
	chromemMaxSize int
	repeat         int
	asJSON         bool
	profileDir     string
	reportbot      string
	child          string
	size           int
	indexOnly      bool
	weaviate       weaviateFlags
}

// parseSizes reads the --sizes list.
func parseSizes(list string) ([]int, error) {
	var sizes []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bench: --sizes: %q is not a positive number", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// writeJSON prints v as indented JSON with Chinese and "<>&" kept readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
