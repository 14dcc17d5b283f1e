package cedict

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Dict is a parsed CC-CEDICT dictionary with an index from English gloss
// words to senses. A Dict is immutable once built and safe for concurrent
// use.
type Dict struct {
	text     string     // headwords, glosses and their words; spans point here
	heads    []headword // distinct simplified headwords with Han characters
	senses   []sense    // indexed glosses
	words    table      // gloss word -> word id
	offsets  []int32    // word id -> start of its postings; one more at the end
	postings []int32    // sense ids, ascending for each word
	stats    Stats
}

// span is a substring of Dict.text.
type span struct{ off, end int32 }

func (d *Dict) str(s span) string { return d.text[s.off:s.end] }

// headword is a distinct simplified headword.
type headword struct {
	simplified span
	// compounds and rarestChar roughly measure how common the word is;
	// see parser.countCompounds.
	compounds  int32
	rarestChar int32
	single     bool // one character
}

// sense is one gloss of one entry, prepared for matching.
type sense struct {
	text  span  // the gloss as written in the dictionary
	words span  // every word of the gloss, lower-case, separated by one space
	norm  span  // words without parenthetical notes and leading "to"/"a"/"the"
	head  int32 // index into Dict.heads
	rank  int16 // position among the entry's indexed glosses, from 0
	flags uint8
}

const (
	flagVerb   uint8 = 1 << iota // the gloss began with "to ": its head is its first word
	flagCapped                   // abbreviation or classifier: never more than MatchWord
)

// Stats describes what [Parse] read.
type Stats struct {
	Entries int // well-formed entry lines
	Skipped int // malformed lines, not counting comments and blank lines
	Senses  int // glosses indexed for lookup, a gloss split at semicolons counting once per part
	Words   int // distinct words in the index
}

// Stats reports the number of entries parsed, lines skipped and what was
// indexed.
func (d *Dict) Stats() Stats { return d.stats }

// maxText bounds the text a Dict holds, so that spans fit in int32. A
// variable for tests.
var maxText = 1<<31 - 1

// errTooBig is returned for input whose index would not fit the spans.
var errTooBig = errors.New("cc-cedict input too large")

// Parse reads a dictionary in the CC-CEDICT text format, one entry per line:
//
//	Traditional Simplified [pin1 yin1] /gloss 1/gloss 2/
//
// Lines starting with '#' and blank lines are ignored; malformed lines
// (including invalid UTF-8) are skipped and counted in [Stats.Skipped].
// Both LF and CRLF line ends are accepted. Parse fails only on a read error
// or when the dictionary's text would exceed 2 GB.
//
// A gloss holding several translations separated by semicolons outside
// parentheses ("to believe; to think") is indexed as one sense per
// translation. Entries whose simplified headword has no Han character
// (Latin letters, digits, symbols) are counted but not indexed, and neither
// are glosses that only point elsewhere or annotate: "variant of ...",
// "surname Wang", "see ...", "CL:...", "also written ...", "Taiwan pr.
// [...]", "abbr. for 北京[Bei3 jing1]" and the like.
func Parse(r io.Reader) (*Dict, error) {
	p := newParser()
	br := bufio.NewReaderSize(r, 64<<10)
	first := true
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			p.long = append(p.long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				p.long = append(p.long, line...)
			}
			line = p.long
		}
		if first {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
			first = false
		}
		// A line adds at most its text, its words (lower case can be
		// longer) and its normalised words to the arena.
		if len(p.arena)+5*len(line)+64 > maxText {
			return nil, errTooBig
		}
		if len(line) > 0 {
			p.line(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read cc-cedict: %w", err)
		}
	}
	return p.finish(), nil
}

// parser holds the state of one [Parse] call.
type parser struct {
	d       *Dict
	arena   []byte // becomes Dict.text
	headIDs table  // simplified -> index into d.heads
	// occWord and occSense list each (word id, sense id) occurrence.
	occWord, occSense []int32
	toks, ntoks       []token // scratch
	// recent caches the ids of short words for big inputs: the common
	// ones are looked up thousands of times, and this array stays in the
	// CPU cache where the table does not.
	recent []recentWord
	long   []byte // scratch for lines longer than the read buffer
	hint   int    // the number of entries the header announced
}

func newParser() *parser {
	const n = growAt
	return &parser{
		d: &Dict{
			heads:  make([]headword, 0, n),
			senses: make([]sense, 0, n*2),
			words:  newTable(n),
		},
		headIDs:  newTable(n),
		arena:    make([]byte, 0, n*100),
		occWord:  make([]int32, 0, n*6),
		occSense: make([]int32, 0, n*6),
	}
}

