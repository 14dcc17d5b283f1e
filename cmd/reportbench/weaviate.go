package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/internal/weaviatetest"
	"github.com/reportbot/reportbot/weaviate"
)

// The Weaviate column: when REPORTBOT_WEAVIATE_BIN names a weaviate-server
// binary, every size up to --weaviate-max-size is also indexed into
// Weaviate nodes started on loopback (scripts/weaviate.sh), in a child
// process, through the same SharedIndex.Sync as `reportbot index`.

// weaviateBinEnv names the weaviate-server binary (as for the integration
// tests, internal/weaviatetest).
const weaviateBinEnv = weaviatetest.BinEnv

// weaviateFlags are the flags of the Weaviate column.
type weaviateFlags struct {
	bin         string // from weaviateBinEnv
	maxSize     int
	only        bool
	nodes       int
	replication int
	batch       int
	concurrency int
	rest        bool
	async       bool
	sample      int
	hnsw        string
	index       string
	flat        string
	tokens      string
	write       string
	compression string
	poll        time.Duration
}

// addWeaviateFlags registers the Weaviate column's flags on fs.
func addWeaviateFlags(fs *flag.FlagSet, wf *weaviateFlags) {
	wf.bin = os.Getenv(weaviateBinEnv)
	fs.IntVar(&wf.maxSize, "weaviate-max-size", 100000, "largest size also indexed into Weaviate (when "+weaviateBinEnv+" is set)")
	fs.BoolVar(&wf.only, "weaviate-only", false, "measure only the Weaviate column")
	fs.IntVar(&wf.nodes, "weaviate-nodes", 1, "Weaviate nodes started for the column")
	fs.IntVar(&wf.replication, "weaviate-replication", 1, "replication factor of the column's collection")
	fs.IntVar(&wf.batch, "weaviate-batch", 0, "objects per Weaviate batch request (0: the store's default)")
	fs.IntVar(&wf.concurrency, "weaviate-concurrency", 0, "batch requests in flight (0: the store's default)")
	fs.BoolVar(&wf.rest, "weaviate-rest", false, "write batches over REST instead of gRPC")
	fs.BoolVar(&wf.async, "weaviate-async", true, "start the nodes with ASYNC_INDEXING")
	fs.IntVar(&wf.sample, "weaviate-sample", 20, "passages checked for being searchable (and the last 10 stored)")
	fs.StringVar(&wf.hnsw, "weaviate-hnsw", "", "HNSW settings of the column's collection (efConstruction=64,maxConnections=16; default Weaviate's)")
	fs.StringVar(&wf.index, "weaviate-index", "", "vector index type: hnsw, flat or dynamic (default: the store's)")
	fs.StringVar(&wf.flat, "weaviate-flat", "", `flat index settings as JSON ({"bq":{"enabled":true,"cache":true}})`)
	fs.DurationVar(&wf.poll, "weaviate-poll", 50*time.Millisecond, "pause between two searches of the searchable check (each costs the server CPU)")
	fs.StringVar(&wf.compression, "weaviate-compression", "", "vector compression of the HNSW graph: rq-8 or none (default: the store's, rq-8)")
	fs.StringVar(&wf.tokens, "weaviate-tokenization", "", "BM25 tokenization of content (default: the store's, gse_ch)")
	fs.StringVar(&wf.write, "weaviate-write-consistency", "", "write consistency level: ONE, QUORUM or ALL (default: the store's)")
}

