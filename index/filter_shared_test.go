package index_test

import (
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/sharedtest"
	"github.com/reportbot/reportbot/lexical"
)

// TestSharedSearchFilter checks that a shared index hands its filter to
// the store: a filtered search returns only the kept report's passages.
func TestSharedSearchFilter(t *testing.T) {
	t.Parallel()
	reports, problems, err := corpus.Default()
	if err != nil || len(problems) > 0 {
		t.Fatalf("corpus.Default: %v %v", err, problems)
	}
	emb, err := embed.NewHash(embed.DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	ix := index.NewSharedIndex(sharedtest.NewMem(), emb)
	if _, err := ix.Sync(t.Context(), reports, index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	const q = "2018年新增就业目标是多少?"
	var terms []lexical.WeightedTerm
	for _, term := range lexical.Terms(q) {
		terms = append(terms, lexical.WeightedTerm{Term: term, Weight: 1})
	}
	reportsOf := func(f index.Filter) []string {
		t.Helper()
		hits, err := ix.Search(t.Context(), q, terms, f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.Passage.ReportID)
		}
		slices.Sort(ids)
		return slices.Compact(ids)
	}
	all := reportsOf(index.Filter{})
	if len(all) < 2 {
		t.Fatalf("unfiltered search found passages of %v; the test needs two reports", all)
	}
	for _, id := range all {
		if got := reportsOf(index.Filter{Reports: []string{id}}); !slices.Equal(got, []string{id}) {
			t.Errorf("search limited to %s found passages of %v", id, got)
		}
	}
}
