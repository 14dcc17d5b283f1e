// Package index is the searchable form of a corpus: passages with their
// vectors and a BM25 index, kept in one file (Save, Open) or in a store that
// several processes share (SharedStore), brought up to date by Sync and
// searched by Search (vector and keyword results fused by reciprocal rank).
// The index owns its embedder.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index/chromemstore"
	"github.com/reportbot/reportbot/lexical"
)

// Passage is a passage as the index holds it.
type Passage struct {
	corpus.Passage
	// EmbedKey is a hash of the exact text that was embedded (contextual
	// header plus passage text); a passage is re-embedded only when it changes.
	EmbedKey string
	// Facts are the passage's facts, encoded (fact.AppendFacts; nil for
	// none): a third of the decoded structs' memory, decoded when used.
	// The index file keeps them in its facts section, a shared store in
	// its snapshot (JSON, base64).
	Facts []byte `json:"facts,omitempty"`
}

// Index is the searchable form of a corpus: report metadata, passages, one
// vector per passage and a BM25 lexical index. Build it with
// New and Sync, or load it with Open. An Index is safe for concurrent
// searches; Sync must not run concurrently with anything else.
type Index struct {
	emb        embed.Embedder
	embedderID string
	dim        int
	reports    map[string]corpus.Report // Text is not kept
	newestYear int                      // of reports (noteReports)
	// passages are the passages in memory, unless lazy is set: an index
	// opened from a format 5 file reads them in place, each when it is
	// used, with their facts (lazyFacts; see Len, passageAt, materialize).
	passages  []Passage
	lazy      *passageSection
	lazyFacts *factsSection
	// byID finds a passage's row by its ID. Searches go by rows, so it is
	// built on first use (rowOf), not when the index is opened; byIDMu
	// guards building it.
	byIDMu sync.Mutex
	byID   map[string]int
	// reportOrd numbers the reports of the passages; rowReport[i] is the
	// number of passage i's report (see Filter).
	reportOrd map[string]int32
	rowReport []int32
	// vec holds the vectors (row i is passage i) in the form the index file
	// keeps them; store is the chromem-go collection of the same vectors
	// (with each passage's text and metadata) that answers vector queries
	// (see VectorSearch). It is built from vec on first use and dropped
	// when Sync changes vec. storeMu guards building it.
	vec     *vecIndex
	search  VectorSearch
	storeMu sync.Mutex
	store   *chromemstore.Store
	lex     *lexical.Index
	// lexSpill and residSpill are the spill files (see spill.go) that
	// hold lex and vec's residuals when a sync with a spill directory
	// built them, for Save to copy; each is used only while its lex or
	// vec is the index's.
	lexSpill   spilled[lexical.Index]
	residSpill spilled[vecIndex]
	// byIndicator lists, per indicator, the rows whose facts are about it
	// (see facts.go).
	byIndicator map[string][]int32
	// factsLoaded is set when the passages' Facts were read (index file,
	// shared snapshot) by the current extraction rules; indexFacts
	// extracts them otherwise, and clears it.
	factsLoaded bool
	// backend is where the vectors live and the search runs (local or
	// shared, see store.go); generation is the commit generation of a
	// shared index.
	backend    vectorStore
	generation string
	// format is the index file format it was opened from or last saved
	// in (see FileFormat).
	format int
	// source is the corpus state it was synced from (see SetSource).
	source []byte
}

// New returns an empty index for vectors made by emb.
func New(emb embed.Embedder) (*Index, error) {
	if emb.Dim() <= 0 {
		return nil, fmt.Errorf("new index: embedder %s has dimension %d", emb.ID(), emb.Dim())
	}
	ix := &Index{emb: emb, embedderID: emb.ID(), dim: emb.Dim(), reports: map[string]corpus.Report{}, vec: &vecIndex{dim: emb.Dim()}, backend: localStore{}}
	ix.rebuildLookups()
	return ix, nil
}

// EmbedderID is the identity of the embedder that built the index.
func (ix *Index) EmbedderID() string { return ix.embedderID }

// Passage returns the passage with id.
func (ix *Index) Passage(id string) (Passage, bool) {
	i, ok := ix.rowOf(id)
	if !ok {
		return Passage{}, false
	}
	p, err := ix.passageAt(i)
	return p, err == nil
}