// weaviateResult is the Weaviate column at one size.
type weaviateResult struct {
	Nodes       int    `json:"nodes"`
	Replication int    `json:"replication_factor"`
	Transport   string `json:"transport"`
	Async       bool   `json:"async_indexing"`
	Batch       int    `json:"batch"`
	Concurrency int    `json:"concurrency"`
	HNSW        string `json:"hnsw,omitempty"`
	Index       string `json:"vector_index,omitempty"`
	Tokens      string `json:"tokenization,omitempty"`
	Compression string `json:"compression,omitempty"`
	Write       string `json:"write_consistency,omitempty"`
	// Server lists the WEAVIATE_* settings of scripts/weaviate.sh taken
	// from the environment (flush interval, server settings).
	Server   []string `json:"server,omitempty"`
	Passages int      `json:"passages"`
	// AckSeconds: from the start of the sync until the last batch call
	// returned (embedding included, as in `reportbot index`);
	// SearchableSeconds: until every sampled passage is returned by a
	// hybrid query for its own text and vector, found by the vector
	// ranker too (or, after the commit, by one restricted to its report:
	// see Unreachable); SyncSeconds: the whole sync, commit included.
	AckSeconds        float64 `json:"ack_s"`
	AckPerSec         float64 `json:"ack_passages_per_s"`
	SearchableSeconds float64 `json:"searchable_s"`
	SearchablePerSec  float64 `json:"searchable_passages_per_s"`
	SyncSeconds       float64 `json:"sync_s"`
	// KeywordSeconds: until every sampled passage that BM25 ranks in the
	// top 10 for the start of its own text once settled was also found by
	// the keyword ranker (Weaviate's BM25 over content); KeywordMissing
	// counts those not found so within keywordTimeout after searchable.
	KeywordSeconds float64 `json:"keyword_s"`
	KeywordMissing int     `json:"keyword_missing"`
	// Unreachable counts sampled passages that the unrestricted hybrid
	// query still missed after the commit (which waits until no vector
	// is queued on any node), found with a vector rank by one restricted
	// to the passage's report, which Weaviate answers by scanning that
	// report's vectors in the index: the HNSW graph does not reach a few
	// passages of a corpus of near-copies from its entry point
	// (docs/performance.md, "Weaviate, fifth round" and "eighth round").
	// They count as searchable when the restricted query returns them.
	Unreachable int `json:"vector_unreachable"`
	// Polls and PollMisses: rounds of the searchable check (one hybrid
	// query, and after the commit a second restricted to the passage's
	// report while the first misses), and how many did not find their
	// passage yet.
	Polls      int `json:"polls"`
	PollMisses int `json:"poll_misses"`
	// PollInterval is the pause between two of those searches.
	PollInterval string `json:"poll_interval"`
	// ServerCPUSeconds and ClientCPUSeconds: CPU time of the nodes and of
	// this process from the start of the sync until searchable. On the
	// shared machine wall time depends on what other work leaves;
	// CPUBoundPerSec is the rate if the two were alone on the machine's
	// cores: passages / ((server + client CPU) / cores).
	ServerCPUSeconds float64 `json:"server_cpu_s"`
	ClientCPUSeconds float64 `json:"client_cpu_s"`
	CPUBoundPerSec   float64 `json:"cpu_bound_passages_per_s"`
	// Query: Store.Search (hybrid, the engine's candidate count) per
	// question, after the index is searchable.
	Query latency `json:"query_ms"`
	// VectorRecall: for every question, the share of the exact nearest
	// passages (cosine, computed here over every vector stored) among those
	// a vector-only query returns, both 2×CandidatesPerRanker long: what an
	// approximate or compressed vector index loses.
	VectorRecall float64 `json:"vector_recall"`
	// Deletion of half the reports by report filter (DeleteReports, one
	// request), of the other half by passage ID (Delete, one filtered
	// request per 1,000 IDs, as before issue 18): seconds and passages.
	DeleteByReportSeconds float64 `json:"delete_by_report_s"`
	DeletedByReport       int     `json:"deleted_by_report"`
	DeleteByIDSeconds     float64 `json:"delete_by_id_s"`
	DeletedByID           int     `json:"deleted_by_id"`
	// Load is the machine's load average (1 min) at the start and end.
	Load string `json:"load"`
}

