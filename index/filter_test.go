package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/index/chromemstore"
	"github.com/reportbot/reportbot/lexical"
)

// filterQuestions are the queries of the filter tests.
var filterQuestions = []string{"2018年新增就业目标是多少?", "How many kindergartens?", "农村 道路", "区长"}

// TestFilteredSearch checks that a filtered search ranks only the kept
// reports' passages and returns the best k of them (the unfiltered
// ranking of every passage, restricted to those reports), for both local
// vector searches and the lexical search, and that Search's hits all come
// from the kept reports; for an index just built and one opened from its
// file.
func TestFilteredSearch(t *testing.T) {
	t.Parallel()
	built := testIndex(t)
	dir := t.TempDir()
	if err := built.Save(dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		vs   VectorSearch
	}{{"built/chromem", VectorSearchChromem}, {"built/int8", VectorSearchInt8}, {"opened/chromem", VectorSearchChromem}, {"opened/int8", VectorSearchInt8}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var ix *Index
			if strings.HasPrefix(tc.name, "opened") {
				var err error
				if ix, err = Open(dir, built.emb); err != nil {
					t.Fatal(err)
				}
			} else {
				ix = testIndex(t)
			}
			ix.SetVectorSearch(tc.vs)
			var ids []string
			for r := range ix.AllReports() {
				ids = append(ids, r.ID)
			}
			slices.Sort(ids)
			if len(ids) < 2 {
				t.Fatalf("bundled corpus has %d reports; the test needs 2", len(ids))
			}
			ps := passagesOf(t, ix)
			for _, f := range []Filter{{Reports: ids[:1]}, {Reports: ids[1:]}, {Reports: ids}, {Reports: []string{"no-such-report"}}} {
				kept := func(id string) bool { return slices.Contains(f.Reports, ps[must(ix.rowOf(id))].ReportID) }
				for _, q := range filterQuestions {
					checkFilteredVectors(t, ix, q, f, kept)
					checkFilteredLexical(t, ix, q, f, kept)
					hits, err := ix.Search(t.Context(), q, queryTerms(q), f)
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range hits {
						if !slices.Contains(f.Reports, h.Passage.ReportID) {
							t.Errorf("%v %q: hit of report %s", f.Reports, q, h.Passage.ReportID)
						}
					}
					if f.Reports[0] != "no-such-report" && len(hits) == 0 {
						t.Errorf("%v %q: no hits", f.Reports, q)
					}
				}
			}
		})
	}
}

func checkFilteredVectors(t *testing.T, ix *Index, q string, f Filter, kept func(id string) bool) {
	t.Helper()
	vecs, err := ix.emb.Embed(t.Context(), []string{q})
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.QueryVectors(t.Context(), vecs[0], ix.Len())
	if err != nil {
		t.Fatal(err)
	}
	all = slices.DeleteFunc(all, func(h chromemstore.Hit) bool { return !kept(h.ID) })
	for _, k := range []int{3, CandidatesPerRanker} {
		got, err := ix.queryVectors(t.Context(), vecs[0], k, f, ix.keepRows(f))
		if err != nil {
			t.Fatal(err)
		}
		if want := all[:min(k, len(all))]; !sameVectorHits(got, want) {
			t.Errorf("%s %v %q k=%d: vector hits %v; want %v", ix.VectorBackend(), f.Reports, q, k, got, want)
		}
	}
}

// sameVectorHits reports whether got and want have the same similarities
// and the same IDs above the last similarity: which of several passages
// tied at the cut chromem-go keeps is its own choice.
func sameVectorHits(got, want []chromemstore.Hit) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Similarity != want[i].Similarity ||
			got[i].Similarity > want[len(want)-1].Similarity && got[i].ID != want[i].ID {
			return false
		}
	}
	return true
}

func checkFilteredLexical(t *testing.T, ix *Index, q string, f Filter, kept func(id string) bool) {
	t.Helper()
	all := slices.DeleteFunc(ix.lex.Search(queryTerms(q), ix.Len()), func(h lexical.Hit) bool { return !kept(passagesOf(t, ix)[h.Doc].ID) })
	got := ix.lex.SearchKeep(queryTerms(q), CandidatesPerRanker, ix.keepRows(f))
	if want := all[:min(CandidatesPerRanker, len(all))]; !slices.Equal(got, want) {
		t.Errorf("%v %q: lexical hits %v; want %v", f.Reports, q, got, want)
	}
}

// TestUnfilteredSearchKeepsEverything checks that the zero Filter has no
// row predicate, so a search without a filter costs what it did.
func TestUnfilteredSearchKeepsEverything(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	if ix.keepRows(Filter{}) != nil {
		t.Error("keepRows(Filter{}) is not nil")
	}
}

// must returns a row that must exist.
func must(row int, ok bool) int {
	if !ok {
		panic("no such passage")
	}
	return row
}