// recentWord is a slot of parser.recent.
type recentWord struct {
	key uint64 // the word's bytes, little-endian; 0 for an empty slot
	id  int32
}

// recentBits is log2 of the number of slots of parser.recent.
const recentBits = 15

// growAt is the number of entries the parser starts with room for. When
// the input gets there, the parser calls grow.
const growAt = 1 << 8

// grow prepares for a big input: it turns on the recent cache, and makes
// room for size entries (the number the header announced) at once, with
// ratios measured on the real dictionary: growing step by step takes a
// fifth longer.
func (p *parser) grow(size int) {
	p.recent = make([]recentWord, 1<<recentBits)
	if size <= growAt {
		return
	}
	d := p.d
	d.heads = slices.Grow(d.heads, max(size-len(d.heads), 0))
	d.senses = slices.Grow(d.senses, max(2*size-len(d.senses), 0))
	p.arena = slices.Grow(p.arena, max(100*size-len(p.arena), 0))
	p.occWord = slices.Grow(p.occWord, max(6*size-len(p.occWord), 0))
	p.occSense = slices.Grow(p.occSense, max(6*size-len(p.occSense), 0))
	d.words = d.words.resized(p.arena, size/2)
	p.headIDs = p.headIDs.resized(p.arena, size)
}

// line parses one line of the file.
func (p *parser) line(line []byte) {
	line = bytes.TrimRight(line, " \t\r\n")
	if len(line) == 0 {
		return
	}
	if line[0] == '#' {
		p.header(line)
		return
	}
	_, simp, glosses, ok := splitEntry(line)
	if !ok {
		p.d.stats.Skipped++
		return
	}
	p.d.stats.Entries++
	if p.d.stats.Entries == growAt {
		p.grow(p.hint)
	}
	if !hasHan(simp) {
		return
	}
	head := int32(-1)
	rank := int16(0)
	for g := range bytes.SplitSeq(glosses, []byte("/")) {
		indexed := false
		for part := range splitTopLevel(g) {
			s, ok := p.sense(part)
			if !ok {
				continue
			}
			if head < 0 {
				head = p.headID(simp)
			}
			s.head, s.rank = head, rank
			p.add(s)
			indexed = true
		}
		if indexed && rank < 1<<14 {
			rank++
		}
	}
}

// header notes the entry count from the header line "#! entries=N" of a
// release, before any entry.
func (p *parser) header(line []byte) {
	n, ok := bytes.CutPrefix(line, []byte("#! entries="))
	if !ok || p.d.stats.Entries > 0 {
		return
	}
	if size, err := strconv.Atoi(string(n)); err == nil {
		p.hint = min(max(size, 0), 1<<18)
	}
}

// add appends s, just returned by p.sense, to the senses and records the
// occurrences of its words, p.toks.
func (p *parser) add(s sense) {
	d := p.d
	id := int32(len(d.senses))
	d.senses = append(d.senses, s)
	for _, t := range p.toks {
		wid := p.wordID(t)
		if repeated(p.occWord[len(p.occWord)-min(len(p.occWord), 32):], p.occSense, id, wid) {
			continue
		}
		p.occWord = append(p.occWord, wid)
		p.occSense = append(p.occSense, id)
	}
}

// wordID returns the id of the word of token t, adding it if new.
func (p *parser) wordID(t token) int32 {
	w := p.arena[t.off:t.end]
	if len(w) > 8 || p.recent == nil {
		return p.d.words.put(p.arena, span{t.off, t.end})
	}
	var key uint64
	for i, c := range w {
		key |= uint64(c) << (8 * i)
	}
	slot := &p.recent[(key*0x9E3779B97F4A7C15)>>(64-recentBits)]
	if slot.key == key {
		return slot.id
	}
	id := p.d.words.put(p.arena, span{t.off, t.end})
	slot.key, slot.id = key, id
	return id
}

// repeated reports whether word wid was already recorded for sense id among
// the last occurrences, tail. add passes the last 32 only, so a word that
// comes back after 32 others is recorded twice, which Lookup tolerates.
func repeated(tail, occSense []int32, id, wid int32) bool {
	base := len(occSense) - len(tail)
	for k := len(tail) - 1; k >= 0; k-- {
		if occSense[base+k] != id {
			return false
		}
		if tail[k] == wid {
			return true
		}
	}
	return false
}

