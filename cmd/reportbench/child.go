package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/chromemstore"
	"github.com/reportbot/reportbot/internal/fakeembed"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/rag"
)

// phase is one phase of the bench at one size, run in a child process: it
// fills res with its part of benchResult (by JSON name).
type phase struct {
	bf         benchFlags
	cdir, ddir string
	res        map[string]any
}

// benchChild runs the phase bf.child and prints its part of benchResult as
// JSON.
func benchChild(ctx context.Context, stdout io.Writer, bf benchFlags) error {
	p := &phase{
		bf:   bf,
		cdir: filepath.Join(bf.work, fmt.Sprintf("corpus-%d", bf.size)),
		ddir: filepath.Join(bf.work, fmt.Sprintf("data-%d", bf.size)),
		res:  map[string]any{},
	}
	var err error
	switch bf.child {
	case "index":
		err = p.index(ctx)
	case "serve":
		err = p.serve(ctx)
	case "api":
		err = p.api(ctx)
	case "weaviate":
		err = p.weaviate(ctx)
	default:
		return fmt.Errorf("bench: unknown phase %q", bf.child)
	}
	if err != nil {
		return err
	}
	return writeJSON(stdout, p.res)
}

// open opens the scale corpus's index as reportbot does with the default
// config and --corpus, --data, logs discarded: with rebuild as `reportbot
// index --rebuild` does (which keeps the index it built rather than
// reopening the file it saved, as a command that answers next does).
func (p *phase) open(ctx context.Context, rebuild bool) (*app.App, error) {
	cfg := config.Default()
	cfg.Corpus.Dir, cfg.DataDir = p.cdir, p.ddir
	return app.Open(ctx, app.Options{Config: cfg, Log: app.NewLogger(io.Discard, cfg.Log), Rebuild: rebuild, Indexer: rebuild})
}

// startProfile starts a CPU profile of the phase when --cpuprofile is set;
// stop ends it.
func (p *phase) startProfile(name string) (stop func(), err error) {
	if p.bf.profileDir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(p.bf.profileDir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(p.bf.profileDir, fmt.Sprintf("%s-%d.pprof", name, p.bf.size)))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// index indexes the corpus from scratch, then opens it again twice: once
// without its corpus state (re-read, re-split, nothing embedded) and once
// with every corpus file touched (settled by content hashes).
func (p *phase) index(ctx context.Context) error {
	stop, err := p.startProfile("index")
	if err != nil {
		return err
	}
	start := time.Now()
	a, err := p.open(ctx, true)
	if err != nil {
		return err
	}
	el := time.Since(start)
	stop()
	p.res["passages"], p.res["reports"] = a.Sync.Passages, a.Sync.Reports
	p.res["index_s"], p.res["passages_per_s"] = el.Seconds(), float64(a.Sync.Passages)/el.Seconds()
	p.res["index_peak_rss_bytes"] = peakRSS()
	if fi, err := os.Stat(filepath.Join(p.ddir, index.IndexFile)); err == nil {
		p.res["index_bytes"] = fi.Size()
	}
	a = nil
	if p.bf.indexOnly {
		return nil
	}
	// The corpus state lost: the files are read again, nothing embedded.
	if err := os.Remove(filepath.Join(p.ddir, index.CorpusStateFile)); err != nil {
		return err
	}
	if err := p.reopen(ctx, "resync_nochange_s", "an unchanged"); err != nil {
		return err
	}
	// Every corpus file touched: a fresh checkout, a copy.
	now := time.Now()
	err = filepath.WalkDir(p.cdir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(path, now, now)
	})
	if err != nil {
		return fmt.Errorf("bench: touch the corpus: %w", err)
	}
	return p.reopen(ctx, "reindex_touched_s", "a touched")
}

// reopen times opening the index over a corpus whose content did not
// change (what describes how) and records the seconds under key.
func (p *phase) reopen(ctx context.Context, key, what string) error {
	runtime.GC() // the previous app's garbage is not this one's cost
	start := time.Now()
	a, err := p.open(ctx, false)
	if err != nil {
		return err
	}
	if a.Sync.Changed() {
		return fmt.Errorf("bench: re-syncing %s corpus changed the index: %+v", what, a.Sync)
	}
	p.res[key] = time.Since(start).Seconds()
	return nil
}

