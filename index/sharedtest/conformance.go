package sharedtest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// dim is the vector length of the suite's passages.
const dim = 8

// fixture is the suite's report and passages: three passages of one report,
// two years and both period kinds, each with a unit vector of its own.
func fixture() (map[string]corpus.Report, []index.Passage, [][]float32) {
	rep := corpus.Report{ID: "r-2018", Title: "Conformance 2018 report", Year: 2018}
	mk := func(id, text string, year int, kind corpus.PeriodKind, para int) index.Passage {
		return index.Passage{
			Passage: corpus.Passage{
				ID: id, ReportID: rep.ID, Text: text, Paragraph: para,
				HeadingPath: []string{"Section"}, Period: corpus.Period{Year: year, Kind: kind},
			},
			EmbedKey: "key-" + id,
		}
	}
	ps := []index.Passage{
		mk("p-jobs", "城镇新增就业3.4万人，新建幼儿园12所", 2017, corpus.PeriodActual, 1),
		mk("p-target", "地区生产总值增长目标7%左右，扩建港口码头", 2018, corpus.PeriodTarget, 2),
		mk("p-roads", "农村公路全面提升改造，发展果园经济", 2018, corpus.PeriodActual, 3),
	}
	vecs := make([][]float32, len(ps))
	for i := range vecs {
		vecs[i] = make([]float32, dim)
		vecs[i][i] = 1
	}
	return map[string]corpus.Report{rep.ID: rep}, ps, vecs
}

// Run checks that a store behaves as index.SharedStore says: open returns
// a new, empty store for each call (a fresh collection).
func Run(t *testing.T, open func(t *testing.T) index.SharedStore) {
	t.Run("EmptyHasNoManifest", func(t *testing.T) { emptyHasNoManifest(t, open) })
	t.Run("PutIsIdempotentAndDeleteRemoves", func(t *testing.T) { putIsIdempotentAndDeleteRemoves(t, open) })
	t.Run("CommitSnapshotsAndKeepsThePrevious", func(t *testing.T) { commitSnapshotsAndKeepsThePrevious(t, open) })
	t.Run("SearchRanksAndFilters", func(t *testing.T) { searchRanksAndFilters(t, open) })
	t.Run("SearchKeepsReports", func(t *testing.T) { searchKeepsReports(t, open) })
}

func emptyHasNoManifest(t *testing.T, open func(t *testing.T) index.SharedStore) {
	st := open(t)
	if _, err := st.Manifest(t.Context()); !errors.Is(err, index.ErrNoIndex) {
		t.Errorf("Manifest of an empty store: %v; want ErrNoIndex", err)
	}
	ps, err := st.Passages(t.Context())
	if err != nil || len(ps) != 0 {
		t.Errorf("Passages of an empty store: %d, %v", len(ps), err)
	}
}

func putIsIdempotentAndDeleteRemoves(t *testing.T, open func(t *testing.T) index.SharedStore) {
	st := open(t)
	reps, ps, vecs := fixture()
	for range 2 {
		if err := st.Put(t.Context(), reps, ps, vecs); err != nil {
			t.Fatal(err)
		}
	}
	assertIDs(t, st, "p-jobs", "p-roads", "p-target")
	if err := st.Delete(t.Context(), []string{"p-roads", "never-stored"}); err != nil {
		t.Fatal(err)
	}
	assertIDs(t, st, "p-jobs", "p-target")
	got, err := st.Passages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		want := ps[slices.IndexFunc(ps, func(q index.Passage) bool { return q.ID == p.ID })]
		if p.EmbedKey != want.EmbedKey || p.Text != want.Text || p.Period != want.Period || p.ReportID != want.ReportID {
			t.Errorf("stored passage %s = %+v; want %+v", p.ID, p, want)
		}
	}
}

func commitSnapshotsAndKeepsThePrevious(t *testing.T, open func(t *testing.T) index.SharedStore) {
	st := open(t)
	reps, ps, vecs := fixture()
	if err := st.Put(t.Context(), reps, ps, vecs); err != nil {
		t.Fatal(err)
	}
	m := index.SharedManifest{EmbedderID: "conformance", Dim: dim, Reports: []corpus.Report{reps["r-2018"]}, Passages: len(ps)}
	m1, err := st.Commit(t.Context(), m, ps)
	if err != nil || m1.Generation == "" {
		t.Fatalf("Commit: generation %q, %v", m1.Generation, err)
	}
	m2, err := st.Commit(t.Context(), m, ps[:2])
	if err != nil || m2.Generation == m1.Generation {
		t.Fatalf("second Commit: generation %q after %q, %v", m2.Generation, m1.Generation, err)
	}
	got, err := st.Manifest(t.Context())
	if err != nil || got.Generation != m2.Generation || got.EmbedderID != "conformance" || got.Dim != dim || got.Passages != len(ps) || len(got.Reports) != 1 {
		t.Errorf("Manifest = %+v, %v; want the second commit", got, err)
	}
	for _, c := range []struct {
		m    index.SharedManifest
		want []index.Passage
	}{{m2, ps[:2]}, {m1, ps}} {
		snap, err := st.Snapshot(t.Context(), c.m)
		if err != nil {
			t.Fatalf("Snapshot of generation %q: %v", c.m.Generation, err)
		}
		if !slices.EqualFunc(snap, c.want, func(a, b index.Passage) bool { return a.ID == b.ID && a.EmbedKey == b.EmbedKey }) {
			t.Errorf("Snapshot of generation %q: %d passages, not those committed in order", c.m.Generation, len(snap))
		}
	}
}