// benchWeaviate runs the Weaviate column for size n in a child process.
func benchWeaviate(ctx context.Context, stderr io.Writer, bins binaries, res *benchResult, n int, bf benchFlags) error {
	wf := bf.weaviate
	if wf.bin == "" || n > wf.maxSize {
		return nil
	}
	fmt.Fprintf(stderr, "bench: %d passages: Weaviate (%d node(s), replication %d)\n", n, wf.nodes, wf.replication)
	args := []string{"--size", fmt.Sprint(n), "--work", bf.work, "--weaviate-nodes", fmt.Sprint(wf.nodes),
		"--weaviate-replication", fmt.Sprint(wf.replication), "--weaviate-batch", fmt.Sprint(wf.batch),
		"--weaviate-concurrency", fmt.Sprint(wf.concurrency), fmt.Sprintf("--weaviate-rest=%v", wf.rest),
		fmt.Sprintf("--weaviate-async=%v", wf.async), "--weaviate-sample", fmt.Sprint(wf.sample), "--weaviate-hnsw", wf.hnsw,
		"--weaviate-index", wf.index, "--weaviate-flat", wf.flat, "--weaviate-tokenization", wf.tokens, "--weaviate-write-consistency", wf.write,
		"--weaviate-compression", wf.compression, "--weaviate-poll", wf.poll.String()}
	if err := benchRunChild(ctx, bins.self, res, "weaviate", args); err != nil {
		return err
	}
	if res.Passages == 0 && res.Weaviate != nil {
		res.Passages = res.Weaviate.Passages
	}
	return nil
}

// weaviate is the child phase of the Weaviate column.
func (p *phase) weaviate(ctx context.Context) error {
	wf := p.bf.weaviate
	if wf.bin == "" {
		return fmt.Errorf("bench: %s is not set", weaviateBinEnv)
	}
	r := weaviateResult{Nodes: wf.nodes, Replication: wf.replication, Transport: "grpc", Async: wf.async, Load: loadAvg(),
		Index: wf.index, Tokens: wf.tokens, Write: wf.write, Compression: wf.compression, PollInterval: wf.poll.String(), Server: scriptSettings(os.Environ())}
	if wf.rest {
		r.Transport = "rest"
	}
	env := []string{fmt.Sprintf("WEAVIATE_ASYNC_INDEXING=%v", wf.async)}
	c, err := weaviatetest.Launch(ctx, wf.bin, wf.nodes, func() string {
		d, _ := os.MkdirTemp(p.bf.work, "weaviate-")
		return d
	}, env)
	if c != nil {
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
			defer cancel()
			_ = c.Stop(sctx)
			_ = os.RemoveAll(c.Dir)
		}()
	}
	if err != nil {
		return err
	}
	opt := weaviate.Options{URLs: c.URLs, Collection: "BenchPassages", ReplicationFactor: wf.replication,
		BatchSize: wf.batch, Concurrency: wf.concurrency, Timeout: time.Minute,
		VectorIndex: wf.index, Tokenization: wf.tokens, WriteConsistency: wf.write, Compression: wf.compression}
	if !wf.rest {
		opt.GRPCHosts = c.GRPCHosts()
	}
	if opt.HNSW, err = parseHNSW(wf.hnsw); err != nil {
		return err
	}
	r.HNSW = wf.hnsw
	if wf.flat != "" {
		if err := json.Unmarshal([]byte(wf.flat), &opt.Flat); err != nil {
			return fmt.Errorf("bench: --weaviate-flat: %w", err)
		}
		r.Index += " " + wf.flat
	}
	st, err := weaviate.NewStore(opt)
	if err != nil {
		return err
	}
	if err := st.EnsureSchema(ctx); err != nil {
		return err
	}
	defaults := config.Default()
	r.Batch, r.Concurrency = cmpOr(wf.batch, 100), cmpOr(wf.concurrency, weaviate.DefaultConcurrency)
	log := app.NewLogger(io.Discard, config.Log{Level: "error", Format: "text"})
	reports, _, err := app.LoadReports(ctx, config.Corpus{Dir: p.cdir, MaxFileMB: defaults.Corpus.MaxFileMB}, log)
	if err != nil {
		return err
	}
	emb, err := embed.NewHash(defaults.Embed.Dim)
	if err != nil {
		return err
	}
	cpu := func() (server, client time.Duration) {
		server, _ = c.CPU()
		client, _ = weaviatetest.ProcCPU(os.Getpid())
		return server, client
	}
	s0, c0 := cpu()
	s1, c1, stored, err := measureIngest(ctx, st, emb, reports, wf.sample, wf.poll, cpu, &r)
	if err != nil {
		return err
	}
	r.ServerCPUSeconds, r.ClientCPUSeconds = (s1 - s0).Seconds(), (c1 - c0).Seconds()
	if total := r.ServerCPUSeconds + r.ClientCPUSeconds; total > 0 {
		r.CPUBoundPerSec = float64(r.Passages) / (total / float64(runtime.NumCPU()))
	}
	qs, err := readLines(filepath.Join(p.bf.work, "questions.txt"))
	if err != nil {
		return err
	}
	if r.Query, err = measureWeaviateQueries(ctx, st, emb, qs); err != nil {
		return err
	}
	if r.VectorRecall, err = measureVectorRecall(ctx, st, emb, qs, stored); err != nil {
		return err
	}
	if err := measureDeletes(ctx, st, reports, &r); err != nil {
		return err
	}
	r.Load += " → " + loadAvg()
	p.res["weaviate"] = r
	return nil
}