// finish builds the postings and the commonness measures and returns the
// Dict.
func (p *parser) finish() *Dict {
	d := p.d
	d.offsets = make([]int32, d.words.len()+1)
	for _, w := range p.occWord {
		d.offsets[w+1]++
	}
	for i := 1; i < len(d.offsets); i++ {
		d.offsets[i] += d.offsets[i-1]
	}
	d.postings = make([]int32, len(p.occWord))
	next := make([]int32, d.words.len())
	copy(next, d.offsets)
	for i, w := range p.occWord {
		d.postings[next[w]] = p.occSense[i]
		next[w]++
	}
	p.countCompounds()
	d.text = string(p.arena)
	d.stats.Senses = len(d.senses)
	d.stats.Words = d.words.len()
	return d
}

// splitTopLevel yields the parts of gloss g separated by semicolons outside
// parentheses, or g itself.
func splitTopLevel(g []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		if bytes.IndexByte(g, ';') < 0 {
			yield(g)
			return
		}
		depth, start := 0, 0
		for i, c := range g {
			switch c {
			case '(':
				depth++
			case ')':
				depth = max(depth-1, 0)
			case ';':
				if depth == 0 {
					if !yield(g[start:i]) {
						return
					}
					start = i + 1
				}
			}
		}
		yield(g[start:])
	}
}

// headID returns the index of simp in d.heads, adding it if new.
func (p *parser) headID(simp []byte) int32 {
	off := len(p.arena)
	p.arena = append(p.arena, simp...)
	s := span{int32(off), int32(len(p.arena))}
	id := p.headIDs.put(p.arena, s)
	if int(id) < len(p.d.heads) {
		p.arena = p.arena[:off] // seen before
	} else {
		p.d.heads = append(p.d.heads, headword{simplified: s})
	}
	return id
}

// countCompounds sets the commonness measures of the headwords. A
// single-character headword's compounds is the number of other headwords
// with that character; a longer headword's is the number of headwords that
// contain it (as one of their substrings of two to four characters).
// rarestChar is the smallest such count among the headword's characters.
func (p *parser) countCompounds() {
	heads := p.d.heads
	lo, hi := rune(utf8.MaxRune), rune(0)
	for _, h := range heads {
		for _, r := range string(p.arena[h.simplified.off:h.simplified.end]) {
			lo, hi = min(lo, r), max(hi, r)
		}
	}
	// chars[r-lo] is the number of headwords with character r.
	chars := make([]int32, max(hi-lo+1, 0))
	for _, h := range heads {
		last := rune(-1)
		for _, r := range string(p.arena[h.simplified.off:h.simplified.end]) {
			if r != last { // a rough dedupe, enough for 谢谢
				chars[r-lo]++
			}
			last = r
		}
	}
	// The substring lookups take most of the time: split them between
	// goroutines, each counting into its own array.
	workers := min(runtime.GOMAXPROCS(0), 4, 1+len(heads)/(1<<14))
	counts := make([][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		counts[w] = make([]int32, len(heads))
		part := heads[w*len(heads)/workers : (w+1)*len(heads)/workers]
		wg.Go(func() { p.countSubstrings(part, counts[w]) })
	}
	wg.Wait()
	for _, c := range counts {
		for i, n := range c {
			heads[i].compounds += n
		}
	}
	for i := range heads {
		h := &heads[i]
		h.rarestChar = -1
		runes := 0
		for _, r := range string(p.arena[h.simplified.off:h.simplified.end]) {
			runes++
			if c := chars[r-lo] - 1; h.rarestChar < 0 || c < h.rarestChar {
				h.rarestChar = c
			}
		}
		h.single = runes == 1
		if h.single {
			h.compounds = h.rarestChar
		}
	}
}

// countSubstrings adds 1 to counts[id] for each headword id found among
// the substrings of two to four characters of each of heads. It only reads
// p, so several can run at once.
func (p *parser) countSubstrings(heads []headword, counts []int32) {
	var offs [64]int // rune offsets, then the end
	for _, h := range heads {
		s := p.arena[h.simplified.off:h.simplified.end]
		n := 0
		for i := 0; i < len(s) && n < len(offs)-1; {
			offs[n] = i
			n++
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
		offs[n] = len(s)
		for i := range n {
			for l := 2; l <= 4 && i+l <= n && l < n; l++ {
				if id, ok := p.headIDs.getBytes(p.arena, s[offs[i]:offs[i+l]]); ok {
					counts[id]++
				}
			}
		}
	}
}

// splitEntry splits a line "Trad Simp [pinyin] /g1/g2/" into its parts.
// glosses is "g1/g2", without the outer slashes.
func splitEntry(line []byte) (trad, simp, glosses []byte, ok bool) {
	if !utf8.Valid(line) {
		return nil, nil, nil, false
	}
	trad, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(trad) == 0 {
		return nil, nil, nil, false
	}
	simp, rest, ok = bytes.Cut(rest, []byte(" "))
	if !ok || len(simp) == 0 {
		return nil, nil, nil, false
	}
	rest = bytes.TrimLeft(rest, " ")
	if len(rest) == 0 || rest[0] != '[' {
		return nil, nil, nil, false
	}
	end := bytes.IndexByte(rest, ']')
	if end < 0 {
		return nil, nil, nil, false
	}
	rest = bytes.TrimLeft(rest[end+1:], " ")
	if len(rest) < 3 || rest[0] != '/' || rest[len(rest)-1] != '/' {
		return nil, nil, nil, false
	}
	glosses = rest[1 : len(rest)-1]
	if len(bytes.Trim(glosses, "/ ")) == 0 {
		return nil, nil, nil, false
	}
	return trad, simp, glosses, true
}

// hasHan reports whether s contains a Han character.
func hasHan(s []byte) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
			return true
		}
		s = s[size:]
	}
	return false
}

