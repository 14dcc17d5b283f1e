package index

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/fact"
)

// SharedStore is a store that several reportbot processes share (Weaviate):
// it holds every passage with its metadata, text and vector, and runs the
// hybrid search (vector plus its own BM25) itself. One process indexes
// (Put, Delete, Commit) while others answer (Manifest, Snapshot, Search).
//
// Implementations must make Put idempotent by passage ID and must not lose a
// committed passage when a single node of a replicated deployment fails.
type SharedStore interface {
	// Manifest returns what the last Commit recorded. It returns an error
	// wrapping ErrNoIndex when nothing was ever committed.
	Manifest(ctx context.Context) (SharedManifest, error)
	// Passages returns every stored passage, without vectors, in no
	// particular order: what the store holds now, which a sync compares
	// with the corpus.
	Passages(ctx context.Context) ([]Passage, error)
	// Snapshot returns the passages committed with m, in the order given to
	// Commit: one read of a compact copy, so that answering processes start
	// fast. It returns an error wrapping ErrNoIndex when that commit was
	// superseded and its snapshot deleted.
	Snapshot(ctx context.Context, m SharedManifest) ([]Passage, error)
	// Put stores passages (of the given reports) with their vectors,
	// replacing any stored passage with the same ID.
	Put(ctx context.Context, reports map[string]corpus.Report, ps []Passage, vecs [][]float32) error
	// Delete removes passages by ID; unknown IDs are ignored.
	Delete(ctx context.Context, ids []string) error
	// Commit records a finished sync: the manifest and a snapshot of the
	// passages it holds. It sets m.Generation to a new value, so that
	// answering processes see that the index changed, and keeps the
	// snapshot of the previous commit for processes still loading it.
	Commit(ctx context.Context, m SharedManifest, ps []Passage) (SharedManifest, error)
	// Search runs the store's hybrid search and returns up to s.K passages,
	// best first.
	Search(ctx context.Context, s SharedSearch) ([]SharedHit, error)
}

// SharedManifest describes a committed shared index.
type SharedManifest struct {
	EmbedderID string          `json:"embedder_id"`
	Dim        int             `json:"dim"`
	Reports    []corpus.Report `json:"reports"` // without Text
	Passages   int             `json:"passages"`
	// Generation changes with every commit.
	Generation string    `json:"generation"`
	Committed  time.Time `json:"committed"`
	// FactsVersion is the extraction rules (fact.Version) of the facts the
	// snapshot's passages carry; "" when they carry none (an older
	// commit): the facts are then extracted on open.
	FactsVersion string `json:"facts_version,omitempty"`
}

// SharedSearch is one hybrid search.
type SharedSearch struct {
	// Text is the keyword query; the store tokenizes it for its BM25.
	Text string
	// Vector is the query embedding (may be nil for keyword-only search).
	Vector []float32
	// K is the number of fused results wanted.
	K int
	// Years, when set, keeps only passages about one of these years.
	Years []int
	// Kind, when set, keeps only passages of this period kind.
	Kind corpus.PeriodKind
	// Reports, when set, keeps only passages of these reports (by ID), so
	// that the K results are the best of those passages.
	Reports []string
}

// SharedHit is one result of a shared search. Ranks are 1-based and 0 when
// the passage was not in that ranker's list (or the store did not say).
type SharedHit struct {
	Passage Passage
	// Report holds the report ID, title and year stored with the passage.
	Report       corpus.Report
	Score        float64
	VectorRank   int
	LexicalRank  int
	LexicalScore float64
}