// scriptSettings are the WEAVIATE_* variables of env that
// scripts/weaviate.sh reads, sorted (WEAVIATE_BIN excepted).
func scriptSettings(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "WEAVIATE_") && !strings.HasPrefix(kv, "WEAVIATE_BIN=") {
			out = append(out, kv)
		}
	}
	slices.Sort(out)
	return out
}

// parseHNSW reads --weaviate-hnsw: name=integer pairs.
func parseHNSW(list string) (map[string]any, error) {
	if list == "" {
		return nil, nil
	}
	out := map[string]any{}
	for _, kv := range strings.Split(list, ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return nil, fmt.Errorf("bench: --weaviate-hnsw: %q is not name=integer", kv)
		}
		out[strings.TrimSpace(k)] = n
	}
	return out, nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// measureIngest syncs reports into st and records when the batches were
// acknowledged and when a sample of the passages became searchable, and
// returns cpu() as it was then and every passage stored.
func measureIngest(ctx context.Context, st *weaviate.Store, emb embed.Embedder, reports []corpus.Report, sample int, poll time.Duration,
	cpu func() (server, client time.Duration), r *weaviateResult) (server, client time.Duration, stored []sampled, err error) {
	ts := &timedStore{Store: st, search: st.Search, sample: sample, interval: poll, rng: rand.New(rand.NewPCG(1, 2)), cpu: cpu}
	start := time.Now()
	ts.start = start
	stats, err := index.NewSharedIndex(ts, emb).Sync(ctx, reports, index.SyncOptions{
		Split: corpus.SplitOptions{MaxRunes: config.Default().Corpus.MaxPassageRunes}, BatchSize: config.Default().Embed.BatchSize})
	if err != nil {
		return 0, 0, nil, err
	}
	r.SyncSeconds = time.Since(start).Seconds()
	r.Passages = stats.Passages
	if err := ts.waitSearchable(ctx); err != nil {
		return 0, 0, nil, err
	}
	r.AckSeconds = ts.ack.Sub(start).Seconds()
	r.SearchableSeconds = ts.searchable.Sub(start).Seconds()
	r.KeywordSeconds, r.KeywordMissing = ts.keyword.Sub(start).Seconds(), ts.keywordMissing
	r.Unreachable = ts.unreachable
	r.Polls, r.PollMisses = ts.polls, ts.misses
	r.AckPerSec = float64(stats.Passages) / r.AckSeconds
	r.SearchablePerSec = float64(stats.Passages) / r.SearchableSeconds
	return ts.cpuServer, ts.cpuClient, ts.all, nil
}

