package rag

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
)

// memShared is an in-memory SharedStore: exact cosine ranking and our BM25
// over the stored contextual text, fused by reciprocal rank, like a hybrid
// search. It counts writes.
type memShared struct {
	mu       sync.Mutex
	objs     map[string]memObj
	manifest *index.SharedManifest
	snaps    map[string][]index.Passage
	gen      int
	puts     int
	deletes  int
}

type memObj struct {
	p   index.Passage
	r   corpus.Report
	vec []float32
}

func newMemShared() *memShared {
	return &memShared{objs: map[string]memObj{}, snaps: map[string][]index.Passage{}}
}

func (m *memShared) Snapshot(_ context.Context, man index.SharedManifest) ([]index.Passage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ps, ok := m.snaps[man.Generation]
	if !ok {
		return nil, index.ErrNoIndex
	}
	return slices.Clone(ps), nil
}

func (m *memShared) Manifest(context.Context) (index.SharedManifest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.manifest == nil {
		return index.SharedManifest{}, index.ErrNoIndex
	}
	return *m.manifest, nil
}

func (m *memShared) Passages(context.Context) ([]index.Passage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []index.Passage
	for _, o := range m.objs {
		out = append(out, o.p)
	}
	return out, nil
}

func (m *memShared) Put(_ context.Context, reports map[string]corpus.Report, ps []index.Passage, vecs [][]float32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, p := range ps {
		m.objs[p.ID] = memObj{p: p, r: reports[p.ReportID], vec: vecs[i]}
		m.puts++
	}
	return nil
}

func (m *memShared) Delete(_ context.Context, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		delete(m.objs, id)
		m.deletes++
	}
	return nil
}

func (m *memShared) Commit(_ context.Context, man index.SharedManifest, ps []index.Passage) (index.SharedManifest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	man.Generation = strings.Repeat("g", m.gen)
	m.snaps[man.Generation] = slices.Clone(ps)
	m.manifest = &man
	return man, nil
}

func (m *memShared) Search(_ context.Context, s index.SharedSearch) ([]index.SharedHit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.objs))
	for id := range m.objs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	docs := make([]string, len(ids))
	sims := make([]float64, len(ids))
	for i, id := range ids {
		o := m.objs[id]
		docs[i] = index.EmbedText(o.r, o.p.Passage)
		for j := range s.Vector {
			sims[i] += float64(s.Vector[j] * o.vec[j])
		}
	}
	fused := map[int]*index.SharedHit{}
	get := func(i int) *index.SharedHit {
		if fused[i] == nil {
			fused[i] = &index.SharedHit{Passage: m.objs[ids[i]].p, Report: m.objs[ids[i]].r}
		}
		return fused[i]
	}
	var terms []lexical.WeightedTerm
	for _, t := range lexical.Terms(s.Text) {
		terms = append(terms, lexical.WeightedTerm{Term: t, Weight: 1})
	}
	for r, l := range lexical.NewFunc(len(docs), func(i int) string { return docs[i] }).Search(terms, index.CandidatesPerRanker) {
		h := get(l.Doc)
		h.LexicalRank, h.Score = r+1, h.Score+1/float64(index.RRFK+r+1)
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case sims[a] > sims[b]:
			return -1
		case sims[a] < sims[b]:
			return 1
		}
		return 0
	})
	for r, i := range order[:min(len(order), index.CandidatesPerRanker)] {
		h := get(i)
		h.VectorRank, h.Score = r+1, h.Score+1/float64(index.RRFK+r+1)
	}
	var out []index.SharedHit
	for _, h := range fused {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b index.SharedHit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Passage.ID, b.Passage.ID)
	})
	return out[:min(len(out), s.K)], nil
}

func TestSharedSyncIsIdempotentAndDeletes(t *testing.T) {
	ctx := t.Context()
	emb := newCounting(t)
	st := newMemShared()
	if _, err := index.OpenShared(ctx, st, emb); !errors.Is(err, index.ErrNoIndex) {
		t.Fatalf("OpenShared on an empty store: err = %v, want ErrNoIndex", err)
	}
	reports := bundled(t)
	ix := index.NewSharedIndex(st, emb)
	s1, err := ix.Sync(ctx, reports, index.SyncOptions{BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if s1.Embedded != s1.Passages || st.puts != s1.Passages || ix.Generation() == "" {
		t.Fatalf("first sync: %+v, %d puts, generation %q", s1, st.puts, ix.Generation())
	}
	gen := ix.Generation()

	// Another process opens the committed index and syncs the same corpus.
	ix2, err := index.OpenShared(ctx, st, emb)
	if err != nil {
		t.Fatal(err)
	}
	if ix2.Len() != ix.Len() || ix2.Generation() != gen {
		t.Fatalf("opened index: %d passages at %q, want %d at %q", ix2.Len(), ix2.Generation(), ix.Len(), gen)
	}
	s2, err := ix2.Sync(ctx, reports, index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s2.Changed() || s2.Embedded != 0 || st.puts != s1.Passages || ix2.Generation() != gen {
		t.Errorf("second sync changed something: %+v, %d puts, generation %q → %q", s2, st.puts, gen, ix2.Generation())
	}

	s3, err := ix2.Sync(ctx, reports[:1], index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	left, _ := st.Passages(ctx)
	if s3.Removed == 0 || s3.ReportsRemoved != 1 || len(left) != s3.Passages || ix2.Generation() == gen {
		t.Errorf("sync of one report: %+v, %d passages left, generation %q", s3, len(left), ix2.Generation())
	}
}

func TestFollowerPicksUpNewCommit(t *testing.T) {
	ctx := t.Context()
	emb := newCounting(t)
	st := newMemShared()
	reports := bundled(t)
	indexer := index.NewSharedIndex(st, emb)
	if _, err := indexer.Sync(ctx, reports[1:], index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := NewFollower(ctx, st, emb, func(ix *index.Index) (*Engine, error) { return NewEngine(ix, nil, nil) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := f.Refresh(ctx); changed || err != nil {
		t.Fatalf("Refresh without a new commit = %v, %v", changed, err)
	}
	q := "2018年新增就业目标是多少?"
	before, err := f.Engine().Ask(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(before.Text, "3.4万") {
		t.Fatalf("answered %q before the 2018 report was indexed", before.Text)
	}
	if _, err := indexer.Sync(ctx, reports, index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if changed, err := f.Refresh(ctx); !changed || err != nil {
		t.Fatalf("Refresh after a commit = %v, %v", changed, err)
	}
	after, err := f.Engine().Ask(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after.Text, "3.4万") || len(after.Citations) == 0 || after.Citations[0].ReportTitle == "" {
		t.Errorf("after refresh: %q %+v", after.Text, after.Citations)
	}
}

// TestSharedEngineMatchesEmbedded checks the seam: an engine over a shared
// store whose search behaves like the embedded one answers the dev questions
// as the embedded engine does.
func TestSharedEngineMatchesEmbedded(t *testing.T) {
	ctx := t.Context()
	emb := newCounting(t)
	st := newMemShared()
	ix := index.NewSharedIndex(st, emb)
	if _, err := ix.Sync(ctx, bundled(t), index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	shared, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	local := newTestEngine(t)
	for _, q := range []string{"2018年新增就业目标是多少?", "2017年武清区新增就业多少人?", "火星基地有多少个?"} {
		a, err := shared.Ask(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := local.Ask(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != b.Text || a.NotFound != b.NotFound {
			t.Errorf("%s: shared answered %q, embedded %q", q, a.Text, b.Text)
		}
	}
}
