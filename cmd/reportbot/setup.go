package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/reportbot/reportbot/cedict"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/rag"
)

// commonFlags are the flags every engine-using command takes.
type commonFlags struct {
	config, corpus, data string
	rebuild              bool
	indexer              bool // the command writes the index (matters for a shared store)
}

func addCommonFlags(fs *flag.FlagSet) *commonFlags {
	cf := &commonFlags{}
	fs.StringVar(&cf.config, "config", "", "YAML config file (see config.example.yaml); default: built-in defaults")
	fs.StringVar(&cf.corpus, "corpus", "", "directory of reports to use instead of the bundled ones (.txt .md .html .jsonl)")
	fs.StringVar(&cf.data, "data", "", "directory for the index (default: the user cache dir)")
	fs.BoolVar(&cf.rebuild, "rebuild", false, "discard the existing index and embed everything again")
	return cf
}

// app is everything a command needs, built from config and flags.
type app struct {
	cfg     config.Config
	log     *slog.Logger
	engine  *rag.Engine
	dataDir string
	sync    index.SyncStats

	// follower keeps engine current with a shared store (nil for chromem):
	// long-running commands (serve) run it and ask through it.
	follower *rag.Follower
	// where names a shared store's index ("" for chromem: see dataDir).
	where string
}

// loadConfig reads the config file at path; an empty path means the
// defaults.
func loadConfig(path string) (config.Config, error) {
	if path == "" {
		return config.Parse(nil)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return config.Default(), fmt.Errorf("config: %w", err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// openApp loads config, the corpus and the index, brings the index up to
// date with the corpus (embedding only what changed) and builds the engine.
func openApp(ctx context.Context, env *environment, cf *commonFlags, progress io.Writer) (*app, error) {
	cfg, err := loadConfig(cf.config)
	if err != nil {
		return nil, err
	}
	if cf.corpus != "" {
		cfg.Corpus.Dir = cf.corpus
	}
	if cf.data != "" {
		cfg.DataDir = cf.data
	}
	log := newLogger(env.stderr, cfg.Log)
	prov, err := newProvider(cfg, env.lookupEnv, log)
	if err != nil {
		return nil, err
	}
	emb, err := newEmbedder(ctx, cfg, prov)
	if err != nil {
		return nil, err
	}
	if cfg.Store.Kind == config.StoreWeaviate {
		return openSharedApp(ctx, env, cf, cfg, log, prov, emb, progress)
	}
	dataDir, err := resolveDataDir(cfg, env.getenv)
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(dataDir, emb)
	switch {
	case err == nil && !cf.rebuild:
	case err == nil, errors.Is(err, index.ErrNoIndex):
		if ix, err = index.New(emb); err != nil {
			return nil, err
		}
	case errors.Is(err, embed.ErrEmbedderMismatch) && cf.rebuild:
		if ix, err = index.New(emb); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	vs, err := index.ParseVectorSearch(cfg.Store.Chromem.VectorSearch)
	if err != nil {
		return nil, err // validated with the config
	}
	ix.SetVectorSearch(vs)
	stats, err := syncCorpus(ctx, cfg, cf.rebuild, ix, emb, dataDir, log, progress)
	if err != nil {
		return nil, err
	}
	engine, err := newEngine(ix, emb, prov, cfg, &lazyDict{log: log}, log)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, log: log, engine: engine, dataDir: dataDir, sync: stats}, nil
}

// newEngine builds the engine over ix: extractive, with the LLM answerer on
// top when llm.chat_model is set.
func newEngine(ix *index.Index, emb embed.Embedder, prov *openai.Provider, cfg config.Config, dict rag.Dictionary, log *slog.Logger) (*rag.Engine, error) {
	engine, err := rag.NewEngine(ix, dict, log)
	if err != nil {
		return nil, err
	}
	if cfg.LLM.ChatModel != "" {
		chat, err := openai.NewChat(prov, cfg.LLM.ChatModel)
		if err != nil {
			return nil, err
		}
		engine = engine.WithLLM(rag.LLMOptions{
			Chat: chat, Rewrite: cfg.LLM.RewriteQueries, MaxPassages: cfg.LLM.MaxPassages,
			HistoryTokens: cfg.LLM.HistoryTokens, MaxAnswerTokens: cfg.LLM.MaxAnswerTokens,
		})
	}
	return engine, nil
}

// newProvider connects to the configured OpenAI-compatible API, or returns
// nil when nothing needs one.
func newProvider(cfg config.Config, lookupEnv func(string) (string, bool), log *slog.Logger) (*openai.Provider, error) {
	if !cfg.UsesProvider() {
		return nil, nil
	}
	key, err := cfg.APIKey(lookupEnv)
	if err != nil {
		return nil, err
	}
	pc := cfg.Provider
	return openai.NewProvider(openai.ProviderOptions{
		BaseURL: pc.BaseURL, APIKey: key, Azure: pc.Azure, APIVersion: pc.APIVersion,
		Timeout: pc.Timeout, AttemptTimeout: pc.AttemptTimeout, MaxRetries: pc.MaxRetries, MaxConcurrency: pc.MaxConcurrency, Log: log,
	})
}

// newEmbedder builds the configured embedder.
func newEmbedder(ctx context.Context, cfg config.Config, prov *openai.Provider) (embed.Embedder, error) {
	if cfg.Embed.Kind == config.EmbedOpenAI {
		return openai.NewEmbedder(ctx, prov, openai.EmbedderOptions{
			Model: cfg.Embed.Model, Dimensions: cfg.Embed.Dimensions, BatchSize: cfg.Embed.BatchSize,
		})
	}
	return embed.NewHash(cfg.Embed.Dim)
}

// loadReports reads the configured corpus directory or the bundled reports.
// Skipped files are logged by name with the reason.
func loadReports(cc config.Corpus, log *slog.Logger) ([]corpus.Report, []corpus.Problem, error) {
	var (
		reports  []corpus.Report
		problems []corpus.Problem
		err      error
	)
	if cc.Dir == "" {
		reports, problems, err = corpus.Default()
	} else {
		fi, statErr := os.Stat(cc.Dir)
		if statErr != nil {
			return nil, nil, fmt.Errorf("corpus: %w", statErr)
		}
		if !fi.IsDir() {
			return nil, nil, fmt.Errorf("corpus: %s is not a directory", cc.Dir)
		}
		reports, problems, err = corpus.Load(os.DirFS(cc.Dir), ".", corpus.LoadOptions{MaxFileBytes: int64(cc.MaxFileMB) << 20})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: %w", err)
	}
	for _, p := range problems {
		log.Warn("skipped report file", "source", p.Source, "reason", p.Err)
	}
	if len(reports) == 0 {
		return nil, nil, fmt.Errorf("corpus: no usable reports in %s", cmp.Or(cc.Dir, "the bundled corpus"))
	}
	return reports, problems, nil
}

// resolveDataDir picks the index directory: the configured one, or one per
// corpus under the user cache directory so that indexes of different
// corpora do not overwrite each other.
func resolveDataDir(cfg config.Config, getenv func(string) string) (string, error) {
	if cfg.DataDir != "" {
		return cfg.DataDir, nil
	}
	base := getenv("XDG_CACHE_HOME")
	if base == "" {
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("no data directory: set data_dir in the config or pass --data DIR")
		}
		base = filepath.Join(home, ".cache")
	}
	key := "bundled"
	if cfg.Corpus.Dir != "" {
		abs, err := filepath.Abs(cfg.Corpus.Dir)
		if err != nil {
			return "", fmt.Errorf("corpus dir: %w", err)
		}
		sum := sha256.Sum256([]byte(abs))
		key = filepath.Base(abs) + "-" + hex.EncodeToString(sum[:4])
	}
	return filepath.Join(base, "reportbot", key), nil
}

func newLogger(w io.Writer, lc config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(lc.Level)) // validated already
	opts := &slog.HandlerOptions{Level: level}
	if lc.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// lazyDict loads the CC-CEDICT dictionary on first use, so Chinese questions
// never pay for it.
type lazyDict struct {
	once sync.Once
	dict *cedict.Dict
	log  *slog.Logger
}

// Lookup implements rag.Dictionary.
func (l *lazyDict) Lookup(phrase string) []cedict.Candidate {
	l.once.Do(func() {
		d, err := cedict.Default()
		if err != nil {
			l.log.Error("dictionary unavailable; English questions are searched as written", "err", err)
			return
		}
		l.dict = d
	})
	if l.dict == nil {
		return nil
	}
	return l.dict.Lookup(phrase)
}

// progressPrinter shows passages embedded, rate and ETA on one line.
func progressPrinter(w io.Writer, start time.Time) index.Progress {
	return func(done, total int) {
		el := time.Since(start).Seconds()
		rate := float64(done) / max(el, 1e-9)
		eta := time.Duration(float64(total-done) / max(rate, 1e-9) * float64(time.Second))
		fmt.Fprintf(w, "\rindexing: %d/%d passages, %.0f passages/s, ETA %s   ", done, total, rate, eta.Round(time.Second))
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