// skipPrefixes start glosses that only point at other entries or give
// pronunciation or usage notes, with nothing to translate, by their first
// letter. They are matched regardless of case.
var skipPrefixes = [256][][]byte{
	'a': {[]byte("also written"), []byte("also pr.")},
	'c': {[]byte("cl:")},
	'p': {[]byte("pr.")},
	's': {[]byte("see "), []byte("surname "), []byte("same as ")},
	't': {[]byte("taiwan pr.")},
	'u': {[]byte("used in ")},
}

// skipped reports whether gloss g starts with one of skipPrefixes.
func skipped(g []byte) bool {
	for _, pre := range skipPrefixes[g[0]|0x20] { // lower case for letters
		if len(g) >= len(pre) && bytes.EqualFold(g[:len(pre)], pre) {
			return true
		}
	}
	return false
}

// sense prepares gloss g for the index, writing its text and words to the
// arena. It reports false for glosses that should not be indexed.
func (p *parser) sense(g []byte) (sense, bool) {
	g = bytes.TrimSpace(g)
	if len(g) == 0 || skipped(g) {
		return sense{}, false
	}
	mark := len(p.arena)
	p.arena = append(p.arena, g...)
	text := span{int32(mark), int32(len(p.arena))}
	p.toks, p.arena = tokenize(p.toks[:0], p.arena, g)
	all := p.toks
	if len(all) == 0 {
		p.arena = p.arena[:mark]
		return sense{}, false // only Chinese and pinyin: a reference
	}
	norm, flags, ok := p.normWords(p.outsideParens(all))
	if !ok {
		p.arena = p.arena[:mark]
		return sense{}, false
	}
	s := sense{text: text, words: span{all[0].off, all[len(all)-1].end}, flags: flags}
	s.norm = p.joined(norm)
	return s, true
}

// outsideParens returns the tokens of all outside parentheses: all itself
// when there are no parenthesised words, else a copy in p.ntoks.
func (p *parser) outsideParens(all []token) []token {
	if !slices.ContainsFunc(all, func(t token) bool { return t.paren }) {
		return all
	}
	p.ntoks = p.ntoks[:0]
	for _, t := range all {
		if !t.paren {
			p.ntoks = append(p.ntoks, t)
		}
	}
	return p.ntoks
}

// normWords drops the words of a gloss that say what kind of sense it is
// (the norm of the gloss is what remains) and returns the flags they set. It
// reports false for glosses that only point at another entry ("abbr. for
// 北京", "variant of 村").
func (p *parser) normWords(norm []token) ([]token, uint8, bool) {
	var flags uint8
	// "lit. ..." and "fig. ..." mark literal and figurative senses.
	if len(norm) > 1 && norm[0].dot && (p.is(norm[0], "lit") || p.is(norm[0], "fig")) {
		norm = norm[1:]
	}
	if len(norm) > 0 && norm[0].dot && p.is(norm[0], "abbr") {
		flags |= flagCapped
		norm = norm[1:]
		if len(norm) > 0 && p.is(norm[0], "for") {
			norm = norm[1:]
		}
		if len(norm) == 0 {
			return nil, 0, false // "abbr. for 北京[Bei3 jing1]"
		}
	}
	if len(norm) > 1 && p.is(norm[0], "classifier") && p.is(norm[1], "for") {
		flags |= flagCapped
	}
	if p.variantOf(norm) {
		return nil, 0, false
	}
	if len(norm) > 1 && p.is(norm[0], "to") {
		flags |= flagVerb
		norm = norm[1:]
	}
	if len(norm) > 1 && (p.is(norm[0], "a") || p.is(norm[0], "an") || p.is(norm[0], "the")) {
		norm = norm[1:]
	}
	return norm, flags, true
}

