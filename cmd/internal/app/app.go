// Package app builds what reportbot's commands run on from a
// config.Config: the logger, the OpenAI-compatible provider, the embedder,
// the store (chromem-go in a data directory, or a shared Weaviate), the
// index brought up to date with the corpus, and the engine.
//
// It is the wiring the commands share (cmd/reportbot, and cmd/reportbench,
// which measures exactly what reportbot runs); it lives under cmd/ because,
// like the commands, it is where concrete types meet.
package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/reportbot/reportbot/cedict"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/llmanswer"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/query"
	"github.com/reportbot/reportbot/rag"
)

// Options say which index and engine Open builds.
type Options struct {
	// Config is the configuration, with the command's flags applied.
	Config config.Config
	// LookupEnv reads the secrets the config names and, without
	// Config.DataDir, the cache location (XDG_CACHE_HOME, HOME); commands
	// pass os.LookupEnv. An empty variable counts as unset; nil means an
	// empty environment.
	LookupEnv func(string) (string, bool)
	// Log receives the logs (NewLogger makes one from Config.Log); nil
	// discards them.
	Log *slog.Logger
	// Rebuild discards the existing index and embeds everything again
	// (and, like Indexer, warns of every skipped corpus file).
	Rebuild bool
	// Indexer is set by the command that writes the index: with a shared
	// store only it reads the corpus and commits. It also warns of every
	// skipped corpus file, where other commands log one line for files
	// skipped as they were at the last index update.
	Indexer bool
	// Progress, when not nil, shows indexing progress on one line.
	Progress io.Writer
	// OnProgress, when not nil, is called instead as passages are
	// embedded (serve's /addreport shows it in Discord).
	OnProgress index.Progress
}

// App is everything a command needs, built from config.
type App struct {
	// Config is Options.Config.
	Config config.Config
	// Log is Options.Log (or the discarding logger).
	Log *slog.Logger
	// Engine answers from the index (for a shared store, the index the
	// indexer last committed when Open ran; see Follower).
	Engine *rag.Engine
	// DataDir holds the index, or with a shared store only local files
	// such as serve's feedback log.
	DataDir string
	// Sync is what bringing the index up to date did (zero for a shared
	// store's reader).
	Sync index.SyncStats

	// Follower keeps Engine current with a shared store (nil for chromem):
	// long-running commands (serve) run it and ask through it.
	Follower *rag.Follower
	// Where names a shared store's index ("" for chromem: see DataDir).
	Where string
}