func searchRanksAndFilters(t *testing.T, open func(t *testing.T) index.SharedStore) {
	st := open(t)
	reps, ps, vecs := fixture()
	if err := st.Put(t.Context(), reps, ps, vecs); err != nil {
		t.Fatal(err)
	}
	hits, err := st.Search(t.Context(), index.SharedSearch{Vector: vecs[2], K: 3})
	if err != nil || len(hits) == 0 || hits[0].Passage.ID != "p-roads" {
		t.Errorf("vector search for p-roads' vector: %v, %v", ids(hits), err)
	}
	hits, err = st.Search(t.Context(), index.SharedSearch{Text: "港口码头", K: 3})
	if err != nil || len(hits) == 0 || hits[0].Passage.ID != "p-target" {
		t.Errorf("keyword search for 港口码头: %v, %v", ids(hits), err)
	}
	if len(hits) > 0 && hits[0].Report.ID != "r-2018" {
		t.Errorf("hit report = %+v; want r-2018", hits[0].Report)
	}
	hits, err = st.Search(t.Context(), index.SharedSearch{Vector: vecs[0], K: 1})
	if err != nil || len(hits) != 1 {
		t.Errorf("K=1 gave %v, %v", ids(hits), err)
	}
	hits, err = st.Search(t.Context(), index.SharedSearch{Vector: vecs[0], K: 3, Years: []int{2018}})
	if err != nil || !sameSet(ids(hits), "p-roads", "p-target") {
		t.Errorf("year filter 2018: %v, %v; want p-roads and p-target", ids(hits), err)
	}
	hits, err = st.Search(t.Context(), index.SharedSearch{Vector: vecs[0], K: 3, Years: []int{2018}, Kind: corpus.PeriodTarget})
	if err != nil || !sameSet(ids(hits), "p-target") {
		t.Errorf("year 2018 and kind target: %v, %v; want p-target", ids(hits), err)
	}
	if err := st.Delete(t.Context(), []string{"p-roads"}); err != nil {
		t.Fatal(err)
	}
	hits, err = st.Search(t.Context(), index.SharedSearch{Vector: vecs[2], K: 3})
	if err != nil || slices.Contains(ids(hits), "p-roads") {
		t.Errorf("search after deleting p-roads: %v, %v", ids(hits), err)
	}
}

// searchKeepsReports checks the report filter: with passages of a second
// report that outrank the first's for both rankers, a search limited to
// the first report still returns K of its passages, and one limited to
// both reports returns passages of both.
func searchKeepsReports(t *testing.T, open func(t *testing.T) index.SharedStore) {
	st := open(t)
	reps, ps, vecs := fixture()
	if err := st.Put(t.Context(), reps, ps, vecs); err != nil {
		t.Fatal(err)
	}
	other := corpus.Report{ID: "r-other", Title: "Conformance other report", Year: 2018}
	var ops []index.Passage
	var ovecs [][]float32
	for i, text := range []string{"港口码头吞吐量增长，新建港口码头两座", "港口码头扩建工程开工", "港口码头航线新增"} {
		ops = append(ops, index.Passage{
			Passage: corpus.Passage{ID: fmt.Sprintf("o-%d", i), ReportID: other.ID, Text: text, Paragraph: i + 1,
				Period: corpus.Period{Year: 2018, Kind: corpus.PeriodActual}},
			EmbedKey: fmt.Sprintf("key-o-%d", i),
		})
		v := make([]float32, dim)
		v[1], v[dim-1-i] = 1, 0.1 // nearer p-target's vector than p-target's neighbours are
		ovecs = append(ovecs, v)
	}
	if err := st.Put(t.Context(), map[string]corpus.Report{other.ID: other}, ops, ovecs); err != nil {
		t.Fatal(err)
	}
	q := index.SharedSearch{Text: "港口码头", Vector: vecs[1], K: 2, Reports: []string{"r-2018"}}
	hits, err := st.Search(t.Context(), q)
	if err != nil || len(hits) != 2 || hits[0].Passage.ID != "p-target" {
		t.Errorf("search limited to r-2018: %v, %v; want p-target first and 2 hits", ids(hits), err)
	}
	for _, h := range hits {
		if h.Passage.ReportID != "r-2018" {
			t.Errorf("search limited to r-2018 returned %s of %s", h.Passage.ID, h.Passage.ReportID)
		}
	}
	q.Reports, q.K = []string{"r-other"}, 10
	hits, err = st.Search(t.Context(), q)
	if err != nil || !sameSet(ids(hits), "o-0", "o-1", "o-2") {
		t.Errorf("search limited to r-other: %v, %v; want its three passages", ids(hits), err)
	}
	q.Reports = []string{"r-2018", "r-other"}
	hits, err = st.Search(t.Context(), q)
	if err != nil || len(hits) != 6 {
		t.Errorf("search limited to both reports: %v, %v; want all six passages", ids(hits), err)
	}
}

func assertIDs(t *testing.T, st index.SharedStore, want ...string) {
	t.Helper()
	ps, err := st.Passages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(ps))
	for i, p := range ps {
		got[i] = p.ID
	}
	if !sameSet(got, want...) {
		t.Errorf("stored passages %v; want %v", got, want)
	}
}

func ids(hs []index.SharedHit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Passage.ID
	}
	return out
}

func sameSet(got []string, want ...string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}
