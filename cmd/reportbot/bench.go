package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/chromemstore"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/openai/openaitest"
)

// benchChildEnv marks a process started by bench for one phase, so that a
// test binary standing in for reportbot runs the command instead of tests.
const benchChildEnv = "REPORTBOT_BENCH_CHILD"

// benchResult is what bench measures at one corpus size.
type benchResult struct {
	Size     int `json:"size"`
	Passages int `json:"passages"`
	Reports  int `json:"reports"`
	// Indexing from scratch, offline embedder: load, split, embed, save.
	IndexSeconds   float64 `json:"index_s"`
	PassagesPerSec float64 `json:"passages_per_s"`
	IndexBytes     int64   `json:"index_bytes"`
	IndexPeakRSS   int64   `json:"index_peak_rss_bytes"`
	// `reportbot index` again on the unchanged corpus (process wall time,
	// median of 3); the same when every corpus file was touched (times
	// changed, content not: settled by content hashes); and when the corpus
	// state was lost (re-read, re-split, nothing embedded).
	ReindexSeconds float64 `json:"reindex_nochange_s"`
	TouchedSeconds float64 `json:"reindex_touched_s"`
	ResyncSeconds  float64 `json:"resync_nochange_s"`
	// Cold start: open the index and check the corpus, ready to answer, in a
	// fresh process.
	ColdStartSeconds float64 `json:"cold_start_s"`
	Questions        int     `json:"questions"`
	// Retrieval: query analysis and hybrid search (query embedding, vector
	// scan, BM25, fusion, period weighting) for the 30 candidates Ask reads.
	Retrieval latency `json:"retrieval_ms"`
	// VectorBackend is what answered the vector half (store.chromem.
	// vector_search auto: chromem below rag.QuantizedFrom passages, int8
	// from there on). Vector: that vector search alone (k=50); Chromem:
	// chromem-go's QueryEmbedding on the embedder's exact float32 vectors
	// (k=50), the plain vector search.
	VectorBackend string  `json:"vector_backend"`
	Vector        latency `json:"vector_ms"`
	Chromem       latency `json:"chromem_ms"`
	// VectorRecall is the share of chromem-go's exact top 50 that the
	// index's vector search returns in its top 50, averaged over the
	// questions.
	VectorRecall float64 `json:"vector_recall_at_50"`
	// Ask: Engine.Ask in a running process (retrieval, evidence scoring,
	// answer); AskProcessMs: `reportbot ask` wall time, median of 5.
	Ask          latency `json:"ask_ms"`
	AskProcessMs float64 `json:"ask_process_ms"`
	ServePeakRSS int64   `json:"serve_peak_rss_bytes"`
	// Indexing against the fake embedding API.
	APILatencyMs    float64 `json:"api_latency_ms,omitempty"`
	APIConcurrency  int     `json:"api_concurrency,omitempty"`
	APIBatch        int     `json:"api_batch,omitempty"`
	APICalls        int     `json:"api_calls,omitempty"`
	APIIndexSeconds float64 `json:"api_index_s,omitempty"`
}

// latency summarises samples in milliseconds.
type latency struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Mean float64 `json:"mean"`
}

func summarize(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	ms := make([]float64, len(ds))
	var sum float64
	for i, d := range ds {
		ms[i] = float64(d) / 1e6
		sum += ms[i]
	}
	slices.Sort(ms)
	rank := func(p float64) float64 { // nearest rank
		i := int(p*float64(len(ms))+0.999999) - 1
		return ms[min(max(i, 0), len(ms)-1)]
	}
	return latency{N: len(ms), P50: rank(0.50), P95: rank(0.95), P99: rank(0.99), Mean: sum / float64(len(ms))}
}

// benchReport is bench's JSON output.
type benchReport struct {
	Date       string        `json:"date"`
	GoVersion  string        `json:"go_version"`
	OS         string        `json:"os"`
	CPUs       int           `json:"cpus"`
	GOMAXPROCS int           `json:"gomaxprocs"`
	Source     string        `json:"source"`
	Embedder   string        `json:"embedder"`
	Results    []benchResult `json:"results"`
}

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
	repeat     int
	asJSON     bool
	profileDir string
	child      string
	size       int
}

