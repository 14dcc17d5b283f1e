package place

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finder reads the places a text names.
type Finder struct {
	cat *Catalog
	// local are the codes whose county-level short forms and English
	// names match (see Catalog); all makes every county local.
	local map[string]bool
	all   bool
}

// NewFinder returns a finder over the default catalog. The short forms and
// English names of the counties among local (codes; typically the places
// of the corpus's reports) match too; other counties match by full name
// only.
func NewFinder(local ...string) *Finder {
	f := &Finder{cat: Default(), local: map[string]bool{}}
	for _, c := range local {
		f.local[c] = true
	}
	return f
}

// lookup returns the places key names in m, plus those of the local
// counties it names in county.
func (f *Finder) lookup(m, county map[string][]*Place, key string) []*Place {
	ps := m[key]
	for _, p := range county[key] {
		if f.all || f.local[p.Code] {
			ps = append(slices.Clip(ps), p)
		}
	}
	return ps
}

// Catalog returns the finder's catalog.
func (f *Finder) Catalog() *Catalog { return f.cat }

// notAfterName are the characters that, right after a name ending in
// 市, 区 or 县, make that ending part of an ordinary word (吉林市场 is the
// Jilin market, not 吉林市): the name then matches without its ending.
var notAfterName = map[rune]string{'场': "市", '值': "市", '域': "区县", '间': "区", '城': "县"}

// Find returns the places text names, in order of first mention, each
// once. Chinese names match as the longest full name or short form at each
// position, left to right, so that 江西 inside 江西省 or 上海 inside
// 上海南站 is one mention (and 海南 is not read there); English names match
// whole words, case-insensitively. One-character short forms never match.
// A short form shared by places of several levels names the highest
// (吉林 is the province; 吉林市 names the city).
func (f *Finder) Find(text string) []Place {
	var out []Place
	seen := map[string]bool{}
	add := func(ps []*Place) {
		for _, p := range ps {
			if !seen[p.Code] {
				seen[p.Code] = true
				out = append(out, *p)
			}
		}
	}
	f.findZH(text, add)
	f.findEN(text, add)
	return out
}

func (f *Finder) findZH(text string, add func([]*Place)) {
	rs := []rune(text)
	for i := 0; i < len(rs); {
		n, ps := f.matchZH(rs, i)
		if n == 0 {
			i++
			continue
		}
		add(ps)
		i += n
	}
}

// matchZH reads a name's first two runes to find the lengths to try
// (Catalog.zhLens), so names must be at least two runes long: this fails to
// compile otherwise.
const _ = uint(minShortRunes - 2)

// matchZH returns the length and places of the longest name at rs[i:].
func (f *Finder) matchZH(rs []rune, i int) (int, []*Place) {
	if len(rs)-i < 2 {
		return 0, nil
	}
	lens := f.cat.zhLens[[2]rune{rs[i], rs[i+1]}]
	if lens == 0 {
		return 0, nil // no name begins here
	}
	for n := min(f.cat.maxZH, len(rs)-i); n >= minShortRunes; n-- {
		if lens&(1<<min(n, 63)) == 0 {
			continue // no name of n runes begins here
		}
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

func (f *Finder) findEN(text string, add func([]*Place)) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return r >= utf8.RuneSelf || !(unicode.IsLetter(r) || r == '\'' || r == '’')
	})
	for i := range words {
		words[i] = strings.TrimSuffix(strings.TrimSuffix(strings.ReplaceAll(words[i], "’", "'"), "'s"), "'")
		words[i] = strings.TrimPrefix(words[i], "'")
	}
	for i := 0; i < len(words); {
		matched := 0
		for n := min(f.cat.maxEN, len(words)-i); n >= 1; n-- {
			if ps := f.lookup(f.cat.en, f.cat.enCounty, strings.Join(words[i:i+n], " ")); len(ps) > 0 {
				add(ps)
				matched = n
				break
			}
		}
		i += max(matched, 1)
	}
}

// OfReport returns a report's place read from its title, else from its
// publisher: the most local place named there (天津市武清区 is 武清区), or
// China for the State Council's report (国务院, 全国人民代表大会). ok is
// false when neither names a place of China.
func (f *Finder) OfReport(title, publisher string) (Place, bool) {
	all := &Finder{cat: f.cat, all: true} // titles name places, not topics: every county's short forms match
	for _, s := range []string{title, publisher} {
		var best *Place
		for _, p := range all.Find(s) {
			if p.Level == Foreign {
				continue
			}
			if best == nil || p.Level.rank() > best.Level.rank() {
				best = &p
			}
		}
		if best != nil {
			return *best, true
		}
	}
	return Place{}, false
}

// Codes returns the codes of ps.
func Codes(ps []Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

// Names returns every Chinese name and short form of ps, longest first.
func Names(ps []Place) []string {
	var out []string
	for _, p := range ps {
		out = appendNew(out, p.Name)
		out = appendNew(out, p.Short...)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