// measureDeletes deletes the first half of the reports by report and the
// rest by passage ID.
func measureDeletes(ctx context.Context, st *weaviate.Store, reports []corpus.Report, r *weaviateResult) error {
	half := len(reports) / 2
	var byReport []string
	for _, rep := range reports[:half] {
		byReport = append(byReport, rep.ID)
	}
	start := time.Now()
	n, err := st.DeleteReports(ctx, byReport)
	if err != nil {
		return err
	}
	r.DeleteByReportSeconds, r.DeletedByReport = time.Since(start).Seconds(), n
	left, err := st.Passages(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(left))
	for i, p := range left {
		ids[i] = p.ID
	}
	start = time.Now()
	if err := st.Delete(ctx, ids); err != nil {
		return err
	}
	r.DeleteByIDSeconds, r.DeletedByID = time.Since(start).Seconds(), len(ids)
	return nil
}

// timedStore records, around the store's own methods, the time the last
// batch was acknowledged (the sync's Delete flushes the writes first) and
// a sample of the passages put, whose searchability it then polls.
type timedStore struct {
	*weaviate.Store
	// search is Store.Search (a fake in tests).
	search func(context.Context, index.SharedSearch) ([]index.SharedHit, error)
	sample int
	// interval is the pause between two searches of the check.
	interval time.Duration
	rng      *rand.Rand
	cpu      func() (server, client time.Duration)

	start          time.Time
	mu             sync.Mutex
	seen           int
	picked         []sampled
	last           []sampled
	all            []sampled // every passage put, for the recall check
	ack            time.Time
	searchable     time.Time
	keyword        time.Time
	keywordMissing int
	unreachable    int
	polls, misses  int
	// committed is set when the inner Commit has returned.
	committed atomic.Bool
	// CPU time when searchable.
	cpuServer, cpuClient time.Duration
	poll                 chan error
}

// lastChecked is how many of the last passages stored are checked too.
const lastChecked = 10

type sampled struct {
	p   index.Passage
	vec []float32
}

// Put keeps a reservoir sample of the passages and the last ones.
func (t *timedStore) Put(ctx context.Context, reports map[string]corpus.Report, ps []index.Passage, vecs [][]float32) error {
	t.mu.Lock()
	t.last = t.last[:0]
	for i, p := range ps {
		s := sampled{p, vecs[i]}
		t.all = append(t.all, s)
		if i >= len(ps)-lastChecked {
			t.last = append(t.last, s)
		}
		t.seen++
		if len(t.picked) < t.sample {
			t.picked = append(t.picked, s)
		} else if j := t.rng.IntN(t.seen); j < t.sample {
			t.picked[j] = s
		}
	}
	t.mu.Unlock()
	return t.Store.Put(ctx, reports, ps, vecs)
}

// Commit marks the acknowledgement of every batch (after the flush) and
// starts polling the sample.
func (t *timedStore) Commit(ctx context.Context, m index.SharedManifest, ps []index.Passage) (index.SharedManifest, error) {
	if err := t.Flush(ctx); err != nil {
		return m, err
	}
	t.ack = time.Now()
	t.mu.Lock()
	check := slices.Concat(t.picked, t.last) // not into picked's array
	t.mu.Unlock()
	t.poll = make(chan error, 1)
	go func() { t.poll <- t.pollSearchable(ctx, check) }()
	m, err := t.Store.Commit(ctx, m, ps)
	if err == nil {
		t.committed.Store(true)
	}
	return m, err
}

