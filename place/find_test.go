package place

import (
	"slices"
	"strings"
	"testing"
)

// BenchmarkFindZH times Find over an 800-character report paragraph
// naming two places.
func BenchmarkFindZH(b *testing.B) {
	f := NewFinder()
	text := strings.Repeat("2016年单位生产总值能耗下降3.2%，全市完成固定资产投资增长8%，", 20) + "江西省南昌市"
	for b.Loop() {
		f.Find(text)
	}
}

// matchZHEvery is matchZH trying every length at every position (no
// zhLens), the reference for TestMatchZHSkipsOnlyImpossible.
func (f *Finder) matchZHEvery(rs []rune, i int) (int, []*Place) {
	for n := min(f.cat.maxZH, len(rs)-i); n >= minShortRunes; n-- {
		ps := f.lookup(f.cat.zh, f.cat.zhCounty, string(rs[i:i+n]))
		if len(ps) == 0 {
			continue
		}
		if i+n < len(rs) && strings.ContainsRune(notAfterName[rs[i+n]], rs[i+n-1]) {
			continue
		}
		return n, ps
	}
	return 0, nil
}

// sameMatches checks matchZH against matchZHEvery at every position of s.
func sameMatches(t *testing.T, f *Finder, s string) {
	t.Helper()
	rs := []rune(s)
	for i := range rs {
		n, ps := f.matchZH(rs, i)
		wn, wps := f.matchZHEvery(rs, i)
		if n != wn || !slices.Equal(ps, wps) {
			t.Fatalf("%q at rune %d: matched %d runes %v, want %d %v", s, i, n, Codes(deref(ps)), wn, Codes(deref(wps)))
		}
	}
}

func deref(ps []*Place) []Place {
	out := make([]Place, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// TestMatchZHSkipsOnlyImpossible checks that the lengths zhLens rules out
// are only those no name has: every name and short form of the catalog,
// inside and around text, and a run of report text, match as with every
// length tried.
func TestMatchZHSkipsOnlyImpossible(t *testing.T) {
	t.Parallel()
	for _, f := range []*Finder{NewFinder(), NewFinder("120114", "360100"), {cat: Default(), all: true}} {
		var b strings.Builder
		for _, p := range f.cat.byCode {
			for _, n := range append([]string{p.Name}, p.Short...) {
				b.WriteString(n)
				b.WriteString("市场")
			}
		}
		sameMatches(t, f, b.String())
		sameMatches(t, f, "2016年单位生产总值能耗下降3.2%，天津市武清区新增就业3.4万人，吉林市场和海南岛，上海南站")
	}
}

// FuzzMatchZH checks matchZH against trying every length.
func FuzzMatchZH(f *testing.F) {
	for _, s := range []string{"江西今年GDP", "吉林市场", "上海南站", "", "\xff江", "武清区城区"} {
		f.Add(s)
	}
	fd := NewFinder("120114")
	f.Fuzz(func(t *testing.T, s string) { sameMatches(t, fd, s) })
}