// serve opens the index in a fresh process (cold start), then measures
// retrieval, vector search and ask latency over the questions, the vector
// search's recall against the exact float32 search (exact.go), and, up to
// --chromem-max-size passages, chromem-go on the same vectors. It records
// the wall time of each of its steps under phase_s.
func (p *phase) serve(ctx context.Context) error {
	qs, err := readLines(filepath.Join(p.bf.work, "questions.txt"))
	if err != nil {
		return err
	}
	steps := map[string]float64{}
	p.res["phase_s"] = steps
	start := time.Now()
	a, err := p.open(ctx, false)
	if err != nil {
		return err
	}
	p.res["cold_start_s"] = time.Since(start).Seconds()
	steps["serve_open"] = time.Since(start).Seconds()
	if a.Sync.Changed() || a.Sync.Embedded > 0 {
		return fmt.Errorf("bench: opening the index changed it: %+v", a.Sync)
	}
	e := a.Engine
	// Warm up, English questions included (they load the dictionary once).
	t := time.Now()
	for _, q := range slices.Concat(qs[:min(20, len(qs))], qs[max(0, len(qs)-10):]) {
		if _, err := e.Ask(ctx, q); err != nil {
			return err
		}
	}
	steps["serve_warmup"] = time.Since(t).Seconds()
	stop, err := p.startProfile("serve")
	if err != nil {
		return err
	}
	emb, err := embed.NewHash(a.Config.Embed.Dim)
	if err != nil {
		return err
	}
	t = time.Now()
	qvecs, got, err := p.measureQuestions(ctx, e, emb, qs)
	if err != nil {
		return err
	}
	steps["serve_questions"] = time.Since(t).Seconds()
	stop()
	p.res["questions"] = len(qs)
	p.res["serve_peak_rss_bytes"] = peakRSS()
	p.res["vector_backend"] = string(e.Index().VectorBackend())
	t = time.Now()
	exact, err := p.measureRecall(ctx, e.Index(), emb, qvecs, got)
	if err != nil {
		return err
	}
	steps["serve_exact"] = time.Since(t).Seconds()
	if p.bf.size > p.bf.chromemMaxSize {
		return nil
	}
	runtime.GC() // the exact search's batches are not chromem-go's cost
	t = time.Now()
	err = p.measureChromem(ctx, e.Index(), emb, qvecs, exact)
	steps["serve_chromem"] = time.Since(t).Seconds()
	return err
}

// measureQuestions times, per question, retrieval (analysis and hybrid
// search for the 30 candidates Ask reads), the index's vector search alone
// (k=50) and Ask. It returns the questions' query vectors and the vector
// search's top 50s.
func (p *phase) measureQuestions(ctx context.Context, e *rag.Engine, emb embed.Embedder, qs []string) ([][]float32, [][]chromemstore.Hit, error) {
	var retr, vec, ask []time.Duration
	qvecs, tops := make([][]float32, len(qs)), make([][]chromemstore.Hit, len(qs))
	for i, q := range qs {
		t := time.Now()
		aq, err := e.Analyze(q)
		if err != nil {
			return nil, nil, err
		}
		if _, err := e.Retrieve(ctx, aq, 30); err != nil {
			return nil, nil, err
		}
		retr = append(retr, time.Since(t))
		v, err := emb.Embed(ctx, []string{aq.EmbedText})
		if err != nil {
			return nil, nil, err
		}
		qvecs[i] = v[0]
		t = time.Now()
		top, err := e.Index().QueryVectors(ctx, v[0], 50)
		if err != nil {
			return nil, nil, err
		}
		vec = append(vec, time.Since(t))
		tops[i] = slices.Clone(top) // kept for the recall
		t = time.Now()
		if _, err := e.Ask(ctx, q); err != nil {
			return nil, nil, err
		}
		ask = append(ask, time.Since(t))
	}
	p.res["retrieval_ms"], p.res["vector_ms"], p.res["ask_ms"] = summarize(retr), summarize(vec), summarize(ask)
	return qvecs, tops, nil
}