// rowOf returns the row of the passage with id, building the lookup
// first if needed. It is safe for concurrent use with searches.
func (ix *Index) rowOf(id string) (int, bool) {
	ix.byIDMu.Lock()
	if ix.byID == nil {
		ix.byID = make(map[string]int, ix.Len())
		for i := range ix.Len() {
			if id, err := ix.passageID(i); err == nil {
				ix.byID[id] = i
			}
		}
	}
	m := ix.byID
	ix.byIDMu.Unlock()
	i, ok := m[id]
	return i, ok
}

// Passages returns the indexed passages in index order. The slice is the
// index's own, or, for an index read in place, read from its file
// (verifying it whole): do not modify it.
func (ix *Index) Passages() ([]Passage, error) {
	if ix.lazy != nil {
		return ix.readAll()
	}
	return ix.passages, nil
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
	ords := make([]int, len(ix.reportOrd))
	for _, o := range ix.rowReport {
		ords[o]++
	}
	counts := make(map[string]int, len(ix.reportOrd))
	for id, o := range ix.reportOrd {
		counts[id] = ords[o]
	}
	var out []ReportSummary
	for _, id := range slices.Sorted(maps.Keys(ix.reports)) {
		out = append(out, ReportSummary{Report: ix.reports[id], Passages: counts[id]})
	}
	return out
}

// AllReports yields the metadata (without text) of every indexed report, in
// no particular order. Unlike Reports it does not count passages, so it
// costs the number of reports, not of passages.
func (ix *Index) AllReports() iter.Seq[corpus.Report] {
	return func(yield func(corpus.Report) bool) {
		for _, r := range ix.reports {
			if !yield(r) {
				return
			}
		}
	}
}

// NewestYear returns the latest year of the indexed reports, 0 when none
// has a year.
func (ix *Index) NewestYear() int { return ix.newestYear }

// noteReports records what is derived from the reports' metadata (the
// newest year), after they are set.
func (ix *Index) noteReports() {
	ix.newestYear = 0
	for _, r := range ix.reports {
		ix.newestYear = max(ix.newestYear, r.Year)
	}
}

// SyncStats says what a Sync changed.
type SyncStats struct {
	Reports        int
	Passages       int
	Embedded       int // passages whose vectors were computed
	Reused         int // passages whose stored vectors were kept
	Resumed        int // passages whose vectors came from the embed journal
	Removed        int // passages deleted
	ReportsRemoved int
	// MetadataChanged is set when report metadata (title, year...) changed.
	MetadataChanged bool
	Elapsed         time.Duration
}

// Changed reports whether the sync modified the index.
func (s SyncStats) Changed() bool {
	return s.Embedded > 0 || s.Resumed > 0 || s.Removed > 0 || s.ReportsRemoved > 0 || s.MetadataChanged
}

// Progress is called during Sync after each embedded batch.
type Progress func(done, total int)

// SyncOptions tunes Sync. Zero values take defaults.
type SyncOptions struct {
	Split     corpus.SplitOptions
	BatchSize int // passages per Embed call (default 64)
	// Concurrency is how many Embed calls may run at once (default
	// GOMAXPROCS). An API embedder that waits on the network wants 4 to 8.
	Concurrency int
	Progress    Progress
	// Checkpoint, when set, is called while embedding, at most every
	// CheckpointEvery, and once more when Sync fails after embedding
	// something, with the index made consistent with the work done so far:
	// it then holds the unchanged passages and those embedded so far, and
	// nothing else. Saving the index there (Index.Save) means an interrupted
	// Sync loses nothing already embedded; the next Sync embeds only the
	// rest. It runs on Sync's goroutine; an error from it stops Sync.
	Checkpoint func() error
	// CheckpointEvery is the least time between checkpoints (default 30s).
	CheckpointEvery time.Duration
	// Journal, when set, receives every embedded batch as soon as it
	// arrives, and vectors it already holds (from a run that was killed
	// between checkpoints) are used instead of embedding again.
	Journal *EmbedJournal
	// SpillDir, when set, is a directory (the data directory, where Save
	// writes) for temporary files that hold the lexical index and the
	// vectors' residuals while they are built and until the index is
	// dropped, read in place instead of held in memory, and the garbage
	// collector runs with less headroom until Sync returns (see
	// spill.go).
	SpillDir string
}

