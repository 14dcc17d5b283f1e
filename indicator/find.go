package indicator

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Vocabulary is the loaded table; safe for concurrent use.
type Vocabulary struct {
	list []Indicator
	byID map[string]int

	// zhFirst maps a BMP rune (ASCII lower-cased) to 1 + the index in
	// zhGroups of the Chinese forms starting with it, 0 for none.
	zhFirst  []uint16
	zhGroups [][]form
	// en is the root of the trie of English forms, word by folded word.
	en *enNode
}

// form is one Chinese or English form of the table.
type form struct {
	text    string // as in the table (lower case)
	ind     int    // index in list, -1 for a non-indicator phrase
	implies string
	// ASCII ends of a Chinese form must not touch ASCII letters or digits.
	asciiStart, asciiEnd bool
	// letters: the Chinese form has ASCII letters, compared without case.
	letters bool
	// second is the second rune of a Chinese form.
	second rune
}

// enNode is a node of the English trie: the forms ending here, and the
// next words.
type enNode struct {
	term *form
	next map[string]*enNode
}

func newVocabulary() *Vocabulary {
	return &Vocabulary{byID: map[string]int{}, zhFirst: make([]uint16, 0x10000), en: &enNode{}}
}

// addZH adds a Chinese form; text is lower case, of two runes or more, its
// first rune in the BMP.
func (v *Vocabulary) addZH(text string, ind int, implies string) {
	r, n := utf8.DecodeRuneInString(text)
	r2, _ := utf8.DecodeRuneInString(text[n:])
	f := form{text: text, ind: ind, implies: implies, second: r2,
		asciiStart: isWordByte(text[0]), asciiEnd: isWordByte(text[len(text)-1]), letters: hasASCIILetter(text)}
	g := v.zhFirst[r]
	if g == 0 {
		v.zhGroups = append(v.zhGroups, nil)
		g = uint16(len(v.zhGroups))
		v.zhFirst[r] = g
	}
	grp := append(v.zhGroups[g-1], f)
	slices.SortStableFunc(grp, func(a, b form) int { return cmp.Compare(len(b.text), len(a.text)) })
	v.zhGroups[g-1] = grp
}

// addEN adds an English form.
func (v *Vocabulary) addEN(text string, ind int, implies string) {
	n := v.en
	for _, w := range strings.Fields(foldForm(text)) {
		if n.next == nil {
			n.next = map[string]*enNode{}
		}
		c := n.next[w]
		if c == nil {
			c = &enNode{}
			n.next[w] = c
		}
		n = c
	}
	n.term = &form{text: text, ind: ind, implies: implies}
}

// candidate is a form found in the text, before overlaps are resolved.
type candidate struct {
	start, end int
	f          *form
}

// Find returns every indicator the text names, in text order: Chinese forms
// as substrings (ASCII letters compared without case), English names as
// whole words, case-insensitively, with plurals and possessives tolerated
// and a space, hyphen or line break between words. Where forms overlap the
// longest wins, then the leftmost; phrases listed as non-indicators
// (中国国际进口博览会) take part and are then dropped. The text should be
// simplified Chinese with ASCII digits and letters (width-folded).
//
// Match.Alias is the vocabulary's form; for English it equals the matched
// text up to case, spacing, hyphens and plural endings.
func (v *Vocabulary) Find(text string) []Match {
	var cands []candidate
	cands = v.findZH(text, cands)
	cands = v.findEN(text, cands)
	if len(cands) == 0 {
		return nil
	}
	chosen := choose(cands)
	out := make([]Match, 0, len(chosen))
	for _, c := range chosen {
		if c.f.ind < 0 {
			continue
		}
		out = append(out, Match{ID: v.list[c.f.ind].ID, Start: c.start, End: c.end, Alias: c.f.text, Implies: c.f.implies})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// choose keeps the longest candidates, then the leftmost, that overlap no
// candidate kept before them, and returns them in text order.
func choose(cands []candidate) []candidate {
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	overlap := false
	for i := 1; i < len(cands); i++ {
		if cands[i].start < cands[i-1].end || cands[i].start == cands[i-1].start {
			overlap = true
			break
		}
	}
	if !overlap {
		return cands
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.end-b.start, a.end-a.start), cmp.Compare(a.start, b.start))
	})
	var kept []candidate // sorted by start
	for _, c := range cands {
		i, _ := slices.BinarySearchFunc(kept, c.start, func(k candidate, s int) int { return cmp.Compare(k.start, s) })
		if i > 0 && kept[i-1].end > c.start || i < len(kept) && kept[i].start < c.end {
			continue
		}
		kept = slices.Insert(kept, i, c)
	}
	return kept
}

// findZH appends the Chinese forms found in text. Every Chinese form has
// at least two runes: a position is tried only if the form's first rune
// starts there, and a form's bytes are compared only if its second rune
// follows.
func (v *Vocabulary) findZH(text string, cands []candidate) []candidate {
	for i := 0; i < len(text); {
		r, size := decodeRune(text, i)
		if r < 0x10000 && i+size < len(text) {
			if g := v.zhFirst[lowerASCII(r)]; g != 0 {
				r2, _ := decodeRune(text, i+size)
				r2 = lowerASCII(r2)
				for k := range v.zhGroups[g-1] {
					f := &v.zhGroups[g-1][k]
					if f.second != r2 {
						continue
					}
					end := i + len(f.text)
					if end > len(text) || f.letters && !equalFoldASCII(text[i:end], f.text) || !f.letters && text[i:end] != f.text {
						continue
					}
					if f.asciiStart && i > 0 && isWordByte(text[i-1]) || f.asciiEnd && end < len(text) && isWordByte(text[end]) {
						continue
					}
					cands = append(cands, candidate{i, end, f})
				}
			}
		}
		i += size
	}
	return cands
}

// decodeRune decodes the rune at s[i], with a fast path for the
// three-byte sequences of Chinese text.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xE1 && c <= 0xEC && i+2 < len(s) { // U+1000–U+CFFF: no overlong or surrogate forms
		c1, c2 := s[i+1], s[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// lowerASCII lower-cases an ASCII capital letter.
func lowerASCII(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// equalFoldASCII reports whether s equals the lower-case form f when
// ASCII letters of s are lower-cased.
func equalFoldASCII(s, f string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != f[i] {
			return false
		}
	}
	return true
}
