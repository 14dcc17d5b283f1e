package rag

import (
	"slices"
	"strings"
	"testing"
)

func TestLexicalSearch(t *testing.T) {
	docs := []string{
		"新增就业3.7万人,城镇登记失业率3.5%",
		"新增就业3.4万人",
		"建成56个美丽村庄",
		"完成造林4.02万亩",
	}
	l := NewLexical(docs)
	tests := []struct {
		query   string
		wantTop int
	}{
		{"美丽村庄", 2},
		{"造林", 3},
		{"就业 3.4", 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var q []WeightedTerm
			for _, term := range Terms(tt.query) {
				q = append(q, WeightedTerm{Term: term, Weight: 1})
			}
			hits := l.Search(q, 10)
			if len(hits) == 0 || hits[0].Doc != tt.wantTop {
				t.Errorf("Search(%q) = %+v, want doc %d first", tt.query, hits, tt.wantTop)
			}
		})
	}
	if got := l.Search([]WeightedTerm{{Term: "不存在", Weight: 1}}, 5); len(got) != 0 {
		t.Errorf("unknown term: got %v hits, want none", got)
	}
	if l.IDF("就业") >= l.IDF("造林") {
		t.Errorf("IDF(就业)=%v should be below IDF(造林)=%v (就业 is in two docs)", l.IDF("就业"), l.IDF("造林"))
	}
	// single Han characters of longer words are indexed too
	if l.DocFreq("村") != 1 {
		t.Errorf("DocFreq(村) = %d, want 1", l.DocFreq("村"))
	}
}

func BenchmarkLexicalSearch(b *testing.B) {
	docs := make([]string, 2000)
	for i := range docs {
		docs[i] = "坚持把协同发展作为政治责任和重大机遇,新增就业3.4万人,城镇登记失业率控制在3.5%以内,建成美丽村庄"
	}
	l := NewLexical(docs)
	q := []WeightedTerm{{Term: "就业", Weight: 1}, {Term: "村庄", Weight: 1}}
	for b.Loop() {
		l.Search(q, 10)
	}
}

// TestNewLexicalMatchesNaive checks the two-pass build against counting
// terms with a map per document.
func TestNewLexicalMatchesNaive(t *testing.T) {
	docs := []string{"新增就业3.4万人,新增就业", strings.Repeat("村", 300), "", "GDP growth of 5.5%; GDP", "長い longwordsarelong 村村通"}
	for _, r := range bundled(t) {
		docs = append(docs, r.Text)
	}
	got := NewLexical(docs)
	want := map[string][]posting{}
	for i, d := range docs {
		counts := map[string]int{}
		terms := appendIndexTerms(nil, d)
		for _, term := range terms {
			counts[term]++
		}
		for term, c := range counts {
			want[term] = append(want[term], posting(uint32(i)<<8|uint32(min(c, 255))))
		}
		if got.docLen[i] != float32(len(terms)) {
			t.Errorf("doc %d: got length %v, want %d", i, got.docLen[i], len(terms))
		}
	}
	if len(got.postings) != len(want) {
		t.Fatalf("got %d terms, want %d", len(got.postings), len(want))
	}
	for term, ps := range want {
		if !slices.Equal(got.postings[term], ps) {
			t.Errorf("postings of %q: got %v, want %v", term, got.postings[term], ps)
		}
	}
}
