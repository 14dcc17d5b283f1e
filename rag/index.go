package rag

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

// StoredPassage is a passage as the index holds it.
type StoredPassage struct {
	corpus.Passage
	// EmbedKey is a hash of the exact text that was embedded (contextual
	// header plus passage text); a passage is re-embedded only when it changes.
	EmbedKey string
}

// Index is the searchable form of a corpus: report metadata, passages, one
// vector per passage in a VectorStore and a BM25 lexical index. Build it with
// NewIndex and Sync, or load it with Open. An Index is safe for concurrent
// searches; Sync must not run concurrently with anything else.
type Index struct {
	embedderID string
	dim        int
	reports    map[string]corpus.Report // Text is not kept
	passages   []StoredPassage
	byID       map[string]int
	store      *ChromemStore
	lex        *Lexical
	shared     SharedStore // when set, it holds the vectors instead of store (see shared.go)
	generation string      // commit generation of a shared index
}

// NewIndex returns an empty index for vectors made by emb.
func NewIndex(emb Embedder) (*Index, error) {
	st, err := NewChromemStore(emb.Dim())
	if err != nil {
		return nil, err
	}
	ix := &Index{embedderID: emb.ID(), dim: emb.Dim(), reports: map[string]corpus.Report{}, store: st}
	ix.rebuildLookups()
	return ix, nil
}

// EmbedderID is the identity of the embedder that built the index.
func (ix *Index) EmbedderID() string { return ix.embedderID }

// Len is the number of passages.
func (ix *Index) Len() int { return len(ix.passages) }

// Passage returns the passage with id.
func (ix *Index) Passage(id string) (StoredPassage, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return StoredPassage{}, false
	}
	return ix.passages[i], true
}

// Report returns the metadata of report id (without its text).
func (ix *Index) Report(id string) (corpus.Report, bool) {
	r, ok := ix.reports[id]
	return r, ok
}

// ReportSummary describes one indexed report.
type ReportSummary struct {
	Report   corpus.Report
	Passages int
}

// Reports lists the indexed reports in ID order with their passage counts.
func (ix *Index) Reports() []ReportSummary {
	counts := map[string]int{}
	for _, p := range ix.passages {
		counts[p.ReportID]++
	}
	var out []ReportSummary
	for _, id := range sortedKeys(ix.reports) {
		out = append(out, ReportSummary{Report: ix.reports[id], Passages: counts[id]})
	}
	return out
}

// SyncStats says what a Sync changed.
type SyncStats struct {
	Reports        int
	Passages       int
	Embedded       int // passages whose vectors were computed
	Reused         int // passages whose stored vectors were kept
	Removed        int // passages deleted
	ReportsRemoved int
	// MetadataChanged is set when report metadata (title, year...) changed.
	MetadataChanged bool
	Elapsed         time.Duration
}

// Changed reports whether the sync modified the index.
func (s SyncStats) Changed() bool {
	return s.Embedded > 0 || s.Removed > 0 || s.ReportsRemoved > 0 || s.MetadataChanged
}

// Progress is called during Sync after each embedded batch.
type Progress func(done, total int)

// SyncOptions tunes Sync. Zero values take defaults.
type SyncOptions struct {
	Split     corpus.SplitOptions
	BatchSize int // passages per Embed call (default 64)
	Progress  Progress
}

