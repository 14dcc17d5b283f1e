package embed

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/lexical"
)

// referenceVector is the offline embedder as it was written before its
// term table: counts in a map keyed by term, hash/fnv, a []rune per term.
// It sums the terms into the vector in the order they first occur, as
// Embed does (the map's order made the last bit of a component vary from
// run to run where three or more terms share it).
func referenceVector(dim int, text string) []float32 {
	counts := map[string]float64{}
	var order []string
	add := func(term string, w float64) {
		if _, ok := counts[term]; !ok {
			order = append(order, term)
		}
		counts[term] += w
	}
	for _, term := range lexical.Terms(text) {
		w := 1.0
		first, _ := utf8.DecodeRuneInString(term)
		if utf8.RuneCountInString(term) == 1 && hanzi.IsHanScript(first) {
			w = 0.5
		}
		add(term, w)
		if r := []rune(term); len(r) == 2 && hanzi.IsHanScript(r[0]) {
			add(string(r[0]), 0.25)
		}
	}
	v := make([]float32, dim)
	for _, term := range order {
		f := fnv.New64a()
		f.Write([]byte(term))
		x := f.Sum64()
		c := counts[term]
		w := float32(1 + math.Log(c))
		if c < 1 {
			w = float32(c)
		}
		if x>>63 == 1 {
			w = -w
		}
		v[x&uint64(dim-1)] += w
	}
	if !Normalize(v) {
		v[0] = 1
	}
	return v
}

// manyTerms is a text of n distinct words, to grow the term table.
func manyTerms(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "w%d 第%d条 ", i, i)
	}
	return b.String()
}

func TestHashMatchesReference(t *testing.T) {
	t.Parallel()
	texts := []string{
		"",
		"。，、；",
		"新增就业3.4万人",
		"政府工作报告 (2018) › 二、2018年主要任务\n城镇新增就业1100万人以上，城镇调查失业率5.5%以内",
		"村",
		"GDP grew 6.9%, Employment 13.51 million; GDP GDP gdp 1,000,000",
		"Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ and Ελληνικά and русский",
		"𠀀𠀁 rare Han 𠀀 and 就业就业就业",
		"bad \xff\xfe bytes 就\xff业",
		manyTerms(3000),
		strings.Repeat("就业 GDP ", 100), // counts beyond the table of weights
	}
	for _, r := range must(corpus.Default()) {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			texts = append(texts, p.Text)
		}
	}
	for _, dim := range []int{64, 512} {
		h, err := NewHash(dim)
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.Embed(t.Context(), texts)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range texts {
			if want := referenceVector(dim, text); !slices.Equal(got[i], want) {
				t.Errorf("dim %d, text %d (%.40q): vector differs from the reference", dim, i, text)
			}
			if len(got[i]) != dim || cap(got[i]) != dim {
				t.Errorf("dim %d, text %d: len %d cap %d, want %d", dim, i, len(got[i]), cap(got[i]), dim)
			}
		}
	}
}

func TestTermCountsKeepsTermsApart(t *testing.T) {
	t.Parallel()
	var c termCounts
	for round := range 3 { // reused: reset clears what the last text left
		c.reset(0)
		words := strings.Fields(manyTerms(2000))
		for _, w := range words {
			c.add(w, 1)
		}
		c.add(words[0], 0.5)
		if len(c.entries) != len(words) {
			t.Fatalf("round %d: %d entries, want %d", round, len(c.entries), len(words))
		}
		for i, e := range c.entries {
			want := 1.0
			if i == 0 {
				want = 1.5
			}
			if e.term != words[i] || e.count != want {
				t.Fatalf("round %d: entry %d = %q %v, want %q %v", round, i, e.term, e.count, words[i], want)
			}
		}
	}
}

func must[T any](v T, _ []corpus.Problem, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// BenchmarkHashEmbed embeds the bundled reports' passages in batches of 64,
// as indexing does.
func BenchmarkHashEmbed(b *testing.B) {
	var texts []string
	for _, r := range must(corpus.Default()) {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			texts = append(texts, r.Title+"\n"+p.Text)
		}
	}
	h, err := NewHash(DefaultHashDim)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for lo := 0; lo < len(texts); lo += 64 {
			if _, err := h.Embed(b.Context(), texts[lo:min(lo+64, len(texts))]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/passage")
}

func TestEmbedInto(t *testing.T) {
	t.Parallel()
	h, err := NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"新增就业3.4万人", "GDP grew 6.9%", ""}
	want, err := h.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, len(texts)*64+5)
	for i := range dst {
		dst[i] = 7 // left over from an earlier batch
	}
	for round := range 2 {
		got, err := h.EmbedInto(t.Context(), texts, dst)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("round %d: EmbedInto differs from Embed", round)
		}
	}
	if _, err := h.EmbedInto(t.Context(), texts, dst[:64]); err == nil {
		t.Error("EmbedInto into too small a buffer: no error")
	}
}