// defaultCheckpointEvery is the default SyncOptions.CheckpointEvery.
const defaultCheckpointEvery = 30 * time.Second

// syncBatch is one Embed call's work and result.
type syncBatch struct {
	want []int // positions in the wanted passage list
	vecs [][]float32
	err  error
}

// keptRows says which wanted passages need vectors: oldRow[i] is wanted
// passage i's row in the current index when its vector can be kept, else -1;
// todo lists the others. sameOrder is set when every passage keeps its row
// and none is removed. It counts reused and removed passages in stats.
func (ix *Index) keptRows(want []Passage, stats *SyncStats) (oldRow, todo []int, sameOrder bool) {
	oldRow = make([]int, len(want))
	sameOrder = len(want) == len(ix.passages)
	for i, p := range want {
		oldRow[i] = -1
		if j, ok := ix.rowOf(p.ID); ok && ix.passages[j].EmbedKey == p.EmbedKey {
			oldRow[i] = j
			stats.Reused++
		} else {
			todo = append(todo, i)
		}
		sameOrder = sameOrder && oldRow[i] == i
	}
	wanted := make(map[string]bool, len(want))
	for _, p := range want {
		wanted[p.ID] = true
	}
	for _, p := range ix.passages {
		if !wanted[p.ID] {
			stats.Removed++
		}
	}
	return oldRow, todo, sameOrder
}

// Sync makes the index hold exactly reports: passages that did not change
// keep their vectors, new or changed ones are embedded (in batches,
// with the index's embedder, up to opt.Concurrency at once), passages of removed reports disappear.
// Running it twice with the same input changes nothing the second time. On
// error the index holds the unchanged passages and those embedded before the
// error, consistently, and a later Sync completes the work.
func (ix *Index) Sync(ctx context.Context, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	return ix.backend.sync(ctx, ix, reports, opt)
}

// syncLocal is Sync for an index whose vectors live in its own file.
func (ix *Index) syncLocal(ctx context.Context, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	emb := ix.emb
	start := time.Now()
	if opt.Concurrency <= 0 {
		opt.Concurrency = runtime.GOMAXPROCS(0)
	}
	if opt.CheckpointEvery <= 0 {
		opt.CheckpointEvery = defaultCheckpointEvery
	}
	stats := SyncStats{Reports: len(reports)}
	if err := ix.materialize(); err != nil {
		return stats, fmt.Errorf("sync: %w", err)
	}

	want, newReports := ix.plan(reports, opt.Split, &stats)
	facts := extractFacts(want, newReports) // read again: a report's year is their context

	oldRow, todo, sameOrder := ix.keptRows(want, &stats)
	if sameOrder {
		// Nothing to embed or remove: keep vectors and lexical index, take
		// the new metadata (paragraph numbers, report fields) and facts.
		ix.reports, ix.passages = newReports, want
		ix.noteReports()
		ix.byIndicator = lookupByIndicator(facts, nil) // extracted above
		stats.Elapsed = time.Since(start)
		return stats, nil
	}

	// Vectors go straight into the matrix the index will search, in the
	// wanted order: kept ones copied now (after verifying them, when they
	// are in a mapped file), new ones as they are embedded.
	if err := ix.vec.verifyAll(); err != nil {
		return stats, fmt.Errorf("sync: %w", rebuildHint(err))
	}
	b := &syncBuild{want: want, reports: newReports, facts: facts, spill: opt.SpillDir, has: make([]bool, len(want))}
	if b.spill != "" {
		defer debug.SetGCPercent(debug.SetGCPercent(spillGCPercent))
	}
	if err := b.prepare(ix, oldRow); err != nil {
		return stats, fmt.Errorf("sync: %w", err)
	}
	staging := b.staging
	has := b.has
	if opt.Journal != nil {
		rest := todo[:0:0]
		for _, i := range todo {
			if v, ok := opt.Journal.Lookup(want[i].EmbedKey); ok && len(v) == ix.dim {
				if err := staging.setRowsOut([]int{i}, [][]float32{v}, b.out); err != nil {
					return stats, fmt.Errorf("sync: %w", err)
				}
				has[i] = true
				stats.Resumed++
			} else {
				rest = append(rest, i)
			}
		}
		todo = rest
	}
	embedErr := ix.embed(ctx, emb, want, newReports, todo, opt, func(sb syncBatch) error {
		return staging.setRowsOut(sb.want, sb.vecs, b.out) // rows no other batch sets, none read before store
	}, func(sb syncBatch) error {
		for _, i := range sb.want {
			has[i] = true
		}
		stats.Embedded += len(sb.want)
		if opt.Journal == nil {
			return nil
		}
		keys := make([]string, len(sb.want))
		for k, i := range sb.want {
			keys[k] = want[i].EmbedKey
		}
		return opt.Journal.Append(keys, sb.vecs)
	}, func() error {
		if err := ix.commit(b); err != nil {
			return err
		}
		return opt.Checkpoint()
	})
	if err := ix.commit(b); err != nil {
		embedErr = errors.Join(embedErr, fmt.Errorf("sync: %w", err))
	}
	stats.Elapsed = time.Since(start)
	if embedErr != nil && opt.Checkpoint != nil && stats.Embedded+stats.Resumed > 0 {
		embedErr = errors.Join(embedErr, opt.Checkpoint())
	}
	return stats, embedErr
}