// Sync makes the index hold exactly reports: passages that did not change
// keep their vectors, new or changed ones are embedded with emb, passages of
// removed reports disappear. Running it twice with the same input changes
// nothing the second time. On error the index still holds a consistent
// mix of old and new passages that a later Sync completes.
func (ix *Index) Sync(ctx context.Context, emb Embedder, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	if ix.shared != nil {
		return ix.syncShared(ctx, emb, reports, opt)
	}
	start := time.Now()
	if emb.ID() != ix.embedderID || emb.Dim() != ix.dim {
		return SyncStats{}, fmt.Errorf("%w: index uses %s, not %s", ErrEmbedderMismatch, ix.embedderID, emb.ID())
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	stats := SyncStats{Reports: len(reports)}
	metaChanged := false

	var want []StoredPassage
	newReports := make(map[string]corpus.Report, len(reports))
	for _, r := range reports {
		meta := r
		meta.Text = ""
		if old, ok := ix.reports[r.ID]; !ok || old != meta {
			metaChanged = true
		}
		newReports[r.ID] = meta
		for _, p := range corpus.Split(r, opt.Split) {
			want = append(want, StoredPassage{Passage: p, EmbedKey: embedKey(meta, p)})
		}
	}
	stats.Passages = len(want)

	// Which passages need vectors?
	var todo []int
	for i, p := range want {
		if j, ok := ix.byID[p.ID]; ok && ix.passages[j].EmbedKey == p.EmbedKey {
			stats.Reused++
			continue
		}
		todo = append(todo, i)
	}

	// Embed in batches; each stored batch is kept even if a later one fails.
	done := 0
	for b := 0; b < len(todo); b += opt.BatchSize {
		batch := todo[b:min(b+opt.BatchSize, len(todo))]
		texts := make([]string, len(batch))
		ids := make([]string, len(batch))
		for k, i := range batch {
			texts[k] = EmbedText(newReports[want[i].ReportID], want[i].Passage)
			ids[k] = want[i].ID
		}
		vecs, err := emb.Embed(ctx, texts)
		if err == nil {
			err = checkVectors(emb, vecs, len(texts))
		}
		if err != nil {
			return stats, fmt.Errorf("embed passages: %w", err)
		}
		if err := ix.store.Upsert(ctx, ids, vecs); err != nil {
			return stats, err
		}
		done += len(batch)
		stats.Embedded += len(batch)
		if opt.Progress != nil {
			opt.Progress(done, len(todo))
		}
	}

	// Drop what is no longer wanted.
	keep := make(map[string]bool, len(want))
	for _, p := range want {
		keep[p.ID] = true
	}
	var gone []string
	for _, p := range ix.passages {
		if !keep[p.ID] {
			gone = append(gone, p.ID)
		}
	}
	if err := ix.store.Delete(ctx, gone); err != nil {
		return stats, err
	}
	stats.Removed = len(gone)
	for id := range ix.reports {
		if _, ok := newReports[id]; !ok {
			stats.ReportsRemoved++
		}
	}
	stats.MetadataChanged = metaChanged

	ix.reports = newReports
	ix.passages = want
	ix.rebuildLookups()
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// rebuildLookups recomputes the ID map and the lexical index.
func (ix *Index) rebuildLookups() {
	ix.byID = make(map[string]int, len(ix.passages))
	docs := make([]string, len(ix.passages))
	for i, p := range ix.passages {
		ix.byID[p.ID] = i
		docs[i] = EmbedText(ix.reports[p.ReportID], p.Passage)
	}
	ix.lex = NewLexical(docs)
}

// ContextHeader is the contextual header of a passage: report title, year
// and heading path, so that a passage saying "新增就业3.4万人" is also found
// by its section ("二、2018年主要任务") and report.
func ContextHeader(r corpus.Report, p corpus.Passage) string {
	var b strings.Builder
	b.WriteString(r.Title)
	if r.Year != 0 && !strings.Contains(r.Title, fmt.Sprint(r.Year)) {
		fmt.Fprintf(&b, " (%d)", r.Year)
	}
	for _, h := range p.HeadingPath {
		b.WriteString(" › ")
		b.WriteString(h)
	}
	return b.String()
}

// EmbedText is what the embedder and the lexical index see for a passage:
// its contextual header, then its text.
func EmbedText(r corpus.Report, p corpus.Passage) string {
	return ContextHeader(r, p) + "\n" + p.Text
}

func embedKey(r corpus.Report, p corpus.Passage) string {
	sum := sha256.Sum256([]byte(EmbedText(r, p)))
	return hex.EncodeToString(sum[:12])
}