func cmdBench(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
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
	fs.IntVar(&bf.repeat, "repeat", 1, "measure each size this many times and report the median of every number")
	fs.BoolVar(&bf.asJSON, "json", false, "print the results as JSON")
	fs.StringVar(&bf.profileDir, "cpuprofile", "", "directory for CPU profiles of the index and serve phases (index-N.pprof, serve-N.pprof)")
	fs.StringVar(&bf.child, "child", "", "internal: run one phase (index, serve, api) in this process")
	fs.IntVar(&bf.size, "size", 0, "internal: the size of the phase's corpus")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: reportbot bench [flags]
Builds scale corpora of the given sizes from real reports (the reports
themselves, then re-issued as province variants with the years shifted) and
measures, per size, each phase in a fresh child process: indexing time,
passages/s, index size, peak RSS, no-change re-index, cold start, retrieval
latency (p50/p95/p99 over questions derived from the reports) next to a plain
chromem-go query on the same vectors, ask latency, and indexing against a
loopback fake embedding API.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if bf.child != "" {
		return benchChild(ctx, env, bf)
	}
	var sizes []int
	for _, s := range strings.Split(bf.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fs.Usage()
			return fmt.Errorf("bench: --sizes: %q is not a positive number", s)
		}
		sizes = append(sizes, n)
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
	log := newLogger(env.stderr, config.Log{Level: "warn", Format: "text"})
	base, _, err := loadReports(config.Corpus{Dir: bf.source, MaxFileMB: config.Default().Corpus.MaxFileMB}, log)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	qs, err := benchQuestions(base, bf.questions, bf.devFile)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	qfile := filepath.Join(work, "questions.txt")
	if err := os.WriteFile(qfile, []byte(strings.Join(qs, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	rep := benchReport{Date: time.Now().Format("2006-01-02"), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Source: cmpOr(bf.source, "bundled"), Embedder: benchEmbedderID()}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	split := corpus.SplitOptions{MaxRunes: config.Default().Corpus.MaxPassageRunes}
	for _, n := range sizes {
		cdir := filepath.Join(work, fmt.Sprintf("corpus-%d", n))
		if _, err := writeScaleCorpus(cdir, base, n, split); err != nil {
			return err
		}
		var runs []benchResult
		for range max(1, bf.repeat) {
			res, err := benchSize(ctx, env, exe, work, cdir, n, qs, bf)
			if err != nil {
				return err
			}
			runs = append(runs, res)
		}
		res, err := medianResult(runs)
		if err != nil {
			return err
		}
		rep.Results = append(rep.Results, res)
	}
	if bf.asJSON {
		return writeJSON(env.stdout, rep)
	}
	return printBench(env.stdout, rep)
}

// benchSize measures one size once, each phase in a fresh process.
func benchSize(ctx context.Context, env *environment, exe, work, cdir string, n int, qs []string, bf benchFlags) (benchResult, error) {
	res := benchResult{Size: n}
	ddir := filepath.Join(work, fmt.Sprintf("data-%d", n))
	if err := os.RemoveAll(ddir); err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	fmt.Fprintf(env.stderr, "bench: %d passages: indexing\n", n)
	common := []string{"--size", strconv.Itoa(n), "--work", work}
	if bf.profileDir != "" {
		common = append(common, "--cpuprofile", bf.profileDir)
	}
	if err := benchRunChild(ctx, exe, env, &res, append([]string{"bench", "--child", "index"}, common...)); err != nil {
		return res, err
	}
	fmt.Fprintf(env.stderr, "bench: %d passages: re-index, cold start, questions\n", n)
	var walls []time.Duration
	for range 3 {
		d, err := benchTimeProcess(ctx, exe, "index", "--corpus", cdir, "--data", ddir)
		if err != nil {
			return res, err
		}
		walls = append(walls, d)
	}
	res.ReindexSeconds = median(walls).Seconds()
	if err := benchRunChild(ctx, exe, env, &res, append([]string{"bench", "--child", "serve"}, common...)); err != nil {
		return res, err
	}
	walls = walls[:0]
	for i := range 5 {
		d, err := benchTimeProcess(ctx, exe, "ask", "--corpus", cdir, "--data", ddir, qs[i*len(qs)/5])
		if err != nil {
			return res, err
		}
		walls = append(walls, d)
	}
	res.AskProcessMs = float64(median(walls)) / 1e6
	if bf.apiLatency > 0 && n <= bf.apiMaxSize {
		fmt.Fprintf(env.stderr, "bench: %d passages: indexing against the fake API (%s per call, %d at once, %d passages per call)\n", n, bf.apiLatency, bf.apiConc, bf.apiBatch)
		api := append([]string{"bench", "--child", "api", "--api-latency", bf.apiLatency.String(), "--api-concurrency", strconv.Itoa(bf.apiConc),
			"--api-batch", strconv.Itoa(bf.apiBatch)}, common...)
		if err := benchRunChild(ctx, exe, env, &res, api); err != nil {
			return res, err
		}
	}
	return res, nil
}

// medianResult is the median of every number over runs.
func medianResult(runs []benchResult) (benchResult, error) {
	if len(runs) == 1 {
		return runs[0], nil
	}
	var maps []map[string]any
	for _, r := range runs {
		b, err := json.Marshal(r)
		if err != nil {
			return benchResult{}, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return benchResult{}, err
		}
		maps = append(maps, m)
	}
	var med func(ms []map[string]any) map[string]any
	med = func(ms []map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range ms[0] {
			switch v.(type) {
			case float64:
				var xs []float64
				for _, m := range ms {
					x, _ := m[k].(float64)
					xs = append(xs, x)
				}
				slices.Sort(xs)
				out[k] = xs[len(xs)/2]
			case map[string]any:
				var sub []map[string]any
				for _, m := range ms {
					x, _ := m[k].(map[string]any)
					sub = append(sub, x)
				}
				out[k] = med(sub)
			default:
				out[k] = v
			}
		}
		return out
	}
	b, err := json.Marshal(med(maps))
	if err != nil {
		return benchResult{}, err
	}
	var res benchResult
	return res, json.Unmarshal(b, &res)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func benchEmbedderID() string {
	emb, err := embed.NewHash(config.Default().Embed.Dim)
	if err != nil {
		return ""
	}
	return emb.ID()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchRunChild runs exe with args and merges the JSON it prints into res.
func benchRunChild(ctx context.Context, exe string, env *environment, res *benchResult, args []string) error {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bench: %s: %w\n%s", strings.Join(args[1:4], " "), err, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), res); err != nil {
		return fmt.Errorf("bench: %s: bad output: %w", strings.Join(args[1:4], " "), err)
	}
	return nil
}

// benchTimeProcess runs exe with args and returns its wall time.
func benchTimeProcess(ctx context.Context, exe string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("bench: reportbot %s: %w\n%s", args[0], err, errb.String())
	}
	return time.Since(start), nil
}

// benchChild runs one phase and prints its part of benchResult as JSON.
func benchChild(ctx context.Context, env *environment, bf benchFlags) error {
	cdir := filepath.Join(bf.work, fmt.Sprintf("corpus-%d", bf.size))
	ddir := filepath.Join(bf.work, fmt.Sprintf("data-%d", bf.size))
	quiet := &environment{stdout: io.Discard, stderr: io.Discard, getenv: env.getenv}
	res := map[string]any{}
	stopProfile := func() {}
	startProfile := func(phase string) error {
		if bf.profileDir == "" {
			return nil
		}
		if err := os.MkdirAll(bf.profileDir, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(bf.profileDir, fmt.Sprintf("%s-%d.pprof", phase, bf.size)))
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return nil
	}
	switch bf.child {
	case "index":
		if err := startProfile("index"); err != nil {
			return err
		}
		start := time.Now()
		a, err := openApp(ctx, quiet, &commonFlags{corpus: cdir, data: ddir, rebuild: true}, nil)
		if err != nil {
			return err
		}
		el := time.Since(start)
		stopProfile()
		res["passages"], res["reports"] = a.sync.Passages, a.sync.Reports
		res["index_s"], res["passages_per_s"] = el.Seconds(), float64(a.sync.Passages)/el.Seconds()
		res["index_peak_rss_bytes"] = peakRSS()
		if fi, err := os.Stat(filepath.Join(ddir, index.IndexFile)); err == nil {
			res["index_bytes"] = fi.Size()
		}
		// The corpus files' stamps changed, their content did not.
		a = nil
		runtime.GC()
		if err := os.Remove(filepath.Join(ddir, index.CorpusStateFile)); err != nil {
			return err
		}
		start = time.Now()
		a, err = openApp(ctx, quiet, &commonFlags{corpus: cdir, data: ddir}, nil)
		if err != nil {
			return err
		}
		if a.sync.Changed() {
			return fmt.Errorf("bench: re-syncing an unchanged corpus changed the index: %+v", a.sync)
		}
		res["resync_nochange_s"] = time.Since(start).Seconds()
		// Every corpus file touched: a fresh checkout, a copy.
		a = nil
		runtime.GC()
		now := time.Now()
		err = filepath.WalkDir(cdir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			return os.Chtimes(p, now, now)
		})
		if err != nil {
			return fmt.Errorf("bench: touch the corpus: %w", err)
		}
		start = time.Now()
		a, err = openApp(ctx, quiet, &commonFlags{corpus: cdir, data: ddir}, nil)
		if err != nil {
			return err
		}
		if a.sync.Changed() {
			return fmt.Errorf("bench: re-syncing a touched corpus changed the index: %+v", a.sync)
		}
		res["reindex_touched_s"] = time.Since(start).Seconds()
	case "serve":
		qs, err := readLines(filepath.Join(bf.work, "questions.txt"))
		if err != nil {
			return err
		}
		start := time.Now()
		a, err := openApp(ctx, quiet, &commonFlags{corpus: cdir, data: ddir}, nil)
		if err != nil {
			return err
		}
		res["cold_start_s"] = time.Since(start).Seconds()
		if a.sync.Changed() || a.sync.Embedded > 0 {
			return fmt.Errorf("bench: opening the index changed it: %+v", a.sync)
		}
		e := a.engine
		// Warm up, English questions included (they load the dictionary once).
		for _, q := range slices.Concat(qs[:min(20, len(qs))], qs[max(0, len(qs)-10):]) {
			if _, err := e.Ask(ctx, q); err != nil {
				return err
			}
		}
		if err := startProfile("serve"); err != nil {
			return err
		}
		emb, err := embed.NewHash(a.cfg.Embed.Dim)
		if err != nil {
			return err
		}
		var retr, vec, ask []time.Duration
		qvecs := make([][]float32, len(qs))
		for i, q := range qs {
			t := time.Now()
			aq, err := e.Analyze(q)
			if err != nil {
				return err
			}
			if _, err := e.Retrieve(ctx, aq, 30); err != nil {
				return err
			}
			retr = append(retr, time.Since(t))
			v, err := emb.Embed(ctx, []string{aq.EmbedText})
			if err != nil {
				return err
			}
			qvecs[i] = v[0]
			t = time.Now()
			if _, err := e.Index().QueryVectors(ctx, v[0], 50); err != nil {
				return err
			}
			vec = append(vec, time.Since(t))
			t = time.Now()
			if _, err := e.Ask(ctx, q); err != nil {
				return err
			}
			ask = append(ask, time.Since(t))
		}
		stopProfile()
		res["questions"] = len(qs)
		res["retrieval_ms"], res["vector_ms"], res["ask_ms"] = summarize(retr), summarize(vec), summarize(ask)
		res["serve_peak_rss_bytes"] = peakRSS()
		res["vector_backend"] = string(e.Index().VectorBackend())
		// chromem-go on the embedder's exact float32 vectors, after the
		// serving peak was read (it holds them all a second time): the plain
		// vector search the index replaces, and the reference for the
		// quantized matrix's recall.
		st, err := exactChromem(ctx, e.Index(), emb)
		if err != nil {
			return err
		}
		var chr []time.Duration
		var recall float64
		for _, v := range qvecs {
			t := time.Now()
			want, err := st.Query(ctx, v, 50)
			if err != nil {
				return err
			}
			chr = append(chr, time.Since(t))
			got, err := e.Index().QueryVectors(ctx, v, 50)
			if err != nil {
				return err
			}
			recall += overlap(got, want)
		}
		res["vector_recall_at_50"] = recall / float64(len(qvecs))
		res["chromem_ms"] = summarize(chr)
	case "api":
		// The real API embedder (go-openai, batching, concurrency bound,
		// retries) against the fake OpenAI server on loopback.
		srv := openaitest.NewServer()
		srv.Latency = bf.apiLatency
		defer srv.Close()
		prov, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), MaxConcurrency: bf.apiConc, Timeout: 5 * time.Minute})
		if err != nil {
			return err
		}
		emb, err := openai.NewEmbedder(ctx, prov, openai.EmbedderOptions{
			Model: "fake-embedding", Dimensions: config.Default().Embed.Dim, BatchSize: bf.apiBatch,
		})
		if err != nil {
			return err
		}
		log := newLogger(io.Discard, config.Log{Level: "warn", Format: "text"})
		reports, _, err := loadReports(config.Corpus{Dir: cdir, MaxFileMB: config.Default().Corpus.MaxFileMB}, log)
		if err != nil {
			return err
		}
		ix, err := index.New(emb)
		if err != nil {
			return err
		}
		st, err := ix.Sync(ctx, reports, index.SyncOptions{
			Split:       corpus.SplitOptions{MaxRunes: config.Default().Corpus.MaxPassageRunes},
			Concurrency: bf.apiConc,
			BatchSize:   bf.apiBatch,
		})
		if err != nil {
			return err
		}
		res["api_latency_ms"] = float64(bf.apiLatency) / 1e6
		res["api_concurrency"] = bf.apiConc
		res["api_batch"] = bf.apiBatch
		res["api_calls"] = len(srv.Requests())
		res["api_index_s"] = st.Elapsed.Seconds()
	default:
		return fmt.Errorf("bench: unknown phase %q", bf.child)
	}
	return writeJSON(env.stdout, res)
}

