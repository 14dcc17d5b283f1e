package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/rag"
	"github.com/reportbot/reportbot/weaviate"
)

// Store kinds.
const (
	storeChromem  = "chromem"
	storeWeaviate = "weaviate"
)

// storeConfig selects where vectors live: chromem-go embedded in the
// process (default) or a Weaviate cluster that several processes share.
type storeConfig struct {
	// Kind is "chromem" or "weaviate".
	Kind     string         `yaml:"kind"`
	Chromem  chromemConfig  `yaml:"chromem"`
	Weaviate weaviateConfig `yaml:"weaviate"`
}

type chromemConfig struct {
	// VectorSearch is what answers vector queries: auto (chromem-go below
	// rag.QuantizedFrom passages, the int8 matrix from there on), chromem
	// or int8.
	VectorSearch string `yaml:"vector_search"`
}

type weaviateConfig struct {
	// URLs of the cluster's nodes; calls fail over between them.
	URLs []string `yaml:"urls"`
	// APIKeyEnv names the environment variable holding the API key (empty:
	// anonymous access).
	APIKeyEnv string `yaml:"api_key_env"`
	// Collection is the Weaviate class of the passages.
	Collection string `yaml:"collection"`
	// ReplicationFactor is fixed when the collection is created.
	ReplicationFactor int `yaml:"replication_factor"`
	// Tokenization of passage text for Weaviate's BM25.
	Tokenization string `yaml:"tokenization"`
	// Alpha weighs vector against keyword ranking in the hybrid fusion.
	Alpha float64 `yaml:"alpha"`
	// ReadConsistency and WriteConsistency: ONE, QUORUM or ALL.
	ReadConsistency  string `yaml:"read_consistency"`
	WriteConsistency string `yaml:"write_consistency"`
	// Timeout bounds each request to one node.
	Timeout time.Duration `yaml:"timeout"`
	// BatchSize is the number of passages per batch request.
	BatchSize int `yaml:"batch_size"`
	// RefreshInterval is how often answering processes look for a newer
	// index committed by the indexing process.
	RefreshInterval time.Duration `yaml:"refresh_interval"`
}

func defaultStoreConfig() storeConfig {
	return storeConfig{Kind: storeChromem, Chromem: chromemConfig{VectorSearch: string(index.VectorSearchAuto)}, Weaviate: weaviateConfig{
		URLs: []string{"http://127.0.0.1:8080"}, Collection: "ReportbotPassages", ReplicationFactor: 1,
		Tokenization: "gse_ch", Alpha: 0.5, ReadConsistency: weaviate.ConsistencyOne, WriteConsistency: weaviate.ConsistencyQuorum,
		Timeout: 10 * time.Second, BatchSize: 100, RefreshInterval: 30 * time.Second,
	}}
}

func (s storeConfig) validate() error {
	var errs []error
	switch s.Kind {
	case storeChromem:
		if _, err := index.ParseVectorSearch(s.Chromem.VectorSearch); err != nil {
			return fmt.Errorf("store.chromem.vector_search is %q: use auto (default), chromem or int8", s.Chromem.VectorSearch)
		}
		return nil
	case storeWeaviate:
	default:
		return fmt.Errorf("store.kind is %q: use chromem (embedded, default) or weaviate", s.Kind)
	}
	w := s.Weaviate
	if len(w.URLs) == 0 {
		errs = append(errs, errors.New("store.weaviate.urls is empty: list at least one node, e.g. [http://127.0.0.1:8080]"))
	}
	for _, raw := range w.URLs {
		if u, err := url.Parse(raw); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, fmt.Errorf("store.weaviate.urls has %q: use http://host:port", raw))
		}
	}
	if w.Collection == "" || w.Collection[0] < 'A' || w.Collection[0] > 'Z' || strings.ContainsFunc(w.Collection, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	}) {
		errs = append(errs, fmt.Errorf("store.weaviate.collection is %q: use letters, digits and _ starting with an upper-case letter (default ReportbotPassages)", w.Collection))
	}
	if w.ReplicationFactor < 1 || w.ReplicationFactor > 9 {
		errs = append(errs, fmt.Errorf("store.weaviate.replication_factor is %d: use 1 to 9, at most the number of nodes", w.ReplicationFactor))
	}
	if !slices.Contains([]string{"gse_ch", "gse", "trigram", "word"}, w.Tokenization) {
		errs = append(errs, fmt.Errorf("store.weaviate.tokenization is %q: use gse_ch (Chinese, default), gse, trigram or word", w.Tokenization))
	}
	if w.Alpha <= 0 || w.Alpha > 1 {
		errs = append(errs, fmt.Errorf("store.weaviate.alpha is %g: use a value in (0, 1] (default 0.5)", w.Alpha))
	}
	for key, v := range map[string]string{"read_consistency": w.ReadConsistency, "write_consistency": w.WriteConsistency} {
		if !slices.Contains([]string{weaviate.ConsistencyOne, weaviate.ConsistencyQuorum, weaviate.ConsistencyAll}, v) {
			errs = append(errs, fmt.Errorf("store.weaviate.%s is %q: use ONE, QUORUM or ALL", key, v))
		}
	}
	if w.Timeout < 100*time.Millisecond || w.Timeout > 10*time.Minute {
		errs = append(errs, fmt.Errorf("store.weaviate.timeout is %s: use 100ms to 10m (default 10s)", w.Timeout))
	}
	if w.BatchSize < 1 || w.BatchSize > 10000 {
		errs = append(errs, fmt.Errorf("store.weaviate.batch_size is %d: use 1 to 10000 (default 100)", w.BatchSize))
	}
	if w.RefreshInterval < time.Second {
		errs = append(errs, fmt.Errorf("store.weaviate.refresh_interval is %s: use 1s or more (default 30s)", w.RefreshInterval))
	}
	return errors.Join(errs...)
}