// OpenShared loads the index committed to st: report metadata and passages
// (for the lexical statistics the answerer uses), but not the vectors, which
// stay in the store. It returns an error wrapping ErrNoIndex when nothing was
// committed yet and one wrapping ErrEmbedderMismatch when the index was built
// by another embedder than emb.
func OpenShared(ctx context.Context, st SharedStore, emb embed.Embedder) (*Index, error) {
	var (
		m   SharedManifest
		ps  []Passage
		err error
	)
	// A commit landing between reading the manifest and its snapshot can
	// delete that snapshot (two commits later); read the manifest again.
	for range 3 {
		m, err = st.Manifest(ctx)
		if err != nil {
			return nil, err
		}
		if m.EmbedderID != emb.ID() || m.Dim != emb.Dim() {
			return nil, fmt.Errorf("open shared index: %w: it was built with %s (dimension %d) but the configured embedder is %s (dimension %d); run `reportbot index --rebuild`",
				embed.ErrEmbedderMismatch, m.EmbedderID, m.Dim, emb.ID(), emb.Dim())
		}
		ps, err = st.Snapshot(ctx, m)
		if !errors.Is(err, ErrNoIndex) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open shared index: %w", err)
	}
	ix := newSharedIndex(st, emb, m.Generation)
	for _, r := range m.Reports {
		r.Place = corpus.ReportPlace(r) // a manifest committed before reports had places
		ix.reports[r.ID] = r
	}
	ix.passages = ps
	ix.factsLoaded = m.FactsVersion == fact.Version
	ix.rebuildLookups()
	return ix, nil
}

// NewSharedIndex returns an empty index over st for vectors made by emb, for
// a first Sync (or a rebuild). Use OpenShared to continue an existing one.
func NewSharedIndex(st SharedStore, emb embed.Embedder) *Index {
	ix := newSharedIndex(st, emb, "")
	ix.rebuildLookups()
	return ix
}

func newSharedIndex(st SharedStore, emb embed.Embedder, gen string) *Index {
	return &Index{emb: emb, embedderID: emb.ID(), dim: emb.Dim(), reports: map[string]corpus.Report{}, backend: sharedStore{st}, generation: gen}
}

// Generation is the commit generation the index was loaded at or last
// synced to ("" for an index that is not shared).
func (ix *Index) Generation() string { return ix.generation }

