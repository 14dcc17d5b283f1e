package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Store kinds (Store.Kind).
const (
	// StoreChromem is chromem-go embedded in the process (the default).
	StoreChromem = "chromem"
	// StoreWeaviate is a Weaviate cluster that several processes share.
	StoreWeaviate = "weaviate"
)

// Vector searches of the embedded store (Chromem.VectorSearch); the
// commands map them to the index's.
const (
	// VectorSearchAuto: chromem-go for small indexes, the int8 matrix for
	// large ones.
	VectorSearchAuto = "auto"
	// VectorSearchChromem always queries chromem-go.
	VectorSearchChromem = "chromem"
	// VectorSearchInt8 always scans the int8 matrix.
	VectorSearchInt8 = "int8"
)

// Weaviate consistency levels (Weaviate.ReadConsistency and
// WriteConsistency), as Weaviate spells them.
const (
	ConsistencyOne    = "ONE"
	ConsistencyQuorum = "QUORUM"
	ConsistencyAll    = "ALL"
)

// Store is the store: section: where vectors live, chromem-go embedded in
// the process (default) or a Weaviate cluster that several processes share.
type Store struct {
	// Kind is StoreChromem or StoreWeaviate.
	Kind     string   `yaml:"kind"`
	Chromem  Chromem  `yaml:"chromem"`
	Weaviate Weaviate `yaml:"weaviate"`
}

// Chromem is the store.chromem: section.
type Chromem struct {
	// VectorSearch is what answers vector queries: auto (chromem-go below
	// index.QuantizedFrom passages, the int8 matrix from there on), chromem
	// or int8. Empty means auto.
	VectorSearch string `yaml:"vector_search"`
}

// Weaviate is the store.weaviate: section.
type Weaviate struct {
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
	// VectorIndex is the type of the collection's vector index: hnsw, flat
	// or dynamic. Fixed when the collection is created.
	VectorIndex string `yaml:"vector_index"`
	// Compression of the vectors in the HNSW graph: rq-8 (8-bit rotational
	// quantization, re-scored with the full vectors) or none. Fixed when
	// the collection is created.
	Compression string `yaml:"compression"`
	// Alpha weighs vector against keyword ranking in the hybrid fusion.
	Alpha float64 `yaml:"alpha"`
	// ReadConsistency and WriteConsistency: ONE, QUORUM or ALL.
	ReadConsistency  string `yaml:"read_consistency"`
	WriteConsistency string `yaml:"write_consistency"`
	// Timeout bounds each request to one node.
	Timeout time.Duration `yaml:"timeout"`
	// BatchSize is the number of passages per batch request.
	BatchSize int `yaml:"batch_size"`
	// Concurrency is how many batch requests the indexer keeps in flight.
	Concurrency int `yaml:"concurrency"`
	// GRPCHosts are the nodes' gRPC endpoints (host:port, in the order of
	// URLs): batches then go over Weaviate's gRPC batch API. Empty: REST.
	GRPCHosts []string `yaml:"grpc_hosts"`
	// RefreshInterval is how often answering processes look for a newer
	// index committed by the indexing process.
	RefreshInterval time.Duration `yaml:"refresh_interval"`
}

func defaultStore() Store {
	return Store{Kind: StoreChromem, Chromem: Chromem{VectorSearch: VectorSearchAuto}, Weaviate: Weaviate{
		URLs: []string{"http://127.0.0.1:8080"}, Collection: "ReportbotPassages", ReplicationFactor: 1,
		Tokenization: "gse_ch", VectorIndex: "hnsw", Compression: "rq-8", Alpha: 0.5, ReadConsistency: ConsistencyOne, WriteConsistency: ConsistencyQuorum,
		Timeout: 10 * time.Second, BatchSize: 100, Concurrency: 2, RefreshInterval: 30 * time.Second,
	}}
}

func (s Store) validate() error {
	switch s.Kind {
	case StoreChromem:
		return s.Chromem.validate()
	case StoreWeaviate:
		return s.Weaviate.validate()
	default:
		return fmt.Errorf("store.kind is %q: use chromem (embedded, default) or weaviate", s.Kind)
	}
}

func (c Chromem) validate() error {
	switch c.VectorSearch {
	case "", VectorSearchAuto, VectorSearchChromem, VectorSearchInt8:
		return nil
	}
	return fmt.Errorf("store.chromem.vector_search is %q: use auto (default), chromem or int8", c.VectorSearch)
}

func (w Weaviate) validate() error {
	return errors.Join(w.validateURLs(), w.validateCollection(), w.validateSearch(), w.validateConsistency(), w.validateRequests())
}

func (w Weaviate) validateURLs() error {
	var errs []error
	if len(w.URLs) == 0 {
		errs = append(errs, errors.New("store.weaviate.urls is empty: list at least one node, e.g. [http://127.0.0.1:8080]"))
	}
	for _, raw := range w.URLs {
		if u, err := url.Parse(raw); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, fmt.Errorf("store.weaviate.urls has %q: use http(s)://host:port, e.g. http://127.0.0.1:8080", raw))
		}
	}
	return errors.Join(errs...)
}

