package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/embed"
)

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
	// (k=50), the plain vector search, measured up to --chromem-max-size
	// passages only (nil above).
	VectorBackend string   `json:"vector_backend"`
	Vector        latency  `json:"vector_ms"`
	Chromem       *latency `json:"chromem_ms,omitempty"`
	// VectorRecall is the share of the exact top 50 (float32 cosine
	// similarity over every passage, as chromem-go computes it; exact.go)
	// that the index's vector search returns in its top 50, averaged over
	// the questions.
	VectorRecall float64 `json:"vector_recall_at_50"`
	// ExactMatchesChromem is the share of chromem-go's top 50 that the
	// exact top 50 holds, averaged over the questions, where chromem-go was
	// measured: 1 unless passages tie at the 50th place.
	ExactMatchesChromem *float64 `json:"exact_matches_chromem,omitempty"`
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
	// BenchSeconds is the wall time of this size's measurements (the
	// corpus written, every phase, every repeat).
	BenchSeconds float64 `json:"bench_s"`
	// Phases is the wall time of each phase of BenchSeconds in seconds (the
	// median over repeats, but the corpus written once), by the keys of
	// phaseNames; the serve_ keys are steps of the serve phase.
	Phases map[string]float64 `json:"phase_s,omitempty"`
	// Budgets are the numbers above against issue 18's budgets.
	Budgets []budget `json:"budgets"`
	// Weaviate is the Weaviate column (weaviate.go), when measured.
	Weaviate *weaviateResult `json:"weaviate,omitempty"`
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
	Date       string `json:"date"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Source     string `json:"source"`
	Embedder   string `json:"embedder"`
	// SetupSeconds is the wall time before the first size: loading the
	// source reports, deriving the questions, finding (or building)
	// reportbot.
	SetupSeconds float64       `json:"setup_s"`
	Results      []benchResult `json:"results"`
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
	if err := json.Unmarshal(b, &res); err != nil {
		return benchResult{}, err
	}
	if res.Phases == nil { // omitted when empty (--weaviate-only)
		res.Phases = map[string]float64{}
	}
	return res, nil
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

// printBench prints the results as a table.
func printBench(w io.Writer, rep benchReport) error {
	fmt.Fprintf(w, "reportbot bench, %s, %s, %d CPUs, %s, embedder %s, source %s\n", rep.Date, rep.GoVersion, rep.CPUs, rep.OS, rep.Embedder, rep.Source)
	if err := printLocal(w, rep); err != nil {
		return err
	}
	printPhases(w, rep)
	if err := printBudgets(w, rep); err != nil {
		return err
	}
	return printWeaviate(w, rep)
}

// measuredLocally reports whether r's local phases ran (they do not with
// --weaviate-only).
func measuredLocally(r benchResult) bool {
	_, indexed := r.Phases["index"]
	_, served := r.Phases["serve"]
	return indexed || served
}

// printLocal prints the local store's table, for the sizes whose local
// phases ran (not with --weaviate-only).
func printLocal(w io.Writer, rep benchReport) error {
	var local []benchResult
	for _, r := range rep.Results {
		if measuredLocally(r) {
			local = append(local, r)
		}
	}
	if len(local) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "passages\tindex s\tpassages/s\tdisk MiB\tindex RSS MiB\treindex s\ttouched s\tresync s\tcold start s\tretr p50 ms\tp95\tp99\tvector\tvector p50\tchromem p50\tp99\task p50 ms\tp95\task process ms\tserve RSS MiB\tAPI index s\t")
	for _, r := range local {
		api := "-"
		if r.APIIndexSeconds > 0 {
			api = fmt.Sprintf("%.1f", r.APIIndexSeconds)
		}
		chrP50, chrP99 := "-", "-"
		if r.Chromem != nil {
			chrP50, chrP99 = fmt.Sprintf("%.2f", r.Chromem.P50), fmt.Sprintf("%.2f", r.Chromem.P99)
		}
		fmt.Fprintf(tw, "%d\t%.2f\t%.0f\t%.1f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\t%s\t%s\t%.1f\t%.1f\t%.0f\t%.0f\t%s\t\n",
			r.Passages, r.IndexSeconds, r.PassagesPerSec, float64(r.IndexBytes)/(1<<20), float64(r.IndexPeakRSS)/(1<<20),
			r.ReindexSeconds, r.TouchedSeconds, r.ResyncSeconds, r.ColdStartSeconds, r.Retrieval.P50, r.Retrieval.P95, r.Retrieval.P99,
			r.VectorBackend, r.Vector.P50, chrP50, chrP99, r.Ask.P50, r.Ask.P95, r.AskProcessMs, float64(r.ServePeakRSS)/(1<<20), api)
	}
	return tw.Flush()
}

// phaseNames are the keys of benchResult.Phases in the order the bench runs
// them, with what each one times.
var phaseNames = []struct{ key, what string }{
	{"corpus", "scale corpus"},
	{"index", "index phase"},
	{"reindex", "3 re-index processes"},
	{"serve", "serve phase"},
	{"serve_open", "open"},
	{"serve_warmup", "warm-up"},
	{"serve_questions", "questions"},
	{"serve_exact", "exact top 50"},
	{"serve_chromem", "chromem-go"},
	{"ask_process", "5 ask processes"},
	{"api", "fake API"},
	{"weaviate", "Weaviate"},
}

// printPhases prints where each size's wall time went, the serve phase's
// steps in brackets after it.
func printPhases(w io.Writer, rep benchReport) {
	fmt.Fprintf(w, "\nwall time (setup %.1f s):\n", rep.SetupSeconds)
	for _, r := range rep.Results {
		var b strings.Builder
		fmt.Fprintf(&b, "%d passages: %.1f s:", r.Passages, r.BenchSeconds)
		sep, inServe := " ", false
		for _, ph := range phaseNames {
			v, ok := r.Phases[ph.key]
			if !ok {
				continue
			}
			switch sub := strings.HasPrefix(ph.key, "serve_"); {
			case sub && !inServe:
				sep, inServe = " (", true
			case !sub && inServe:
				b.WriteString(")")
				inServe = false
			}
			fmt.Fprintf(&b, "%s%s %.1f s", sep, ph.what, v)
			sep = ", "
		}
		if inServe {
			b.WriteString(")")
		}
		fmt.Fprintln(w, b.String())
	}
}