// embed embeds want[todo] in batches, opt.Concurrency at a time, hands
// each batch to prepare on the goroutine that embedded it, then to store on
// this goroutine, in completion order (without its vectors when there is
// no opt.Journal and emb is an embed.IntoEmbedder). checkpoint
// (when opt.Checkpoint is set) is called at most every opt.CheckpointEvery.
// After an error it waits for the calls under way and stores those that
// succeeded before returning the first error.
func (ix *Index) embed(ctx context.Context, emb embed.Embedder, want []Passage, reports map[string]corpus.Report, todo []int,
	opt SyncOptions, prepare func(syncBatch) error, store func(syncBatch) error, checkpoint func() error) error {
	if len(todo) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan []int)
	results := make(chan syncBatch)
	go func() {
		defer close(jobs)
		for b := 0; b < len(todo); b += opt.BatchSize {
			select {
			case jobs <- todo[b:min(b+opt.BatchSize, len(todo))]:
			case <-ctx.Done():
				return
			}
		}
	}()
	// Without a journal nothing reads a batch's vectors after prepare, so
	// an embedder that can write them into a buffer gets one per goroutine,
	// and its texts are written into another.
	into, reuse := emb.(embed.IntoEmbedder)
	reuse = reuse && opt.Journal == nil
	var wg sync.WaitGroup
	for range min(opt.Concurrency, (len(todo)+opt.BatchSize-1)/opt.BatchSize) {
		wg.Go(func() {
			be := batchEmbedder{emb: emb, into: into, reuse: reuse}
			for batch := range jobs {
				vecs, err := be.embed(ctx, want, batch, reports)
				if err == nil {
					err = prepare(syncBatch{want: batch, vecs: vecs})
				}
				if reuse {
					vecs = nil // the buffer is the next batch's
				}
				results <- syncBatch{want: batch, vecs: vecs, err: err}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
			cancel()
		}
	}
	done, last := 0, time.Now()
	for b := range results {
		if b.err != nil {
			fail(fmt.Errorf("embed passages: %w", b.err))
			continue
		}
		if err := store(b); err != nil {
			fail(err)
			continue
		}
		done += len(b.want)
		if opt.Progress != nil {
			opt.Progress(done, len(todo))
		}
		if first == nil && opt.Checkpoint != nil && done < len(todo) && time.Since(last) >= opt.CheckpointEvery {
			if err := checkpoint(); err != nil {
				fail(fmt.Errorf("checkpoint: %w", err))
			}
			last = time.Now()
		}
	}
	if first == nil && done < len(todo) {
		// Cancelled between batches: no Embed call saw it.
		first = fmt.Errorf("embed passages: %w", context.Cause(ctx))
	}
	return first
}

// batchEmbedder embeds the batches of one goroutine of embed: with reuse,
// into buffers of its own (texts and vectors) that the next batch takes
// over.
type batchEmbedder struct {
	emb   embed.Embedder
	into  embed.IntoEmbedder
	reuse bool
	buf   []float32
	tbuf  []byte
}

// embed returns the checked vectors of the passages want[batch].
func (b *batchEmbedder) embed(ctx context.Context, want []Passage, batch []int, reports map[string]corpus.Report) ([][]float32, error) {
	var texts []string
	if b.reuse {
		texts, b.tbuf = batchTexts(b.tbuf, want, batch, reports)
	} else {
		texts = make([]string, len(batch))
		for k, i := range batch {
			texts[k] = EmbedText(reports[want[i].ReportID], want[i].Passage)
		}
	}
	var vecs [][]float32
	var err error
	if b.reuse {
		n := len(texts) * b.emb.Dim()
		b.buf = slices.Grow(b.buf[:0], n)[:n]
		vecs, err = b.into.EmbedInto(ctx, texts, b.buf)
	} else {
		vecs, err = b.emb.Embed(ctx, texts)
	}
	if err == nil {
		err = embed.CheckVectors(b.emb, vecs, len(texts))
	}
	return vecs, err
}

// commit makes the index hold the wanted passages whose vectors b's
// staging holds (b.has[i]), in the wanted order, with the facts
// extractFacts set and found. It can run again as more passages are
// embedded.
func (ix *Index) commit(b *syncBuild) error {
	want := b.want
	var keep []int
	for i := range want {
		if b.has[i] {
			keep = append(keep, i)
		}
	}
	passages := want  // all of them: no copy
	var rowOf []int32 // nil: every wanted passage is in its row
	vec := b.staging
	if len(keep) == len(want) {
		if b.resid != nil {
			if err := b.resid.finish(vec); err != nil {
				return err
			}
		}
	} else {
		passages = make([]Passage, len(keep))
		rowOf = make([]int32, len(want))
		for i := range rowOf {
			rowOf[i] = -1
		}
		for k, i := range keep {
			passages[k] = want[i]
			rowOf[i] = int32(k)
		}
		var err error
		if vec, err = b.partial(keep); err != nil {
			return err
		}
	}
	ix.vec = vec
	ix.residSpill = spilled[vecIndex]{}
	if b.resid != nil {
		ix.residSpill = spilled[vecIndex]{of: vec, m: vec.keep}
	}
	ix.storeMu.Lock()
	ix.store = nil // the chromem-go collection is rebuilt on first use
	ix.storeMu.Unlock()
	ix.reports, ix.passages = b.reports, passages
	ix.factsLoaded, ix.byIndicator = true, lookupByIndicator(b.facts, rowOf) // extracted with the plan
	switch {
	case b.spill == "":
		ix.rebuildLookups()
	case len(keep) == len(want) && b.lex != nil:
		ix.indexPassages()
		ix.lex, ix.lexSpill = b.lex, spilled[lexical.Index]{of: b.lex, m: b.lexFile}
	default:
		ix.indexPassages()
		lex, m, err := spillLexical(b.spill, len(ix.passages), ix.appendDoc)
		if err != nil {
			return err
		}
		ix.lex, ix.lexSpill = lex, spilled[lexical.Index]{of: lex, m: m}
	}
	return nil
}

// chromem returns the chromem-go collection of the index's passages,
// building it first if needed. It is safe for concurrent use with searches.
func (ix *Index) chromem(ctx context.Context) (*chromemstore.Store, error) {
	ix.storeMu.Lock()
	defer ix.storeMu.Unlock()
	if ix.store != nil {
		return ix.store, nil
	}
	if err := ix.vec.verifyAll(); err != nil {
		return nil, rebuildHint(err)
	}
	st, err := chromemstore.New(ix.dim)
	if err != nil {
		return nil, err
	}
	docs := make([]chromemstore.Doc, ix.Len())
	for i := range docs {
		p, err := ix.passageAt(i)
		if err != nil {
			return nil, err
		}
		docs[i] = chromemstore.Doc{ID: p.ID, Vector: ix.vec.row(i), Content: p.Text, Metadata: passageMetadata(p)}
	}
	if err := st.Add(ctx, docs); err != nil {
		return nil, err
	}
	ix.store = st
	return st, nil
}

// Store returns the chromem-go store holding the index's passages and
// vectors. The caller must not modify it or use it concurrently with Sync.
func (ix *Index) Store(ctx context.Context) (*chromemstore.Store, error) { return ix.chromem(ctx) }

// QueryVectors returns the k passages whose vectors are nearest to vec by
// cosine similarity, best first: the vector half of Search. The index's
// VectorSearch decides which search answers (VectorBackend says which did).
func (ix *Index) QueryVectors(ctx context.Context, vec []float32, k int) ([]chromemstore.Hit, error) {
	return ix.queryVectors(ctx, vec, k, Filter{}, nil)
}

// queryVectors is QueryVectors over the passages f keeps; keep is f's row
// predicate (Index.keepRows).
func (ix *Index) queryVectors(ctx context.Context, vec []float32, k int, f Filter, keep func(row int) bool) ([]chromemstore.Hit, error) {
	hits, err := ix.vectorRows(ctx, vec, k, f, keep)
	if err != nil {
		return nil, err
	}
	out := make([]chromemstore.Hit, len(hits))
	for i, h := range hits {
		id, err := ix.passageID(h.row)
		if err != nil {
			return nil, err
		}
		out[i] = chromemstore.Hit{ID: id, Similarity: h.sim}
	}
	return out, nil
}

// vectorRows is queryVectors by rows, best first.
func (ix *Index) vectorRows(ctx context.Context, vec []float32, k int, f Filter, keep func(row int) bool) ([]vecHit, error) {
	if len(vec) != ix.dim {
		return nil, fmt.Errorf("vector search: query vector has dimension %d, want %d", len(vec), ix.dim)
	}
	if ix.VectorBackend() == VectorSearchChromem {
		st, err := ix.chromem(ctx)
		if err != nil {
			return nil, fmt.Errorf("vector search: %w", err)
		}
		var hits []chromemstore.Hit
		if len(f.Reports) > 0 {
			hits, err = st.QueryIn(ctx, vec, k, metaReportID, f.Reports)
		} else {
			hits, err = st.Query(ctx, vec, k)
		}
		if err != nil {
			return nil, err
		}
		out := make([]vecHit, 0, len(hits))
		for _, h := range hits {
			if i, ok := ix.rowOf(h.ID); ok {
				out = append(out, vecHit{row: i, sim: h.Similarity})
			}
		}
		return out, nil
	}
	hits, err := ix.vec.search(vec, k, keep)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", rebuildHint(err))
	}
	return hits, nil
}

