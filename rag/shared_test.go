package rag

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/sharedtest"
)

func TestSharedSyncIsIdempotentAndDeletes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	emb := newCounting(t)
	st := sharedtest.NewMem()
	if _, err := index.OpenShared(ctx, st, emb); !errors.Is(err, index.ErrNoIndex) {
		t.Fatalf("OpenShared on an empty store: err = %v, want ErrNoIndex", err)
	}
	reports := bundled(t)
	ix := index.NewSharedIndex(st, emb)
	s1, err := ix.Sync(ctx, reports, index.SyncOptions{BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if s1.Embedded != s1.Passages || puts(st) != s1.Passages || ix.Generation() == "" {
		t.Fatalf("first sync: %+v, %d puts, generation %q", s1, puts(st), ix.Generation())
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
	if s2.Changed() || s2.Embedded != 0 || puts(st) != s1.Passages || ix2.Generation() != gen {
		t.Errorf("second sync changed something: %+v, %d puts, generation %q → %q", s2, puts(st), gen, ix2.Generation())
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
	t.Parallel()
	ctx := t.Context()
	emb := newCounting(t)
	st := sharedtest.NewMem()
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
	t.Parallel()
	ctx := t.Context()
	emb := newCounting(t)
	st := sharedtest.NewMem()
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

func puts(m *sharedtest.Mem) int { p, _ := m.Writes(); return p }

// TestSharedSnapshotCarriesFacts: a shared index's commit stores the table
// of facts in its snapshot (with the extraction rules' version in the
// manifest), and an answering process opening it finds the facts.
func TestSharedSnapshotCarriesFacts(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	emb := newCounting(t)
	st := sharedtest.NewMem()
	if _, err := index.NewSharedIndex(st, emb).Sync(ctx, bundled(t), index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	m, err := st.Manifest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	withFacts := 0
	for _, p := range snap {
		if len(p.Facts) > 0 {
			withFacts++
		}
	}
	if m.FactsVersion != fact.Version || withFacts == 0 {
		t.Fatalf("manifest facts version %q, %d snapshot passages with facts; want %q and some", m.FactsVersion, withFacts, fact.Version)
	}
	ix, err := index.OpenShared(ctx, st, emb)
	if err != nil {
		t.Fatal(err)
	}
	jobs := ix.FactsAbout([]string{"new_urban_jobs"}, index.Filter{})
	if !slices.ContainsFunc(jobs, func(h index.FactHit) bool { return h.Fact.Value == "3.4万人" }) {
		t.Errorf("FactsAbout(new_urban_jobs) in the opened shared index: %d facts without 3.4万人", len(jobs))
	}
}