// exactChromem re-embeds the index's passages into a chromem-go store.
func exactChromem(ctx context.Context, ix *index.Index, emb embed.Embedder) (*chromemstore.Store, error) {
	st, err := chromemstore.New(emb.Dim())
	if err != nil {
		return nil, err
	}
	ps := ix.Passages()
	for lo := 0; lo < len(ps); lo += 256 {
		batch := ps[lo:min(lo+256, len(ps))]
		texts, ids := make([]string, len(batch)), make([]string, len(batch))
		for i, p := range batch {
			r, _ := ix.Report(p.ReportID)
			texts[i], ids[i] = index.EmbedText(r, p.Passage), p.ID
		}
		vecs, err := emb.Embed(ctx, texts)
		if err != nil {
			return nil, err
		}
		if err := st.Upsert(ctx, ids, vecs); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// overlap is the share of want's ids that got also holds.
func overlap(got, want []chromemstore.Hit) float64 {
	if len(want) == 0 {
		return 1
	}
	in := map[string]bool{}
	for _, h := range got {
		in[h.ID] = true
	}
	n := 0
	for _, h := range want {
		if in[h.ID] {
			n++
		}
	}
	return float64(n) / float64(len(want))
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

// printBench prints the results as a table.
func printBench(w io.Writer, rep benchReport) error {
	fmt.Fprintf(w, "reportbot bench, %s, %s, %d CPUs, %s, embedder %s, source %s\n\n", rep.Date, rep.GoVersion, rep.CPUs, rep.OS, rep.Embedder, rep.Source)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "passages\tindex s\tpassages/s\tdisk MiB\tindex RSS MiB\treindex s\ttouched s\tresync s\tcold start s\tretr p50 ms\tp95\tp99\tvector\tvector p50\tchromem p50\tp99\task p50 ms\tp95\task process ms\tserve RSS MiB\tAPI index s\t")
	for _, r := range rep.Results {
		api := "-"
		if r.APIIndexSeconds > 0 {
			api = fmt.Sprintf("%.1f", r.APIIndexSeconds)
		}
		fmt.Fprintf(tw, "%d\t%.2f\t%.0f\t%.1f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.0f\t%.0f\t%s\t\n",
			r.Passages, r.IndexSeconds, r.PassagesPerSec, float64(r.IndexBytes)/(1<<20), float64(r.IndexPeakRSS)/(1<<20),
			r.ReindexSeconds, r.TouchedSeconds, r.ResyncSeconds, r.ColdStartSeconds, r.Retrieval.P50, r.Retrieval.P95, r.Retrieval.P99,
			r.VectorBackend, r.Vector.P50, r.Chromem.P50, r.Chromem.P99, r.Ask.P50, r.Ask.P95, r.AskProcessMs, float64(r.ServePeakRSS)/(1<<20), api)
	}
	return tw.Flush()
}
