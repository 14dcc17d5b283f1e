package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/rag"
	"github.com/reportbot/reportbot/weaviate"
)

// newWeaviateStore builds the store from config; the API key is read from
// the environment variable the config names.
func newWeaviateStore(wc config.Weaviate, lookupEnv func(string) (string, bool), log *slog.Logger) (*weaviate.Store, error) {
	key, err := wc.APIKey(lookupEnv)
	if err != nil {
		return nil, err
	}
	return weaviate.NewStore(weaviate.Options{
		URLs: wc.URLs, APIKey: key, Collection: wc.Collection, ReplicationFactor: wc.ReplicationFactor,
		Tokenization: wc.Tokenization, VectorIndex: wc.VectorIndex, Compression: wc.Compression, Alpha: wc.Alpha, ReadConsistency: wc.ReadConsistency,
		WriteConsistency: wc.WriteConsistency, Timeout: wc.Timeout, BatchSize: wc.BatchSize, Concurrency: wc.Concurrency,
		GRPCHosts: wc.GRPCHosts, Log: log,
	})
}

// openShared is Open for store.kind weaviate. The index command syncs
// the corpus into the shared collection and commits; every other command
// only reads what the last index run committed (it needs no corpus) and
// follows later commits.
func openShared(ctx context.Context, opt Options, prov *openai.Provider, emb embed.Embedder) (*App, error) {
	cfg, log := opt.Config, opt.Log
	st, err := newWeaviateStore(cfg.Store.Weaviate, opt.LookupEnv, log)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("weaviate %s collection %s", strings.Join(cfg.Store.Weaviate.URLs, ","), st.Collection())
	// The index is in Weaviate; the local data directory only holds files
	// such as serve's feedback log.
	dataDir, _ := resolveDataDir(cfg, opt.LookupEnv)
	dict := &lazyDict{log: log}
	engineFor := func(ix *index.Index) (*rag.Engine, error) { return newEngine(ix, emb, prov, cfg, dict, log) }
	if !opt.Indexer {
		if opt.Rebuild {
			return nil, errors.New("--rebuild with store.kind weaviate: run it with `reportbot index`, the one process that writes the shared index")
		}
		f, err := rag.NewFollower(ctx, st, emb, engineFor, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return &App{Config: cfg, Log: log, Engine: f.Engine(), Follower: f, DataDir: dataDir, Where: where}, nil
	}

	reports, _, err := LoadReports(ctx, cfg.Corpus, log) // problems are logged
	if err != nil {
		return nil, err
	}
	if opt.Rebuild {
		if err := st.Reset(ctx); err != nil {
			return nil, err
		}
	}
	if err := st.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	ix, err := index.OpenShared(ctx, st, emb)
	if errors.Is(err, weaviate.ErrOlderFormat) {
		// A layout this reportbot no longer reads: the indexer rebuilds it.
		log.Warn("rebuilding the shared index: its collections are of an older format than this reportbot reads", "store", where, "err", err)
		if err = st.Reset(ctx); err == nil {
			err = st.EnsureSchema(ctx)
		}
		if err != nil {
			return nil, err
		}
		ix, err = index.NewSharedIndex(st, emb), nil
	}
	if errors.Is(err, index.ErrNoIndex) {
		ix, err = index.NewSharedIndex(st, emb), nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	stats, err := ix.Sync(ctx, reports, syncOptions(cfg, opt.Progress))
	if err != nil {
		return nil, fmt.Errorf("index into %s: %w", where, err)
	}
	log.Info("shared index synced", "store", where, "generation", ix.Generation(), "reports", stats.Reports,
		"passages", stats.Passages, "embedded", stats.Embedded, "reused", stats.Reused, "removed", stats.Removed,
		"elapsed", stats.Elapsed)
	engine, err := engineFor(ix)
	if err != nil {
		return nil, err
	}
	return &App{Config: cfg, Log: log, Engine: engine, DataDir: dataDir, Where: where, Sync: stats}, nil
}
