package lexical

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

func TestLexicalSearch(t *testing.T) {
	t.Parallel()
	docs := []string{
		"新增就业3.7万人,城镇登记失业率3.5%",
		"新增就业3.4万人",
		"建成56个美丽村庄",
		"完成造林4.02万亩",
	}
	l := newIndex(docs)
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

func TestLexicalSearchKeep(t *testing.T) {
	t.Parallel()
	docs := []string{"新增就业3.7万人", "新增就业3.4万人", "就业", "建成56个美丽村庄", "新增就业1.2万人"}
	l := newIndex(docs)
	q := []WeightedTerm{{Term: "就业", Weight: 1}}
	odd := func(d int) bool { return d%2 == 1 }
	tests := []struct {
		name string
		k    int
		keep func(int) bool
		want []int
	}{
		{"nil keeps all", 10, nil, hitDocs(l.Search(q, 10))},
		{"odd documents only", 10, odd, []int{1}},
		{"k counts kept documents", 1, func(d int) bool { return d == 4 }, []int{4}},
		{"none kept", 10, func(int) bool { return false }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.SearchKeep(q, tt.k, tt.keep)
			if !slices.Equal(hitDocs(got), tt.want) {
				t.Errorf("SearchKeep(k=%d) = %v; want %v", tt.k, hitDocs(got), tt.want)
			}
			for _, h := range got {
				if full := l.Search(q, 10); !slices.Contains(full, h) {
					t.Errorf("hit %+v has a score Search does not give", h)
				}
			}
		})
	}
}

func hitDocs(hs []Hit) []int {
	var out []int
	for _, h := range hs {
		out = append(out, h.Doc)
	}
	return out
}

func BenchmarkLexicalSearch(b *testing.B) {
	docs := make([]string, 2000)
	for i := range docs {
		docs[i] = "坚持把协同发展作为政治责任和重大机遇,新增就业3.4万人,城镇登记失业率控制在3.5%以内,建成美丽村庄"
	}
	l := newIndex(docs)
	q := []WeightedTerm{{Term: "就业", Weight: 1}, {Term: "村庄", Weight: 1}}
	for b.Loop() {
		l.Search(q, 10)
	}
}

// TestNewLexicalMatchesNaive checks the two-pass build against counting
// terms with a map per document.
func TestNewLexicalMatchesNaive(t *testing.T) {
	t.Parallel()
	docs := []string{"新增就业3.4万人,新增就业", strings.Repeat("村", 300), "", "GDP growth of 5.5%; GDP", "長い longwordsarelong 村村通"}
	for _, r := range bundled(t) {
		docs = append(docs, r.Text)
	}
	got := newIndex(docs)
	want := map[string][]posting{}
	for i, d := range docs {
		counts := map[string]int{}
		terms := AppendIndexTerms(nil, d)
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
	if terms, _ := got.sortedTerms(); len(terms) != len(want) {
		t.Fatalf("got %d terms, want %d", len(terms), len(want))
	}
	var buf bytes.Buffer
	if err := got.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	decoded, err := Decode(&buf, int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for term, ps := range want {
		if !slices.Equal(got.postings(term), ps) || !slices.Equal(decoded.postings(term), ps) {
			t.Errorf("postings of %q: got %v, decoded %v, want %v", term, got.postings(term), decoded.postings(term), ps)
		}
	}
	for _, l := range []*Index{got, decoded} {
		if ps := l.postings("not a term of the corpus"); ps != nil {
			t.Errorf("unknown term: %v", ps)
		}
	}
}

// TestLexicalRoundTrip checks that a saved lexical index reads back equal.
func TestLexicalRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		docs []string
	}{
		{"empty", nil},
		{"one", []string{"新增就业3.4万人"}},
		{"mixed", []string{"新增就业3.4万人", "GDP growth of 5.5%", "", "村村通公路,建成蓝领实训中心"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newIndex(tt.docs)
			var w bytes.Buffer
			if err := l.Encode(&w); err != nil {
				t.Fatal(err)
			}
			buf := w.Bytes()
			got, err := Decode(bytes.NewReader(buf), int64(len(buf)))
			if err != nil {
				t.Fatal(err)
			}
			if !equalIndex(got, l) || got.avgLen != l.avgLen {
				t.Errorf("read back a different index")
			}
			if len(buf) > 1 {
				if _, err := Decode(bytes.NewReader(buf[:len(buf)-1]), int64(len(buf)-1)); err == nil {
					t.Errorf("truncated lexical index read without error")
				}
			}
		})
	}
}

// equalIndex reports whether two lexical indexes hold the same data (for
// tests).
func equalIndex(a, b *Index) bool {
	ta, _ := a.sortedTerms()
	tb, _ := b.sortedTerms()
	if !slices.Equal(a.docLen, b.docLen) || !slices.Equal(ta, tb) {
		return false
	}
	for _, t := range ta {
		if !slices.Equal(a.postings(t), b.postings(t)) {
			return false
		}
	}
	return true
}

func bundled(t testing.TB) []corpus.Report {
	t.Helper()
	reports, problems, err := corpus.Default()
	if err != nil || len(problems) > 0 {
		t.Fatalf("corpus.Default: %v %v", err, problems)
	}
	return reports
}

// newIndex indexes docs; document i is reported as Doc i in hits.
func newIndex(docs []string) *Index {
	return NewFunc(len(docs), func(i int) string { return docs[i] })
}