// Open loads the corpus and the index, brings the index up to date with
// the corpus (embedding only what changed, saving checkpoints) and builds
// the engine: extractive, with the LLM answerer when the config names a
// chat model. With store.kind weaviate see openShared.
func Open(ctx context.Context, opt Options) (*App, error) {
	if opt.LookupEnv == nil {
		opt.LookupEnv = func(string) (string, bool) { return "", false }
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	cfg, log := opt.Config, opt.Log
	prov, err := newProvider(cfg, opt.LookupEnv, log)
	if err != nil {
		return nil, err
	}
	if cfg.Store.Kind == config.StoreWeaviate {
		emb, err := newEmbedder(ctx, cfg, prov, 0)
		if err != nil {
			return nil, err
		}
		return openShared(ctx, opt, prov, emb)
	}
	dataDir, err := resolveDataDir(cfg, opt.LookupEnv)
	if err != nil {
		return nil, err
	}
	known := 0
	if !opt.Rebuild {
		known = builtDim(cfg, dataDir)
	}
	emb, err := newEmbedder(ctx, cfg, prov, known)
	if err != nil {
		return nil, err
	}
	ix, stats, err := openLocal(ctx, opt, emb, dataDir)
	if err != nil {
		return nil, err
	}
	vs, err := index.ParseVectorSearch(cfg.Store.Chromem.VectorSearch)
	if err != nil {
		return nil, err // validated with the config
	}
	ix.SetVectorSearch(vs)
	engine, err := newEngine(ix, emb, prov, cfg, &lazyDict{log: log}, log)
	if err != nil {
		return nil, err
	}
	return &App{Config: cfg, Log: log, Engine: engine, DataDir: dataDir, Sync: stats}, nil
}

// newEngine builds the engine over ix: extractive, with the LLM answerer on
// top when llm.chat_model is set.
func newEngine(ix *index.Index, emb embed.Embedder, prov *openai.Provider, cfg config.Config, dict query.Dictionary, log *slog.Logger) (*rag.Engine, error) {
	engine, err := rag.NewEngine(ix, dict, log)
	if err != nil {
		return nil, err
	}
	if cfg.LLM.ChatModel != "" {
		chat, err := openai.NewChat(prov, cfg.LLM.ChatModel)
		if err != nil {
			return nil, err
		}
		engine = engine.WithLLM(llmanswer.Options{
			Chat: chat, Rewrite: cfg.LLM.RewriteQueries, MaxPassages: cfg.LLM.MaxPassages,
			HistoryTokens: cfg.LLM.HistoryTokens, MaxAnswerTokens: cfg.LLM.MaxAnswerTokens,
			Timeout: cfg.Provider.Timeout,
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

// builtDim is the vector length of the index in dataDir when the
// configured API embedder built it, else 0: the API embedder then needs no
// probe request (which would fail while the API is down).
func builtDim(cfg config.Config, dataDir string) int {
	if cfg.Embed.Kind != config.EmbedOpenAI || cfg.Embed.Dimensions != 0 {
		return 0
	}
	id, dim, err := index.BuiltWith(dataDir)
	if err != nil || dim <= 0 || id != openai.EmbedderID(cfg.Embed.Model, dim) {
		return 0
	}
	return dim
}

// newEmbedder builds the configured embedder; knownDim is the API
// embedder's vector length when an index already tells it (see builtDim).
func newEmbedder(ctx context.Context, cfg config.Config, prov *openai.Provider, knownDim int) (embed.Embedder, error) {
	if cfg.Embed.Kind == config.EmbedOpenAI {
		return openai.NewEmbedder(ctx, prov, openai.EmbedderOptions{
			Model: cfg.Embed.Model, Dimensions: cfg.Embed.Dimensions, KnownDim: knownDim, BatchSize: cfg.Embed.BatchSize,
		})
	}
	return embed.NewHash(cfg.Embed.Dim)
}

// LoadReports reads the configured corpus directory or the bundled reports.
// Skipped files are logged by name with the reason; no usable report is an
// error.
func LoadReports(ctx context.Context, cc config.Corpus, log *slog.Logger) ([]corpus.Report, []corpus.Problem, error) {
	reports, problems, err := loadReports(ctx, cc)
	for _, p := range problems {
		if p.Partial {
			log.Warn("part of a report file not read", "source", p.Source, "reason", p.Err)
			continue
		}
		log.Warn("skipped report file", "source", p.Source, "reason", p.Err)
	}
	if err != nil {
		return nil, nil, err
	}
	return reports, problems, nil
}

// loadReports is LoadReports without the logging. With no usable report
// it returns the problems along with the error.
func loadReports(ctx context.Context, cc config.Corpus) ([]corpus.Report, []corpus.Problem, error) {
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
		reports, problems, err = corpus.LoadDir(ctx, cc.Dir, corpus.LoadOptions{MaxFileBytes: cc.MaxFileBytes(), Links: corpusLinks(cc), OCR: cc.OCR})
		for i, p := range problems {
			if errors.Is(p.Err, corpus.ErrSymlink) {
				problems[i].Err = fmt.Errorf("%w; set corpus.follow_links: outside (or --follow-links) to read files outside the corpus directory", p.Err)
			}
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: %w", err)
	}
	if len(reports) == 0 {
		return nil, problems, fmt.Errorf("corpus: no usable reports in %s", cmp.Or(cc.Dir, "the bundled corpus"))
	}
	return reports, problems, nil
}

// DataDir is the data directory Open uses for cfg: the configured one, or
// one per corpus under the user cache directory.
func DataDir(cfg config.Config, lookupEnv func(string) (string, bool)) (string, error) {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	return resolveDataDir(cfg, lookupEnv)
}

// corpusLinks is the corpus link policy that cc.FollowLinks names
// (LinksInside when empty).
func corpusLinks(cc config.Corpus) corpus.Links {
	if cc.FollowLinks == config.LinksOutside {
		return corpus.LinksOutside
	}
	return corpus.LinksInside
}

// resolveDataDir picks the index directory: the configured one, or one per
// corpus under the user cache directory so that indexes of different
// corpora do not overwrite each other.
func resolveDataDir(cfg config.Config, lookupEnv func(string) (string, bool)) (string, error) {
	if cfg.DataDir != "" {
		return cfg.DataDir, nil
	}
	base, _ := lookupEnv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := lookupEnv("HOME")
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

// NewLogger is the logger the log: section asks for, writing to w.
func NewLogger(w io.Writer, lc config.Log) *slog.Logger {
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

// Lookup implements query.Dictionary.
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
