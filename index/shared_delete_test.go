package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/sharedtest"
)

// memByReport is a shared store that deletes whole reports in one call,
// as weaviate.Store does with a filtered batch deletion.
type memByReport struct {
	*sharedtest.Mem
	dropped [][]string
	deleted []string // passage IDs deleted by ID
}

func (m *memByReport) DeleteReports(ctx context.Context, reportIDs []string) (int, error) {
	m.dropped = append(m.dropped, slices.Clone(reportIDs))
	ps, err := m.Passages(ctx)
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, p := range ps {
		if slices.Contains(reportIDs, p.ReportID) {
			ids = append(ids, p.ID)
		}
	}
	return len(ids), m.Mem.Delete(ctx, ids)
}

func (m *memByReport) Delete(ctx context.Context, ids []string) error {
	m.deleted = append(m.deleted, ids...)
	return m.Mem.Delete(ctx, ids)
}

// TestSharedSyncDeletesDroppedReports checks that a sync deletes the
// passages of a report no longer in the corpus with one DeleteReports call
// when the store has it, and the changed passages of kept reports by ID.
func TestSharedSyncDeletesDroppedReports(t *testing.T) {
	t.Parallel()
	reports, problems, err := corpus.Default()
	if err != nil || len(problems) > 0 || len(reports) < 2 {
		t.Fatalf("corpus.Default: %d reports, %v %v", len(reports), err, problems)
	}
	emb, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	st := &memByReport{Mem: sharedtest.NewMem()}
	ix := index.NewSharedIndex(st, emb)
	if _, err := ix.Sync(t.Context(), reports, index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Passages(t.Context())
	// Keep the first report, with its last paragraph changed, and drop the others.
	kept := slices.Clone(reports[:1])
	kept[0].Text += "\n新增一段。"
	stats, err := ix.Sync(t.Context(), kept, index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range reports[1:] {
		want = append(want, r.ID)
	}
	if len(st.dropped) != 1 || !sameElems(st.dropped[0], want) {
		t.Errorf("DeleteReports calls = %v, want one call with %v", st.dropped, want)
	}
	for _, id := range st.deleted {
		for _, p := range before {
			if p.ID == id && p.ReportID != kept[0].ID {
				t.Errorf("passage %s of dropped report %s deleted by ID", id, p.ReportID)
			}
		}
	}
	after, _ := st.Passages(t.Context())
	for _, p := range after {
		if p.ReportID != kept[0].ID {
			t.Errorf("passage %s of dropped report %s still stored", p.ID, p.ReportID)
		}
	}
	if len(after) != stats.Passages || stats.Removed != len(before)+stats.Embedded-len(after) {
		t.Errorf("after the sync: %d stored, stats %+v (before: %d)", len(after), stats, len(before))
	}
}

func sameElems(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