// measureRecall computes the exact float32 top 50 of every question
// (exactTopK) and records the share of it that the index's vector search
// returns in its top 50 (got, by question), averaged over the questions. It
// runs after the serving peak was read and returns the exact top 50s.
func (p *phase) measureRecall(ctx context.Context, ix *index.Index, emb embed.Embedder, qvecs [][]float32, got [][]chromemstore.Hit) ([][]chromemstore.Hit, error) {
	src, err := passageSource(ix, emb)
	if err != nil {
		return nil, err
	}
	exact, err := exactTopK(ctx, src, qvecs, 50, exactWorkers())
	if err != nil {
		return nil, err
	}
	var recall, byID float64
	for i := range qvecs {
		byID += overlap(got[i], exact[i])
		r, err := tiedRecall(got[i], exact[i], func(id string) (float32, error) {
			return exactSimilarity(ctx, ix, emb, qvecs[i], id)
		})
		if err != nil {
			return nil, err
		}
		recall += r
	}
	p.res["vector_recall_at_50"] = recall / float64(len(qvecs))
	p.res["vector_recall_at_50_by_id"] = byID / float64(len(qvecs))
	return exact, nil
}

// measureChromem times chromem-go's query on the embedder's exact float32
// vectors (it holds them all a second time, so only up to
// --chromem-max-size passages): the plain vector search the index
// replaces. It also records how much of chromem-go's top 50 the streamed
// exact top 50 holds (exact_matches_chromem, 1 unless passages tie at the
// 50th place).
func (p *phase) measureChromem(ctx context.Context, ix *index.Index, emb embed.Embedder, qvecs [][]float32, exact [][]chromemstore.Hit) error {
	st, err := exactChromem(ctx, ix, emb)
	if err != nil {
		return err
	}
	var chr []time.Duration
	var agree float64
	for i, v := range qvecs {
		t := time.Now()
		want, err := st.Query(ctx, v, 50)
		if err != nil {
			return err
		}
		chr = append(chr, time.Since(t))
		agree += overlap(exact[i], want)
	}
	p.res["chromem_ms"] = summarize(chr)
	p.res["exact_matches_chromem"] = agree / float64(len(qvecs))
	return nil
}

// api indexes the corpus with the real API embedder (go-openai, batching,
// concurrency bound, retries) against the fake embeddings API on loopback.
func (p *phase) api(ctx context.Context) error {
	fake := &fakeembed.Handler{Latency: p.bf.apiLatency}
	srv, err := fakeembed.Start(fake)
	if err != nil {
		return err
	}
	defer srv.Close()
	defaults := config.Default()
	prov, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), MaxConcurrency: p.bf.apiConc, Timeout: 5 * time.Minute})
	if err != nil {
		return err
	}
	emb, err := openai.NewEmbedder(ctx, prov, openai.EmbedderOptions{
		Model: "fake-embedding", Dimensions: defaults.Embed.Dim, BatchSize: p.bf.apiBatch,
	})
	if err != nil {
		return err
	}
	log := app.NewLogger(io.Discard, config.Log{Level: "warn", Format: "text"})
	reports, _, err := app.LoadReports(ctx, config.Corpus{Dir: p.cdir, MaxFileMB: defaults.Corpus.MaxFileMB}, log)
	if err != nil {
		return err
	}
	ix, err := index.New(emb)
	if err != nil {
		return err
	}
	st, err := ix.Sync(ctx, reports, index.SyncOptions{
		Split:       corpus.SplitOptions{MaxRunes: defaults.Corpus.MaxPassageRunes},
		Concurrency: p.bf.apiConc,
		BatchSize:   p.bf.apiBatch,
	})
	if err != nil {
		return err
	}
	p.res["api_latency_ms"] = float64(p.bf.apiLatency) / 1e6
	p.res["api_concurrency"] = p.bf.apiConc
	p.res["api_batch"] = p.bf.apiBatch
	p.res["api_calls"] = fake.Requests()
	p.res["api_index_s"] = st.Elapsed.Seconds()
	return nil
}

// exactChromem re-embeds the index's passages into a chromem-go store.
func exactChromem(ctx context.Context, ix *index.Index, emb embed.Embedder) (*chromemstore.Store, error) {
	st, err := chromemstore.New(emb.Dim())
	if err != nil {
		return nil, err
	}
	ps, err := ix.Passages()
	if err != nil {
		return nil, err
	}
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