// validateCollection checks the collection name and the settings fixed
// when the collection is created.
func (w Weaviate) validateCollection() error {
	var errs []error
	if !isClassName(w.Collection) {
		errs = append(errs, fmt.Errorf("store.weaviate.collection is %q: use letters, digits and _ starting with an upper-case letter (default ReportbotPassages)", w.Collection))
	}
	if w.ReplicationFactor < 1 || w.ReplicationFactor > 9 {
		errs = append(errs, fmt.Errorf("store.weaviate.replication_factor is %d: use 1 to 9, at most the number of nodes", w.ReplicationFactor))
	}
	return errors.Join(errs...)
}

// isClassName reports whether s is a Weaviate class name: ASCII letters,
// digits and _, starting with an upper-case letter.
func isClassName(s string) bool {
	return s != "" && s[0] >= 'A' && s[0] <= 'Z' && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	})
}

func (w Weaviate) validateSearch() error {
	var errs []error
	if !slices.Contains([]string{"gse_ch", "gse", "trigram", "word"}, w.Tokenization) {
		errs = append(errs, fmt.Errorf("store.weaviate.tokenization is %q: use gse_ch (Chinese, default), gse, trigram or word", w.Tokenization))
	}
	if !slices.Contains([]string{"hnsw", "flat", "dynamic"}, w.VectorIndex) {
		errs = append(errs, fmt.Errorf("store.weaviate.vector_index is %q: use hnsw (default), flat or dynamic", w.VectorIndex))
	}
	if !slices.Contains([]string{"rq-8", "none"}, w.Compression) {
		errs = append(errs, fmt.Errorf("store.weaviate.compression is %q: use rq-8 (default) or none", w.Compression))
	}
	if w.Alpha <= 0 || w.Alpha > 1 {
		errs = append(errs, fmt.Errorf("store.weaviate.alpha is %g: use a value in (0, 1] (default 0.5)", w.Alpha))
	}
	return errors.Join(errs...)
}

func (w Weaviate) validateConsistency() error {
	var errs []error
	for _, c := range []struct{ key, v, def string }{
		{"read_consistency", w.ReadConsistency, ConsistencyOne},
		{"write_consistency", w.WriteConsistency, ConsistencyQuorum},
	} {
		if !slices.Contains([]string{ConsistencyOne, ConsistencyQuorum, ConsistencyAll}, c.v) {
			errs = append(errs, fmt.Errorf("store.weaviate.%s is %q: use ONE, QUORUM or ALL, in capitals (default %s)", c.key, c.v, c.def))
		}
	}
	return errors.Join(errs...)
}

func (w Weaviate) validateRequests() error {
	var errs []error
	if w.Timeout < 100*time.Millisecond || w.Timeout > 10*time.Minute {
		errs = append(errs, fmt.Errorf("store.weaviate.timeout is %s: use 100ms to 10m (default 10s)", w.Timeout))
	}
	if w.BatchSize < 1 || w.BatchSize > 10000 {
		errs = append(errs, fmt.Errorf("store.weaviate.batch_size is %d: use 1 to 10000 (default 100)", w.BatchSize))
	}
	if w.Concurrency < 1 || w.Concurrency > 64 {
		errs = append(errs, fmt.Errorf("store.weaviate.concurrency is %d: use 1 to 64 (default 2)", w.Concurrency))
	}
	if len(w.GRPCHosts) > 0 && len(w.GRPCHosts) != len(w.URLs) {
		errs = append(errs, fmt.Errorf("store.weaviate.grpc_hosts has %d entries for %d urls: give one host:port per URL, in the same order, or none (REST)", len(w.GRPCHosts), len(w.URLs)))
	}
	if w.RefreshInterval < time.Second {
		errs = append(errs, fmt.Errorf("store.weaviate.refresh_interval is %s: use 1s or more (default 30s)", w.RefreshInterval))
	}
	return errors.Join(errs...)
}

// APIKey returns the Weaviate API key from the environment variable
// APIKeyEnv names, looked up with lookup (os.LookupEnv): "" when none is
// named (anonymous access). A named but unset or empty variable is an
// error; the value never appears in messages.
func (w Weaviate) APIKey(lookup func(string) (string, bool)) (string, error) {
	if w.APIKeyEnv == "" {
		return "", nil
	}
	key, _ := lookup(w.APIKeyEnv)
	if key == "" {
		return "", fmt.Errorf("store.weaviate.api_key_env names %s, which is not set: export %s=<the Weaviate API key>, or set store.weaviate.api_key_env: \"\" for anonymous access", w.APIKeyEnv, w.APIKeyEnv)
	}
	return key, nil
}