// newWeaviateStore builds the store from config; the API key is read from
// the environment variable the config names.
func newWeaviateStore(wc weaviateConfig, getenv func(string) string, log *slog.Logger) (*weaviate.Store, error) {
	opt := weaviate.Options{
		URLs: wc.URLs, Collection: wc.Collection, ReplicationFactor: wc.ReplicationFactor,
		Tokenization: wc.Tokenization, Alpha: wc.Alpha, ReadConsistency: wc.ReadConsistency,
		WriteConsistency: wc.WriteConsistency, Timeout: wc.Timeout, BatchSize: wc.BatchSize, Log: log,
	}
	if wc.APIKeyEnv != "" {
		opt.APIKey = getenv(wc.APIKeyEnv)
		if opt.APIKey == "" {
			return nil, fmt.Errorf("store.weaviate.api_key_env names %s, which is not set", wc.APIKeyEnv)
		}
	}
	return weaviate.NewStore(opt)
}

// openSharedApp is openApp for store.kind weaviate. The index command syncs
// the corpus into the shared collection and commits; every other command
// only reads what the last index run committed (it needs no corpus) and
// follows later commits.
func openSharedApp(ctx context.Context, env *environment, cf *commonFlags, cfg config, log *slog.Logger,
	prov *openai.Provider, emb embed.Embedder, progress io.Writer) (*app, error) {
	st, err := newWeaviateStore(cfg.Store.Weaviate, env.getenv, log)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("weaviate %s collection %s", strings.Join(cfg.Store.Weaviate.URLs, ","), st.Collection())
	// The index is in Weaviate; the local data directory only holds files
	// such as serve's feedback log.
	dataDir, _ := resolveDataDir(cfg, env.getenv)
	dict := &lazyDict{log: log}
	engineFor := func(ix *index.Index) (*rag.Engine, error) { return newEngine(ix, emb, prov, cfg, dict, log) }
	if !cf.indexer {
		if cf.rebuild {
			return nil, errors.New("--rebuild with store.kind weaviate: run it with `reportbot index`, the one process that writes the shared index")
		}
		f, err := rag.NewFollower(ctx, st, emb, engineFor, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return &app{cfg: cfg, log: log, engine: f.Engine(), follower: f, dataDir: dataDir, where: where}, nil
	}

	reports, _, err := loadReports(cfg.Corpus, log) // problems are logged
	if err != nil {
		return nil, err
	}
	if cf.rebuild {
		if err := st.Reset(ctx); err != nil {
			return nil, err
		}
	}
	if err := st.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	ix, err := index.OpenShared(ctx, st, emb)
	if errors.Is(err, index.ErrNoIndex) {
		ix, err = index.NewSharedIndex(st, emb), nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	stats, err := ix.Sync(ctx, reports, syncOptions(cfg, progress))
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
	return &app{cfg: cfg, log: log, engine: engine, dataDir: dataDir, where: where, sync: stats}, nil
}
