// Package weaviate keeps the index in a Weaviate cluster that several
// reportbot processes share: Store implements index.SharedStore (passages,
// vectors, the committed manifest and snapshot, hybrid search). It is the only
// package that imports the Weaviate client.
package weaviate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/google/uuid"
	"github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/fault"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/grpc"
	"github.com/weaviate/weaviate/entities/models"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/internal/backoff"
	"github.com/reportbot/reportbot/lexical"
)

// Weaviate consistency levels for reads and writes of a replicated
// collection.
const (
	ConsistencyOne    = "ONE"
	ConsistencyQuorum = "QUORUM"
	ConsistencyAll    = "ALL"
)

// Options configures a WeaviateStore. Zero values take the defaults
// named on each field.
type Options struct {
	// URLs are the HTTP endpoints of one or more nodes of one cluster
	// ("http://127.0.0.1:8080"). Every call goes to one node and fails
	// over to the next when that node does not answer.
	URLs []string
	// APIKey is sent as a bearer token when set.
	APIKey string
	// Collection is the passage collection (a Weaviate class name starting
	// with an upper-case letter; default "ReportbotPassages"). Its manifest
	// lives in Collection+"Meta".
	Collection string
	// ReplicationFactor is the number of copies of every shard (default 1).
	// It is fixed when the collection is created.
	ReplicationFactor int
	// Tokenization is the BM25 tokenization of passage text: "gse_ch"
	// (default: gse with its Chinese dictionary), "gse", "trigram" or
	// "word". The server must enable the gse tokenizers.
	Tokenization string
	// Alpha weighs the vector ranking against BM25 in the hybrid fusion
	// (0 keyword only, 1 vector only; default 0.5, as the embedded store).
	Alpha float64
	// ReadConsistency and WriteConsistency are ONE, QUORUM or ALL (defaults
	// ONE for reads, so that answers keep coming while a replica is down,
	// and QUORUM for writes, so that an acknowledged write survives the loss
	// of a node).
	ReadConsistency, WriteConsistency string
	// Timeout bounds each request to one node (default 10 s).
	Timeout time.Duration
	// Attempts bounds the tries of one call across nodes, with a short
	// Backoff after each round of nodes (default 3 rounds).
	Attempts int
	// BatchSize is the number of objects per batch request (default 100).
	BatchSize int
	// Concurrency is how many batch requests Put keeps in flight (default
	// DefaultConcurrency).
	Concurrency int
	// GRPCHosts are the nodes' gRPC endpoints ("host:port", in the order
	// of URLs; scripts/weaviate.sh puts them one above each HTTP port).
	// When set, batches are written over Weaviate's gRPC batch API instead
	// of REST (vectors as bytes rather than JSON numbers). Plain http URLs
	// only: the client would not verify a gRPC TLS certificate.
	GRPCHosts []string
	// HNSW holds settings of the vector index ("efConstruction",
	// "maxConnections", "ef", ...; Weaviate's defaults where unset), fixed
	// when the collection is created.
	HNSW map[string]any
	// VectorIndex is the vector index type: "hnsw" (default), "flat" (exact
	// search by scanning every vector: no graph to build, queries cost
	// time linear in the collection) or "dynamic" (flat until
	// DynamicThreshold objects, then HNSW; needs ASYNC_INDEXING on the
	// nodes). Fixed when the collection is created. Measured on the national
	// reports (docs/scale-out.md, "Ingest"): flat costs the server about a
	// third less CPU per passage than HNSW (1,183-1,436 against 710-911
	// passages/s CPU-bound at 7,341 and 30,000 passages) and a hybrid query
	// ~50 ms more at 30,000; hnsw stays the default for large collections.
	VectorIndex string
	// Flat holds settings of a flat index (or the flat stage of a dynamic
	// one), e.g. "bq": {"enabled": true, "cache": true} for binary
	// quantization; Weaviate's defaults where unset.
	Flat map[string]any
	// Compression is how the HNSW graph (of an hnsw index, or of a dynamic
	// one once it has switched) holds its vectors: CompressionRQ8 (default:
	// Weaviate's rotational quantization to 8 bits, distances re-scored
	// with the full vectors) or CompressionNone (float32 vectors, even on a
	// server started with DEFAULT_QUANTIZATION). A flat index stays exact.
	// Fixed when the collection is created; an HNSW key "rq", "pq", "sq" or
	// "bq" in HNSW overrides it. Measured (docs/performance.md, "Weaviate,
	// fifth round"): the same vector recall, a quarter of the vector memory
	// and less server CPU per passage indexed.
	Compression string
	// Log receives failovers and retries (may be nil).
	Log *slog.Logger
}