// rebuildLookups recomputes the passage lookups and the lexical index.
func (ix *Index) rebuildLookups() {
	ix.indexPassages()
	ix.lex = lexical.NewAppend(len(ix.passages), ix.appendDoc)
}

// appendDoc appends the text the lexical index holds for passage i.
func (ix *Index) appendDoc(dst []byte, i int) []byte {
	p := &ix.passages[i]
	return appendEmbedText(dst, ix.reports[p.ReportID], p.Passage)
}

// indexPassages builds the lookups of the passages in order: the report
// ordinals of Filter (byID is dropped, and built again on first use).
func (ix *Index) indexPassages() {
	ix.noteReports()
	ix.byIDMu.Lock()
	ix.byID = nil
	ix.byIDMu.Unlock()
	if ix.lazy != nil {
		// An index read in place has its report ordinals in the file
		// (readInPlace).
		ix.indexFacts()
		return
	}
	ix.reportOrd = make(map[string]int32, len(ix.reports))
	ix.rowReport = make([]int32, len(ix.passages))
	for i, p := range ix.passages {
		o, ok := ix.reportOrd[p.ReportID]
		if !ok {
			o = int32(len(ix.reportOrd))
			ix.reportOrd[p.ReportID] = o
		}
		ix.rowReport[i] = o
	}
	ix.indexFacts()
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

// plan splits reports into the passages the index should hold, each with
// its embed key, and the report metadata (text dropped) by ID. It records in
// stats the passage count, whether any report's metadata changed, and how
// many indexed reports are gone.
func (ix *Index) plan(reports []corpus.Report, split corpus.SplitOptions, stats *SyncStats) ([]Passage, map[string]corpus.Report) {
	newReports := make(map[string]corpus.Report, len(reports))
	for _, r := range reports {
		meta := r
		meta.Text = ""
		if old, ok := ix.reports[r.ID]; !ok || !old.Equal(meta) {
			stats.MetadataChanged = true
		}
		newReports[r.ID] = meta
	}
	want := splitReports(reports, split, runtime.GOMAXPROCS(0))
	stats.Passages = len(want)
	for id := range ix.reports {
		if _, ok := newReports[id]; !ok {
			stats.ReportsRemoved++
		}
	}
	return want, newReports
}

// Lexical is the BM25 index over the passages (term statistics for query
// analysis and evidence scoring).
func (ix *Index) Lexical() *lexical.Index { return ix.lex }