// syncShared is Sync for an index in a SharedStore: it embeds and stores
// new or changed passages in batches, deletes removed ones and commits. It
// first reads what the store holds, so a sync that was interrupted (or run by
// another process) is completed rather than repeated.
func (ix *Index) syncShared(ctx context.Context, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	emb := ix.emb
	start := time.Now()
	stored, err := ix.backend.(sharedStore).st.Passages(ctx)
	if err != nil {
		return SyncStats{}, fmt.Errorf("sync: read stored passages: %w", err)
	}
	have := make(map[string]string, len(stored)) // id → embed key
	for _, p := range stored {
		have[p.ID] = p.EmbedKey
	}

	stats := SyncStats{Reports: len(reports)}
	want, newReports := ix.plan(reports, opt.Split, &stats)
	var todo []Passage
	for _, p := range want {
		if k, ok := have[p.ID]; ok && k == p.EmbedKey {
			stats.Reused++
			continue
		}
		todo = append(todo, p)
	}
	for b := 0; b < len(todo); b += opt.BatchSize {
		batch := todo[b:min(b+opt.BatchSize, len(todo))]
		texts := make([]string, len(batch))
		for k, p := range batch {
			texts[k] = EmbedText(newReports[p.ReportID], p.Passage)
		}
		vecs, err := emb.Embed(ctx, texts)
		if err == nil {
			err = embed.CheckVectors(emb, vecs, len(texts))
		}
		if err != nil {
			return stats, fmt.Errorf("embed passages: %w", err)
		}
		if err := ix.backend.(sharedStore).st.Put(ctx, newReports, batch, vecs); err != nil {
			return stats, fmt.Errorf("store passages: %w", err)
		}
		stats.Embedded += len(batch)
		if opt.Progress != nil {
			opt.Progress(b+len(batch), len(todo))
		}
	}
	keep := make(map[string]bool, len(want))
	for _, p := range want {
		keep[p.ID] = true
	}
	removed, err := deleteGone(ctx, ix.backend.(sharedStore).st, stored, keep, newReports)
	if err != nil {
		return stats, fmt.Errorf("delete passages: %w", err)
	}
	stats.Removed = removed
	// The facts go into the commit's snapshot, for answering processes
	// to read instead of extracting them again.
	ix.reports, ix.passages = newReports, want
	ix.indexFacts()
	if stats.Changed() || ix.generation == "" {
		m := SharedManifest{EmbedderID: ix.embedderID, Dim: ix.dim, Passages: len(want), FactsVersion: fact.Version}
		for _, id := range slices.Sorted(maps.Keys(newReports)) {
			m.Reports = append(m.Reports, newReports[id])
		}
		m, err = ix.backend.(sharedStore).st.Commit(ctx, m, want)
		if err != nil {
			return stats, fmt.Errorf("commit: %w", err)
		}
		ix.generation = m.Generation
	}
	ix.factsLoaded = true // extracted above
	ix.rebuildLookups()
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// SharedReportDeleter is a SharedStore that can also delete every passage
// of whole reports in one request (weaviate.Store: a batch deletion
// filtered on the report ID). A sync uses it for the reports no longer in
// the corpus, and Delete for the passages of the others.
type SharedReportDeleter interface {
	// DeleteReports removes every passage of the reports and returns how
	// many it removed; unknown reports are ignored.
	DeleteReports(ctx context.Context, reportIDs []string) (int, error)
}

// deleteGone deletes the stored passages that keep does not hold: those of
// reports no longer in the corpus by report when st can, the rest by ID.
// It returns how many passages it deleted.
func deleteGone(ctx context.Context, st SharedStore, stored []Passage, keep map[string]bool, reports map[string]corpus.Report) (int, error) {
	var gone, dropped []string
	seen := map[string]bool{}
	byReport, _ := st.(SharedReportDeleter)
	n := 0
	for _, p := range stored {
		if keep[p.ID] {
			continue
		}
		n++
		if _, ok := reports[p.ReportID]; !ok && byReport != nil && p.ReportID != "" {
			if !seen[p.ReportID] {
				seen[p.ReportID] = true
				dropped = append(dropped, p.ReportID)
			}
			continue
		}
		gone = append(gone, p.ID)
	}
	if len(dropped) > 0 {
		if _, err := byReport.DeleteReports(ctx, dropped); err != nil {
			return 0, err
		}
	}
	if err := st.Delete(ctx, gone); err != nil {
		return 0, err
	}
	return n, nil
}

// sharedCandidates is how many fused results the shared search asks for:
// as many as the two local rankers can contribute together.
const sharedCandidates = 2 * CandidatesPerRanker

// searchShared is Search for an index in a SharedStore: the store runs the
// hybrid search (its BM25 over its own Chinese tokenization, our vectors,
// reciprocal rank fusion), over the passages f keeps. Passages come from the store, so a passage
// indexed after this index was loaded is still returned whole.
func (ix *Index) searchShared(ctx context.Context, text string, f Filter) ([]Hit, error) {
	s := SharedSearch{Text: text, K: sharedCandidates, Reports: f.Reports}
	if text != "" {
		vec, err := embed.Query(ctx, ix.emb, text)
		if err != nil {
			return nil, err
		}
		s.Vector = vec
	}
	if s.Text == "" && s.Vector == nil {
		return nil, nil
	}
	res, err := ix.backend.(sharedStore).st.Search(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("hybrid search: %w", err)
	}
	hits := make([]Hit, 0, len(res))
	for _, r := range res {
		rep, ok := ix.reports[r.Passage.ReportID]
		if !ok {
			rep = r.Report // indexed after this index was loaded
			rep.Place = corpus.ReportPlace(rep)
		}
		hits = append(hits, Hit{Passage: r.Passage, Report: rep, Score: r.Score, VectorRank: r.VectorRank,
			LexicalRank: r.LexicalRank, LexicalScore: r.LexicalScore})
	}
	return hits, nil
}

// errSharedSave is returned by Save for an index that lives in a SharedStore.
var errSharedSave = errors.New("save index: a shared index lives in its store and has no local file")