func (o *Options) setDefaults() error {
	if len(o.URLs) == 0 {
		return errors.New("weaviate: no URL")
	}
	if o.Collection == "" {
		o.Collection = "ReportbotPassages"
	}
	if c := o.Collection[0]; c < 'A' || c > 'Z' {
		return fmt.Errorf("weaviate: collection %q must start with an upper-case ASCII letter", o.Collection)
	}
	if o.ReplicationFactor <= 0 {
		o.ReplicationFactor = 1
	}
	if o.Tokenization == "" {
		o.Tokenization = models.PropertyTokenizationGseCh
	}
	if o.Alpha == 0 {
		o.Alpha = 0.5
	}
	if o.ReadConsistency == "" {
		o.ReadConsistency = ConsistencyOne
	}
	if o.WriteConsistency == "" {
		o.WriteConsistency = ConsistencyQuorum
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3 * len(o.URLs)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if len(o.GRPCHosts) > 0 && len(o.GRPCHosts) != len(o.URLs) {
		return fmt.Errorf("weaviate: %d gRPC hosts for %d URLs", len(o.GRPCHosts), len(o.URLs))
	}
	switch o.VectorIndex {
	case "":
		o.VectorIndex = VectorIndexHNSW
	case VectorIndexHNSW, VectorIndexFlat, VectorIndexDynamic:
	default:
		return fmt.Errorf("weaviate: vector index %q: want %s, %s or %s", o.VectorIndex, VectorIndexHNSW, VectorIndexFlat, VectorIndexDynamic)
	}
	switch o.Compression {
	case "":
		o.Compression = CompressionRQ8
	case CompressionRQ8, CompressionNone:
	default:
		return fmt.Errorf("weaviate: compression %q: want %s or %s", o.Compression, CompressionRQ8, CompressionNone)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Vector compressions of the HNSW graph (Options.Compression), as
// Weaviate's DEFAULT_QUANTIZATION spells them.
const (
	CompressionRQ8  = "rq-8"
	CompressionNone = "none"
)

// Vector index types (Options.VectorIndex), as Weaviate spells them.
const (
	VectorIndexHNSW    = "hnsw"
	VectorIndexFlat    = "flat"
	VectorIndexDynamic = "dynamic"
)

// DynamicThreshold is the collection size at which a "dynamic" vector
// index changes from flat to HNSW: Weaviate's default, kept (at 7,341
// passages dynamic cost what flat did, at 30,000 what HNSW did; the
// threshold itself was not varied).
const DynamicThreshold = 10000

// Store is a SharedStore in a Weaviate collection: one object per
// passage, its UUID derived from the passage ID (so storing a passage twice
// replaces it), its metadata as filterable properties and its text
// tokenized for Weaviate's BM25. Searches are Weaviate hybrid searches with
// our query vector and reciprocal rank fusion. It is safe for concurrent use.
type Store struct {
	opt       Options
	clients   []*weaviate.Client
	hosts     []string
	preferred atomic.Int32 // index of the node that answered last
	meta      string       // manifest class

	writes   atomic.Uint32  // turns taken by batch writes (writeNode)
	failedAt []atomic.Int64 // per node: when it last failed or was last retried (Unix ns), 0 once it answers
	rest     time.Duration  // how long a node that failed is passed over (nodeRest; shorter in tests)

	slots    chan struct{} // one per batch request in flight (weaviate_write.go)
	waitMu   sync.Mutex    // one waitWrites at a time takes every slot
	errMu    sync.Mutex
	writeErr error // the first failed batch since the last report of one
}

// DefaultConcurrency is how many batch requests Put keeps in flight by
// default: measured on the 2-core machine (docs/scale-out.md, "Ingest"),
// where more did not raise the rate.
const DefaultConcurrency = 2

// NewStore returns a store for the cluster at opt.URLs. It does not
// connect; call EnsureSchema before the first use.
func NewStore(opt Options) (*Store, error) {
	if err := opt.setDefaults(); err != nil {
		return nil, err
	}
	s := &Store{opt: opt, meta: opt.Collection + "Meta", slots: make(chan struct{}, opt.Concurrency),
		failedAt: make([]atomic.Int64, len(opt.URLs)), rest: nodeRest}
	for i, raw := range opt.URLs {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("weaviate: URL %q: want http://host:port or https://host:port", raw)
		}
		headers := map[string]string{}
		if opt.APIKey != "" {
			headers["Authorization"] = "Bearer " + opt.APIKey
		}
		cfg := weaviate.Config{
			Host: u.Host, Scheme: u.Scheme, Headers: headers, Timeout: opt.Timeout,
			ConnectionClient: &http.Client{Timeout: opt.Timeout},
		}
		if len(opt.GRPCHosts) > 0 {
			if u.Scheme == "https" {
				// weaviate-go-client v5 dials TLS gRPC with InsecureSkipVerify.
				return nil, fmt.Errorf("weaviate: gRPC hosts with %s: the Weaviate client does not verify gRPC TLS certificates; leave grpc_hosts empty (REST) for https clusters", raw)
			}
			cfg.GrpcConfig = &grpc.Config{Host: opt.GRPCHosts[i]}
		}
		c, err := weaviate.NewClient(cfg)
		if err != nil {
			return nil, fmt.Errorf("weaviate: client for %s: %w", raw, err)
		}
		s.clients = append(s.clients, c)
		s.hosts = append(s.hosts, u.Host)
	}
	return s, nil
}

// Collection is the name of the passage collection.
func (s *Store) Collection() string { return s.opt.Collection }

// Waits between rounds of attempts over every node (backoff.Delay).
const (
	roundBase = 200 * time.Millisecond
	roundMax  = 5 * time.Second
)

// do runs fn against one node with a per-request deadline, failing over to
// the other nodes on errors that a healthy node might not have (transport
// errors, 5xx, 429, GraphQL errors), with a backoff after each round. It
// starts at the node that answered last.
func (s *Store) do(ctx context.Context, op string, fn func(ctx context.Context, c *weaviate.Client) error) error {
	return s.doFrom(ctx, op, int(s.preferred.Load()), fn)
}

// doFrom is do starting at node first. Failing over, it passes over the
// nodes that failed less than s.rest ago (unless every node did). A node
// that does not answer (transport error, timeout, 5xx, 429) is marked as
// failed; one that answers, even with an error, is unmarked.
func (s *Store) doFrom(ctx context.Context, op string, first int, fn func(ctx context.Context, c *weaviate.Client) error) error {
	n := len(s.clients)
	var last error
	i := first
	for a := range s.opt.Attempts {
		if a > 0 {
			i = s.nextAwake(i)
		}
		actx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
		err := fn(actx, s.clients[i])
		cancel()
		up := err == nil || answered(err)
		if f := s.failedAt[i].Load(); up && f != 0 {
			s.failedAt[i].CompareAndSwap(f, 0) // not a failure marked meanwhile
		}
		if err == nil {
			if i != first {
				s.preferred.Store(int32(i))
				s.opt.Log.Info("weaviate: failed over", "op", op, "to", s.hosts[i], "attempts", a+1)
			}
			return nil
		}
		last = fmt.Errorf("%s: %w", s.hosts[i], err)
		if ctx.Err() != nil {
			return fmt.Errorf("weaviate %s: %w", op, errors.Join(ctx.Err(), last))
		}
		if !retryable(err) {
			return fmt.Errorf("weaviate %s: %w", op, last)
		}
		if !up {
			s.failedAt[i].Store(time.Now().UnixNano())
		}
		s.opt.Log.Warn("weaviate: request failed, trying another node", "op", op, "node", s.hosts[i], "attempt", a+1, "err", err)
		if (a+1)%n == 0 && a+1 < s.opt.Attempts {
			if err := backoff.Sleep(ctx, backoff.Delay(a/n, roundBase, roundMax)); err != nil {
				return fmt.Errorf("weaviate %s: %w", op, errors.Join(ctx.Err(), last))
			}
		}
	}
	return fmt.Errorf("weaviate %s: %d attempts failed: %w", op, s.opt.Attempts, last)
}

// nodeRest is how long a node that did not answer is passed over by batch
// writes and failovers: twice roundMax, the longest wait between rounds of
// attempts (chosen, not measured).
const nodeRest = 2 * roundMax

// writeNode is the node a batch write starts at: the nodes in turn, so
// that each coordinates a share of the writes (the coordinator decodes a
// batch and sends it to every replica of its shards; with one node for all
// writes, that node spent 14% more CPU than each of the others:
// docs/performance.md, "Weaviate, seventh round"). A node that failed less
// than s.rest ago loses its turn to the next turn, so the others share its
// writes evenly and a node that is down costs one failed attempt per
// s.rest: once that has passed, one batch (the one that claims the node)
// tries it again, and the rest wait another s.rest for its answer, so a
// node that hangs holds up one batch at a time, not every n-th.
func (s *Store) writeNode() int {
	n := uint32(len(s.clients))
	for range n {
		i := int(s.writes.Add(1) % n)
		f := s.failedAt[i].Load()
		if f == 0 {
			return i
		}
		if now := time.Now().UnixNano(); !s.resting(f, now) && s.failedAt[i].CompareAndSwap(f, now) {
			return i
		}
	}
	return int(s.preferred.Load()) // every node failed lately: as do
}

// nextAwake is the node after i that has not failed in the last s.rest,
// or simply the node after i when every other node has.
func (s *Store) nextAwake(i int) int {
	n := len(s.clients)
	now := time.Now().UnixNano()
	for k := 1; k < n; k++ {
		j := (i + k) % n
		if !s.resting(s.failedAt[j].Load(), now) {
			return j
		}
	}
	return (i + 1) % n
}

// resting reports whether a node marked failed at f (Unix ns, 0 for never)
// is still passed over at now.
func (s *Store) resting(f, now int64) bool { return f != 0 && now-f < int64(s.rest) }

// answered reports whether err came from a node that answered (objects it
// could not store, a GraphQL error), as opposed to one that did not (a
// transport error, a timeout, a 5xx or 429). A node that answered is not
// passed over, even when the failure was a replica elsewhere.
func answered(err error) bool {
	var oe *objectErrors
	var ge *graphQLError
	return errors.As(err, &oe) || errors.As(err, &ge)
}

// retryable reports whether another attempt (on this or another node) may
// succeed: not for client errors such as a bad filter or a missing class.
func retryable(err error) bool {
	var we *fault.WeaviateClientError
	if errors.As(err, &we) && we.DerivedFromError == nil && we.StatusCode >= 400 && we.StatusCode < 500 {
		return we.StatusCode == http.StatusTooManyRequests || we.StatusCode == http.StatusRequestTimeout
	}
	var ge *graphQLError
	if errors.As(err, &ge) {
		return !ge.invalidQuery()
	}
	if st, ok := status.FromError(err); ok {
		switch st.Code() {
		case codes.InvalidArgument, codes.NotFound, codes.PermissionDenied, codes.Unauthenticated, codes.Unimplemented:
			return false // gRPC batches: a request no node would take
		}
	}
	return true
}

// graphQLError holds the errors of a GraphQL response (which comes with
// status 200). Query-side failures (a replica unreachable) are worth another
// attempt; a query the schema rejects is not.
type graphQLError struct{ msg string }

func (e *graphQLError) Error() string { return "graphql: " + e.msg }

func (e *graphQLError) invalidQuery() bool {
	for _, s := range []string{"Unknown argument", "Cannot query field", "Syntax Error", "Expected type", "Unknown type"} {
		if strings.Contains(e.msg, s) {
			return true
		}
	}
	return false
}

// Passage properties. content (the contextual header and the text, what our
// own lexical index sees) is the one text property tokenized for BM25, and
// the passage text is stored only there: text_start is the byte offset of
// the text in content. report_id, period_year and period_kind are
// filterable (the search and deletion filters); every other property is
// only returned, so it has no index (collection format 3).
const (
	propPassageID   = "passage_id"
	propReportID    = "report_id"
	propReportTitle = "report_title"
	propYear        = "year"
	propPeriodYear  = "period_year"
	propPeriodKind  = "period_kind"
	propSection     = "section"
	propParagraph   = "paragraph"
	propPart        = "part"
	propParts       = "parts"
	propStart       = "start"
	propEnd         = "end"
	propContent     = "content"    // contextual header + text: what BM25 searches
	propTextStart   = "text_start" // byte offset of the passage text in content
	propEmbedKey    = "embed_key"
)

var passageFields = []string{propPassageID, propReportID, propReportTitle, propYear, propPeriodYear, propPeriodKind,
	propSection, propParagraph, propPart, propParts, propStart, propEnd, propContent, propTextStart, propEmbedKey}

// passageClass is the passage collection. Every index costs the server work
// per stored object, so a property has only the indexes a query uses:
// BM25 (indexSearchable) on content, roaring sets (indexFilterable) on the
// filtered properties (searchFilter, DeleteReports), none on the rest.
func (s *Store) passageClass() *models.Class {
	t, f := true, false
	filterable := func(name string, dt string) *models.Property {
		return &models.Property{Name: name, DataType: []string{dt}, Tokenization: models.PropertyTokenizationField,
			IndexFilterable: &t, IndexSearchable: &f}
	}
	stored := func(name string, dt string) *models.Property {
		return &models.Property{Name: name, DataType: []string{dt}, Tokenization: models.PropertyTokenizationField,
			IndexFilterable: &f, IndexSearchable: &f}
	}
	num := func(name string, filter bool) *models.Property {
		return &models.Property{Name: name, DataType: []string{"int"}, IndexFilterable: &filter, IndexRangeFilters: &f}
	}
	searchable := func(name string) *models.Property {
		return &models.Property{Name: name, DataType: []string{"text"}, Tokenization: s.opt.Tokenization,
			IndexFilterable: &f, IndexSearchable: &t}
	}
	return &models.Class{
		Class:       s.opt.Collection,
		Description: "reportbot passages: one object per passage, UUID derived from the passage ID",
		Vectorizer:  "none",
		Properties: []*models.Property{
			stored(propPassageID, "text"), filterable(propReportID, "text"), stored(propReportTitle, "text"),
			num(propYear, false), num(propPeriodYear, true), filterable(propPeriodKind, "text"),
			stored(propSection, "text[]"), num(propParagraph, false), num(propPart, false), num(propParts, false),
			num(propStart, false), num(propEnd, false), searchable(propContent), num(propTextStart, false),
			stored(propEmbedKey, "text"),
		},
		VectorIndexType:     s.opt.VectorIndex,
		VectorIndexConfig:   s.vectorIndexConfig(),
		InvertedIndexConfig: &models.InvertedIndexConfig{Bm25: &models.BM25Config{K1: float32(lexical.K1), B: float32(lexical.B)}},
		ReplicationConfig:   &models.ReplicationConfig{Factor: int64(s.opt.ReplicationFactor)},
	}
}

func (s *Store) vectorIndexConfig() map[string]any {
	hnsw := map[string]any{"distance": "cosine"}
	if !choosesCompression(s.opt.HNSW) {
		switch s.opt.Compression {
		case CompressionRQ8:
			// rescoreLimit stays Weaviate's (20): the engine asks for more
			// hits than that, and then every candidate of the graph search
			// is re-scored with its full vector.
			hnsw["rq"] = map[string]any{"enabled": true, "bits": 8}
		case CompressionNone:
			hnsw["skipDefaultQuantization"] = true
		}
	}
	for k, v := range s.opt.HNSW {
		hnsw[k] = v
	}
	flat := map[string]any{"distance": "cosine"}
	for k, v := range s.opt.Flat {
		flat[k] = v
	}
	switch s.opt.VectorIndex {
	case VectorIndexFlat:
		return flat
	case VectorIndexDynamic:
		return map[string]any{"distance": "cosine", "threshold": DynamicThreshold, "hnsw": hnsw, "flat": flat}
	}
	return hnsw
}

// choosesCompression reports whether HNSW settings choose the vector
// compression themselves.
func choosesCompression(hnsw map[string]any) bool {
	for k := range hnsw {
		switch k {
		case "rq", "pq", "sq", "bq", "skipDefaultQuantization":
			return true
		}
	}
	return false
}

// compressionOf names the compression of the HNSW graph in an hnsw or
// dynamic index's config as Weaviate returns it: CompressionRQ8,
// CompressionNone or "other".
func compressionOf(indexType string, config any) string {
	m, _ := config.(map[string]any)
	if indexType == VectorIndexDynamic {
		m, _ = m["hnsw"].(map[string]any)
	}
	enabled := func(k string) bool {
		c, _ := m[k].(map[string]any)
		return c["enabled"] == true
	}
	switch {
	case enabled("rq") && fmt.Sprint(m["rq"].(map[string]any)["bits"]) == "8":
		return CompressionRQ8
	case enabled("rq") || enabled("pq") || enabled("sq") || enabled("bq"):
		return "other"
	}
	return CompressionNone
}

// class returns the collection named name as the server holds it, or nil
// when there is none.
func (s *Store) class(ctx context.Context, name string) (*models.Class, error) {
	var got *models.Class
	err := s.do(ctx, "get schema", func(ctx context.Context, c *weaviate.Client) error {
		exists, err := c.Schema().ClassExistenceChecker().WithClassName(name).Do(ctx)
		if err != nil || !exists {
			return err
		}
		got, err = c.Schema().ClassGetter().WithClassName(name).Do(ctx)
		return err
	})
	return got, err
}

// EnsureSchema creates the passage and manifest collections when they do
// not exist. An existing passage collection must have been created with the
// same tokenization and replication factor.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, want := range []*models.Class{s.passageClass(), s.metaClass()} {
		got, err := s.class(ctx, want.Class)
		if err != nil {
			return err
		}
		if got == nil {
			err = s.do(ctx, "create collection "+want.Class, func(ctx context.Context, c *weaviate.Client) error {
				err := c.Schema().ClassCreator().WithClass(want).Do(ctx)
				if err != nil && strings.Contains(err.Error(), "already exists") {
					return nil // another process created it first
				}
				return err
			})
			if err != nil {
				return err
			}
			s.opt.Log.Info("weaviate: created collection", "collection", want.Class,
				"replication_factor", s.opt.ReplicationFactor, "tokenization", s.opt.Tokenization)
			continue
		}
		have, err := s.checkExisting(want, got)
		if err != nil {
			return err
		}
		// A collection made by an older reportbot gets the new properties
		// (rather than types guessed by Weaviate's auto-schema).
		for _, p := range want.Properties {
			if have[p.Name] {
				continue
			}
			err := s.do(ctx, "add property "+p.Name, func(ctx context.Context, c *weaviate.Client) error {
				err := c.Schema().PropertyCreator().WithClassName(want.Class).WithProperty(p).Do(ctx)
				if err != nil && strings.Contains(err.Error(), "already exists") {
					return nil
				}
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// checkExisting compares a collection found on the server with the one
// the options would create: settings fixed at creation that differ are an
// error naming the fix, a different compression a notice. It returns the
// names of the properties the collection has.
func (s *Store) checkExisting(want, got *models.Class) (map[string]bool, error) {
	if rf := got.ReplicationConfig; rf != nil && rf.Factor != int64(s.opt.ReplicationFactor) {
		return nil, fmt.Errorf("weaviate: collection %s has replication factor %d, the config says %d; change store.weaviate.replication_factor or run `reportbot index --rebuild`",
			want.Class, rf.Factor, s.opt.ReplicationFactor)
	}
	if want.Class == s.opt.Collection && got.VectorIndexType != "" && got.VectorIndexType != s.opt.VectorIndex {
		return nil, fmt.Errorf("weaviate: collection %s has a %s vector index, the config says %s; change store.weaviate.vector_index or run `reportbot index --rebuild`",
			want.Class, got.VectorIndexType, s.opt.VectorIndex)
	}
	if want.Class == s.opt.Collection && got.VectorIndexType != VectorIndexFlat && !choosesCompression(s.opt.HNSW) {
		if c := compressionOf(got.VectorIndexType, got.VectorIndexConfig); c != s.opt.Compression {
			// Vector recall is the same either way: a notice, not a refusal
			// (collections made before compression was a setting).
			s.opt.Log.Warn("weaviate: the collection's vectors keep their compression until `reportbot index --rebuild`",
				"collection", want.Class, "compression", c, "config", s.opt.Compression)
		}
	}
	have := map[string]bool{}
	for _, p := range got.Properties {
		have[p.Name] = true
		if p.Name == propContent && p.Tokenization != s.opt.Tokenization {
			return nil, fmt.Errorf("weaviate: collection %s tokenizes text with %s, the config says %s; change store.weaviate.tokenization or run `reportbot index --rebuild`",
				want.Class, p.Tokenization, s.opt.Tokenization)
		}
	}
	return have, nil
}

// Reset deletes both collections and everything in them.
func (s *Store) Reset(ctx context.Context) error {
	for _, class := range []string{s.opt.Collection, s.meta} {
		err := s.do(ctx, "delete collection "+class, func(ctx context.Context, c *weaviate.Client) error {
			exists, err := c.Schema().ClassExistenceChecker().WithClassName(class).Do(ctx)
			if err != nil || !exists {
				return err
			}
			return c.Schema().ClassDeleter().WithClassName(class).Do(ctx)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func toUUID(s string) strfmt.UUID { return strfmt.UUID(s) }

// passageNamespace derives object UUIDs from passage IDs.
var passageNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/reportbot/reportbot/passage"))

// PassageUUID is the Weaviate object ID of a passage: a name-based (SHA-1)
// UUID of its passage ID, so re-indexing a passage replaces it.
func PassageUUID(passageID string) string {
	return uuid.NewSHA1(passageNamespace, []byte(passageID)).String()
}

func passageProps(r corpus.Report, p index.Passage) map[string]any {
	section := p.HeadingPath
	if section == nil {
		section = []string{}
	}
	content := index.EmbedText(r, p.Passage) // ends with p.Text
	return map[string]any{
		propPassageID: p.ID, propReportID: p.ReportID, propReportTitle: r.Title, propYear: r.Year,
		propPeriodYear: p.Period.Year, propPeriodKind: string(p.Period.Kind), propSection: section,
		propParagraph: p.Paragraph, propPart: p.Part, propParts: p.Parts, propStart: p.Start, propEnd: p.End,
		propContent: content, propTextStart: len(content) - len(p.Text), propEmbedKey: p.EmbedKey,
	}
}

// Passages implements SharedStore by paging through the collection with
// Weaviate's cursor.
func (s *Store) Passages(ctx context.Context) ([]index.Passage, error) {
	if err := s.waitWrites(ctx); err != nil {
		return nil, fmt.Errorf("weaviate list passages: %w", err)
	}
	var out []index.Passage
	after := ""
	for {
		var page []*models.Object
		err := s.do(ctx, "list passages", func(ctx context.Context, c *weaviate.Client) error {
			g := c.Data().ObjectsGetter().WithClassName(s.opt.Collection).WithLimit(500)
			if after != "" {
				g = g.WithAfter(after)
			}
			var err error
			page, err = g.Do(ctx)
			var we *fault.WeaviateClientError
			if errors.As(err, &we) && we.StatusCode == http.StatusNotFound {
				page, err = nil, nil // no collection yet
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, o := range page {
			p, _ := o.Properties.(map[string]any)
			sp, _ := passageFromProps(p)
			out = append(out, sp)
		}
		if len(page) < 500 {
			return out, nil
		}
		after = string(page[len(page)-1].ID)
	}
}

// Fetch returns the stored passages with the given IDs, reading each object
// by ID at the read consistency level (from any live replica); missing IDs
// are left out.
func (s *Store) Fetch(ctx context.Context, ids []string) ([]index.Passage, error) {
	if err := s.waitWrites(ctx); err != nil {
		return nil, fmt.Errorf("weaviate get passages: %w", err)
	}
	var out []index.Passage
	for _, id := range ids {
		var obj *models.Object
		err := s.do(ctx, "get passage", func(ctx context.Context, c *weaviate.Client) error {
			objs, err := c.Data().ObjectsGetter().WithClassName(s.opt.Collection).WithID(PassageUUID(id)).
				WithConsistencyLevel(s.opt.ReadConsistency).Do(ctx)
			var we *fault.WeaviateClientError
			if errors.As(err, &we) && we.StatusCode == http.StatusNotFound {
				return nil
			}
			if err == nil && len(objs) > 0 {
				obj = objs[0]
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if obj != nil {
			p, _ := obj.Properties.(map[string]any)
			sp, _ := passageFromProps(p)
			out = append(out, sp)
		}
	}
	return out, nil
}