// variantOf reports glosses "variant of X", "old variant of X", "erhua
// variant of X"...: "variant of" among the first words.
func (p *parser) variantOf(norm []token) bool {
	for i := 0; i < len(norm)-1 && i <= 2; i++ {
		if p.is(norm[i], "variant") && p.is(norm[i+1], "of") {
			return true
		}
	}
	return false
}

// joined returns the span of the words norm separated by single spaces:
// where they already stand so in the arena, or a copy written to it.
func (p *parser) joined(norm []token) span {
	switch {
	case len(norm) == 0:
		return span{}
	case contiguous(norm):
		return span{norm[0].off, norm[len(norm)-1].end}
	}
	off := len(p.arena)
	for i, t := range norm {
		if i > 0 {
			p.arena = append(p.arena, ' ')
		}
		p.arena = append(p.arena, p.arena[t.off:t.end]...)
	}
	return span{int32(off), int32(len(p.arena))}
}

// is reports whether token t is the word w.
func (p *parser) is(t token, w string) bool {
	return string(p.arena[t.off:t.end]) == w
}

// contiguous reports whether the tokens follow each other in the arena.
func contiguous(toks []token) bool {
	for i := 1; i < len(toks); i++ {
		if toks[i].off != toks[i-1].end+1 {
			return false
		}
	}
	return true
}

// token is one word of a gloss or phrase, written to an arena.
type token struct {
	off, end int32 // the lower-case word in the arena
	paren    bool  // inside parentheses
	dot      bool  // followed directly by '.'
}

// tokenize appends the words of s to arena, lower-case and separated by
// single spaces, and their tokens to toks. A word is a run of letters and
// digits of alphabetic scripts; everything else separates words, and
// Chinese characters and text in square brackets (pinyin) are dropped.
func tokenize(toks []token, arena, s []byte) ([]token, []byte) {
	paren, bracket := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if bracket > 0 || asciiWord[c] == 0 {
				switch c {
				case '(':
					paren++
				case ')':
					paren = max(paren-1, 0)
				case '[':
					bracket++
				case ']':
					bracket = max(bracket-1, 0)
				}
				i++
				continue
			}
		} else if r, size := utf8.DecodeRune(s[i:]); bracket > 0 || !isWordRune(r) {
			i += size
			continue
		}
		if len(toks) > 0 {
			arena = append(arena, ' ')
		}
		off := len(arena)
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if asciiWord[c] == 0 {
					break
				}
				arena = append(arena, asciiWord[c])
				i++
				continue
			}
			r, size := utf8.DecodeRune(s[i:])
			if !isWordRune(r) {
				break
			}
			arena = utf8.AppendRune(arena, unicode.ToLower(r))
			i += size
		}
		toks = append(toks, token{
			off: int32(off), end: int32(len(arena)),
			paren: paren > 0, dot: i < len(s) && s[i] == '.',
		})
	}
	return toks, arena
}

// asciiWord maps the ASCII letters and digits to their lower case, and
// every other byte to 0.
var asciiWord = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// isWordRune reports whether r belongs in a word: a letter or digit from a
// script before the CJK blocks (Latin, Greek, Cyrillic and the like).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r] != 0
	}
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// normalizePhrase returns the words of phrase as the index stores them,
// separated by single spaces, with a leading "to", "a", "an" or "the"
// dropped when other words follow.
func normalizePhrase(phrase string) string {
	var tarr [8]token
	var barr [64]byte
	toks, b := tokenize(tarr[:0], barr[:0], []byte(phrase))
	word := func(i int) string { return string(b[toks[i].off:toks[i].end]) }
	start := 0
	if len(toks) > 1 && word(0) == "to" {
		start++
	}
	if len(toks)-start > 1 {
		switch word(start) {
		case "a", "an", "the":
			start++
		}
	}
	if start == len(toks) {
		return ""
	}
	return string(b[toks[start].off:toks[len(toks)-1].end])
}