func (t *timedStore) waitSearchable(ctx context.Context) error {
	if t.poll == nil {
		return fmt.Errorf("bench: the sync stored nothing")
	}
	select {
	case err := <-t.poll:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// searchableTimeout bounds the wait for a sampled passage to be searchable.
const searchableTimeout = 10 * time.Minute

// pollSearchable asks, until each sampled passage is found, a hybrid query
// for the start of its text and its own vector, and records when the last
// one was found with a vector rank (the HNSW index holds it, not only BM25).
// Once the commit has seen every vector indexed (before the round's first
// query), a passage the query still misses is also asked for restricted to
// its report: Weaviate then scans that report's vectors in the index
// instead of walking the graph, which does not reach a few near-copies
// (counted as unreachable).
func (t *timedStore) pollSearchable(ctx context.Context, check []sampled) error {
	deadline := time.Now().Add(searchableTimeout)
	for _, s := range check {
		restricted := false
		ok, err := t.pollOne(ctx, deadline, true, func() (bool, error) {
			committed := t.committed.Load()
			ok, err := t.returns(ctx, s, nil, found)
			if ok || err != nil || !committed {
				return ok, err
			}
			restricted, err = t.returns(ctx, s, []string{s.p.ReportID}, found)
			return restricted, err
		})
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("bench: passage %s not searchable after %s", s.p.ID, searchableTimeout)
		}
		if restricted {
			t.unreachable++
		}
	}
	t.searchable = time.Now()
	t.cpuServer, t.cpuClient = t.cpu()
	// Then the keyword half: BM25 alone may lag behind the vector index
	// (docs/scale-out.md, "Ingest").
	kdeadline := time.Now().Add(keywordTimeout)
	for _, s := range check {
		ok, err := t.pollOne(ctx, kdeadline, false, func() (bool, error) {
			return t.returns(ctx, s, nil, foundKeyword)
		})
		if err != nil {
			return err
		}
		if !ok {
			t.keywordMissing++
		}
	}
	t.keyword = time.Now()
	return nil
}

// returns reports whether a hybrid query for the start of s's text and its
// own vector, restricted to reports when set, finds s as is says.
func (t *timedStore) returns(ctx context.Context, s sampled, reports []string, is func([]index.SharedHit, string) bool) (bool, error) {
	text := []rune(s.p.Text)
	hits, err := t.search(ctx, index.SharedSearch{Text: string(text[:min(len(text), 40)]), Vector: s.vec, K: 10, Reports: reports})
	if err != nil {
		return false, err
	}
	return is(hits, s.p.ID), nil
}

// pollOne calls try every t.interval until it says yes (true) or deadline
// passes (false); with count, it counts the rounds and those that missed.
func (t *timedStore) pollOne(ctx context.Context, deadline time.Time, count bool, try func() (bool, error)) (bool, error) {
	for {
		ok, err := try()
		if err != nil {
			return false, err
		}
		if count {
			t.polls++
		}
		if ok {
			return true, nil
		}
		if count {
			t.misses++
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-time.After(t.interval):
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// keywordTimeout bounds the wait, after the sample is searchable, for the
// keyword ranker to find it too.
const keywordTimeout = 90 * time.Second

func found(hits []index.SharedHit, id string) bool {
	for _, h := range hits {
		if h.Passage.ID == id && h.VectorRank > 0 {
			return true
		}
	}
	return false
}

func foundKeyword(hits []index.SharedHit, id string) bool {
	for _, h := range hits {
		if h.Passage.ID == id && h.LexicalRank > 0 {
			return true
		}
	}
	return false
}

// measureWeaviateQueries times one hybrid query per question (after a
// warm-up), for as many candidates as the engine asks of a shared store.
func measureWeaviateQueries(ctx context.Context, st *weaviate.Store, emb embed.Embedder, qs []string) (latency, error) {
	var ds []time.Duration
	for i, q := range qs {
		vec, err := embed.Query(ctx, emb, q)
		if err != nil {
			return latency{}, err
		}
		t := time.Now()
		if _, err := st.Search(ctx, index.SharedSearch{Text: q, Vector: vec, K: 2 * index.CandidatesPerRanker}); err != nil {
			return latency{}, err
		}
		if i >= 10 {
			ds = append(ds, time.Since(t))
		}
	}
	return summarize(ds), nil
}

// measureVectorRecall compares a vector-only query per question with the
// exact nearest passages among stored (cosine similarity) and returns the
// mean share of the exact top k that the store returned.
func measureVectorRecall(ctx context.Context, st *weaviate.Store, emb embed.Embedder, qs []string, stored []sampled) (float64, error) {
	k := 2 * index.CandidatesPerRanker
	norms := make([]float64, len(stored))
	for i, s := range stored {
		norms[i] = math.Sqrt(dot(s.vec, s.vec))
	}
	type scored struct {
		id  string
		sim float64
	}
	var sum float64
	n := 0
	for _, q := range qs {
		vec, err := embed.Query(ctx, emb, q)
		if err != nil {
			return 0, err
		}
		hits, err := st.Search(ctx, index.SharedSearch{Vector: vec, K: k})
		if err != nil {
			return 0, err
		}
		qn := math.Sqrt(dot(vec, vec))
		all := make([]scored, len(stored))
		for i, s := range stored {
			all[i] = scored{s.p.ID, dot(vec, s.vec) / (qn*norms[i] + 1e-30)}
		}
		slices.SortFunc(all, func(a, b scored) int { return cmp.Compare(b.sim, a.sim) })
		want := map[string]bool{}
		for _, s := range all[:min(k, len(all))] {
			want[s.id] = true
		}
		got := 0
		for _, h := range hits {
			if want[h.Passage.ID] {
				got++
			}
		}
		if len(want) > 0 {
			sum += float64(got) / float64(len(want))
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	return sum / float64(n), nil
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// loadAvg is the 1-minute load average ("-" where /proc/loadavg is
// missing): the machine is shared, so the numbers say under what load
// they were taken.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "-"
	}
	return strings.Fields(string(b))[0]
}

// deleteRate shows a deletion as "N in S s".
func deleteRate(n int, s float64) string {
	return fmt.Sprintf("%d in %.1f s", n, s)
}

// printWeaviate prints the Weaviate column, when measured.
func printWeaviate(w io.Writer, rep benchReport) error {
	var rows []benchResult
	for _, r := range rep.Results {
		if r.Weaviate != nil {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nWeaviate (hybrid store, loopback nodes, offline embedder)")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "passages\tnodes\trf\ttransport\tasync\tbatch\tconc\tack s\tack/s\tsearchable s\tsearchable/s\tsync s\tserver cpu s\tclient cpu s\tcpu-bound/s\tquery p50 ms\tp99\tdelete by report\tby ID\tload\t")
	for _, res := range rows {
		r := res.Weaviate
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%v\t%d\t%d\t%.1f\t%.0f\t%.1f\t%.0f\t%.1f\t%.1f\t%.1f\t%.0f\t%.1f\t%.1f\t%s\t%s\t%s\t\n", r.Passages, r.Nodes, r.Replication,
			r.Transport, r.Async, r.Batch, r.Concurrency, r.AckSeconds, r.AckPerSec, r.SearchableSeconds, r.SearchablePerSec,
			r.SyncSeconds, r.ServerCPUSeconds, r.ClientCPUSeconds, r.CPUBoundPerSec, r.Query.P50, r.Query.P99,
			deleteRate(r.DeletedByReport, r.DeleteByReportSeconds), deleteRate(r.DeletedByID, r.DeleteByIDSeconds), r.Load)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, res := range rows {
		r := res.Weaviate
		cpuMS := 0.0
		if r.Passages > 0 {
			cpuMS = (r.ServerCPUSeconds + r.ClientCPUSeconds) * 1000 / float64(r.Passages)
		}
		if r.Unreachable > 0 {
			fmt.Fprintf(w, "%d passages: %d of the sample missed by the unrestricted query after the commit, returned by one restricted to its report (unreachable in the HNSW graph)\n",
				r.Passages, r.Unreachable)
		}
		fmt.Fprintf(w, "%d passages: %d of %d searchable polls missed; vector recall %.3f; keyword-searchable %.1f s (%d of the sample not found by BM25 within %s); %.2f CPU ms/passage; vector index %s, compression %s, tokenization %s, write consistency %s, hnsw %q; %s\n",
			r.Passages, r.PollMisses, r.Polls, r.VectorRecall, r.KeywordSeconds, r.KeywordMissing, keywordTimeout, cpuMS, cmp.Or(r.Index, "default"),
			cmp.Or(r.Compression, "default"), cmp.Or(r.Tokens, "default"), cmp.Or(r.Write, "default"), r.HNSW,
			cmp.Or(strings.Join(r.Server, " "), "script defaults"))
	}
	return nil
}
