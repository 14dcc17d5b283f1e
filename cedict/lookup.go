package cedict

import (
	"cmp"
	"slices"
	"strings"
)

// Match qualities reported in [Candidate.Match], best first.
const (
	// MatchExact: a gloss is the phrase itself, ignoring parenthetical
	// notes and a leading "to", "a", "an" or "the" ("to employ (sb)" for
	// "employ").
	MatchExact = 1.0
	// MatchHead: the phrase is the head of a gloss of at most three
	// words: its last words ("domestic sewage" for "sewage"), its first
	// words when the gloss is a verb ("to grow up" for "grow") or when
	// "of", "for", "in"... follows them ("head of state" for "head").
	MatchHead = 0.6
	// MatchShort: the phrase is elsewhere in a gloss of at most three
	// words ("employment rate" for "employment").
	MatchShort = 0.4
	// MatchWord: the phrase merely appears in a longer gloss, in a
	// parenthetical note, or in an abbreviation's or classifier's gloss.
	MatchWord = 0.3
)

// shortGloss is the most words a gloss may have for MatchHead and MatchShort.
const shortGloss = 3

// Candidate is a Chinese word whose dictionary gloss contains the phrase
// looked up.
type Candidate struct {
	Simplified string  // simplified Chinese headword
	Gloss      string  // the best matching gloss, as written in the dictionary
	Match      float64 // MatchExact, MatchHead, MatchShort or MatchWord
}

// Lookup returns the Chinese headwords with a gloss that contains phrase as
// whole, consecutive words. phrase is an English word or short phrase;
// case, punctuation and a leading "to", "a", "an" or "the" are ignored, but
// it is not lemmatised (see [Lemmas]). Each headword appears once, with
// its best gloss.
//
// Candidates are ordered by Match, best first. CC-CEDICT has no word
// frequencies, so within one Match the order is a rough guess at
// usefulness: words of several characters before single characters (which
// are mostly ambiguous bound forms), then words that are part of more other
// headwords (目标 is in 目标市场, 目标价...), then words whose rarest
// character is more common, then main senses before later ones, then
// shorter and lexically. The result is nil when nothing matches.
func (d *Dict) Lookup(phrase string) []Candidate {
	p := normalizePhrase(phrase)
	if p == "" {
		return nil
	}
	// Scan the rarest word's postings. For a single word, every sense
	// there has it.
	var ids []int32
	single := !strings.Contains(p, " ")
	for w := range strings.SplitSeq(p, " ") {
		pi, ok := d.words.get(d.text, w)
		if !ok {
			return nil
		}
		if wi := d.postings[d.offsets[pi]:d.offsets[pi+1]]; ids == nil || len(wi) < len(ids) {
			ids = wi
		}
	}
	type hit struct {
		sense int32
		match float64
	}
	var hits []hit
	best := make(map[int32]int, min(len(ids), 1<<12)) // head -> index in hits
	for _, id := range ids {
		s := &d.senses[id]
		if !single && !hasWords(d.str(s.words), p) {
			continue
		}
		m := s.match(d.str(s.norm), p)
		if i, ok := best[s.head]; ok {
			if h := hits[i]; m > h.match || m == h.match && s.rank < d.senses[h.sense].rank {
				hits[i] = hit{id, m}
			}
			continue
		}
		best[s.head] = len(hits)
		hits = append(hits, hit{id, m})
	}
	if len(hits) == 0 {
		return nil
	}
	// The sort keys, gathered once.
	type ranked struct {
		hit
		single                bool
		compounds, rarestChar int32
		rank                  int16
		simplified            string
	}
	rs := make([]ranked, len(hits))
	for i, h := range hits {
		s := &d.senses[h.sense]
		hd := &d.heads[s.head]
		rs[i] = ranked{h, hd.single, hd.compounds, hd.rarestChar, s.rank, d.str(hd.simplified)}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if c := cmp.Compare(b.match, a.match); c != 0 {
			return c
		}
		if a.single != b.single {
			if b.single {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.compounds, a.compounds); c != 0 {
			return c
		}
		if c := cmp.Compare(b.rarestChar, a.rarestChar); c != 0 {
			return c
		}
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.simplified), len(b.simplified)); c != 0 {
			return c
		}
		return strings.Compare(a.simplified, b.simplified)
	})
	out := make([]Candidate, len(rs))
	for i, r := range rs {
		out[i] = Candidate{Simplified: r.simplified, Gloss: d.str(d.senses[r.sense].text), Match: r.match}
	}
	return out
}

// match rates how well the normalised phrase p, known to be among the
// sense's words, matches it; norm is the sense's normalised words.
func (s *sense) match(norm, p string) float64 {
	if s.flags&flagCapped != 0 || norm == "" {
		return MatchWord
	}
	if norm == p {
		return MatchExact
	}
	if strings.Count(norm, " ") >= shortGloss || !hasWords(norm, p) {
		return MatchWord
	}
	if isHead(norm, p, s.flags&flagVerb != 0) {
		return MatchHead
	}
	return MatchShort
}

// isHead reports whether the words p are the head of the short gloss g:
// its first words if the gloss is a verb; otherwise its last words, or its
// first words when a preposition follows them ("head of state").
func isHead(g, p string, verb bool) bool {
	if strings.HasPrefix(g, p) && len(g) > len(p) && g[len(p)] == ' ' {
		if verb {
			return true
		}
		next, _, _ := strings.Cut(g[len(p)+1:], " ")
		switch next {
		case "of", "for", "in", "on", "at", "from", "with", "to":
			return true
		}
	}
	return !verb && strings.HasSuffix(g, p) && len(g) > len(p) && g[len(g)-len(p)-1] == ' '
}

// hasWords reports whether the words p occur in the words s as whole words.
// Both are lower-case words separated by single spaces.
func hasWords(s, p string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], p)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(p)
		if (i == 0 || s[i-1] == ' ') && (end == len(s) || s[end] == ' ') {
			return true
		}
		off = i + 1
	}
}
