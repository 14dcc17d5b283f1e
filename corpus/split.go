package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split defaults.
const (
	DefaultMaxRunes     = 300
	DefaultOverlapRunes = 40
)

// SplitOptions bounds passage sizes. Zero values mean the defaults.
type SplitOptions struct {
	// MaxRunes is the size above which a paragraph is split at sentence
	// boundaries (。；！？;!? and line ends; at commas, or hard, only when
	// a single sentence is longer). Parts hold at most MaxRunes runes.
	MaxRunes int
	// OverlapRunes bounds the last sentences of a part that are repeated at
	// the start of the next part for context; at most MaxRunes/2. Negative
	// means no overlap.
	OverlapRunes int
}

func (o SplitOptions) withDefaults() SplitOptions {
	if o.MaxRunes <= 0 {
		o.MaxRunes = DefaultMaxRunes
	}
	switch {
	case o.OverlapRunes == 0:
		o.OverlapRunes = DefaultOverlapRunes
	case o.OverlapRunes < 0:
		o.OverlapRunes = 0
	}
	o.OverlapRunes = min(o.OverlapRunes, o.MaxRunes/2)
	return o
}

// Split returns the passages of one report in document order: one per
// paragraph (a line of r.Text), or several sentence-aligned parts of a
// paragraph longer than opt.MaxRunes, each repeating up to opt.OverlapRunes
// runes of the previous part. Consecutive short paragraphs (under
// minPassageBytes, not heading lines) with the same heading path and period
// are one passage, up to opt.MaxRunes runes with the line breaks between
// them; its Paragraph is the first one's.
//
// Every passage's Text is exactly the runes r.Text[Start:End] (rune
// offsets) with no surrounding whitespace; the parts of a paragraph together
// cover all of it. Paragraph numbers count non-blank lines from 1.
//
// HeadingPath holds the headings above the passage as far as the text shows
// them: "一、…" (level 1), "(一)…" (level 2, up to its first 。 when body text
// follows on the same line; a missing numeral as in "()…" is filled in from
// the previous sibling) and a lead sentence such as "提升就业服务质效" (level
// 3). A heading line is a passage of its own whose path ends with itself.
// The parts of a paragraph share one HeadingPath slice.
//
// Period comes from the nearest level-1 or level-2 heading that names a year
// ("一、2017年工作回顾" is 2017 actual, "二、2018年主要任务" 2018 target); a
// review or task heading without a year means r.Year-1 actual or r.Year
// target (year 0 when r.Year is 0); a section that names neither after a
// target section sets targets for r.Year. Text before any heading has no
// period.
//
// ID is the first 16 hex digits of SHA-256(r.ID + "\x00" + Text + "\x00" +
// occurrence), where occurrence counts earlier passages of the report with
// the same text: stable across runs and unchanged by edits elsewhere in the
// report.
func Split(r Report, opt SplitOptions) []Passage {
	opt = opt.withDefaults()
	text := r.Text
	if !utf8.ValidString(text) {
		text = string([]rune(text)) // one U+FFFD per bad byte, as rune offsets count them
	}
	type para struct {
		text     string
		b0       int // byte offset in text
		start, n int // rune offset in text, length in runes
	}
	lines := strings.Count(text, "\n") + 1
	paras := make([]para, 0, lines)
	texts := make([]string, 0, lines)
	for off, boff, rest := 0, 0, text; ; {
		line, after, more := strings.Cut(rest, "\n")
		t := strings.TrimLeftFunc(line, unicode.IsSpace)
		lead := utf8.RuneCountInString(line[:len(line)-len(t)])
		body := strings.TrimRightFunc(t, unicode.IsSpace)
		n := utf8.RuneCountInString(body)
		if body != "" {
			paras = append(paras, para{body, boff + len(line) - len(t), off + lead, n})
			texts = append(texts, body)
		}
		if !more {
			break
		}
		off += lead + n + utf8.RuneCountInString(t[len(body):]) + 1
		boff += len(line) + 1
		rest = after
	}
	infos := structure(texts, r.Year)
	seen := make(map[string]int)
	passages := make([]Passage, 0, min(len(paras), len(text)/minPassageBytes+1))
	var buf []byte
	short := func(i int) bool { return len(paras[i].text) < minPassageBytes && !infos[i].heading }
	for i := 0; i < len(paras); i++ {
		p := paras[i]
		// A run of short paragraphs of one section is one passage.
		j := i + 1
		for short(i) && j < len(paras) && short(j) && paras[j].start+paras[j].n-p.start <= opt.MaxRunes &&
			infos[j].period == infos[i].period && slices.Equal(infos[j].path, infos[i].path) {
			j++
		}
		if j > i+1 {
			last := paras[j-1]
			t := text[p.b0 : last.b0+len(last.text)]
			occ := seen[t]
			seen[t] = occ + 1
			var id string
			id, buf = passageID(buf, r.ID, t, occ)
			passages = append(passages, Passage{
				ID: id, ReportID: r.ID, Paragraph: i + 1, Part: 1, Parts: 1,
				HeadingPath: infos[i].path, Period: infos[i].period,
				Start: p.start, End: last.start + last.n, Text: t,
			})
			i = j - 1
			continue
		}
		parts := splitParagraph(p.text, p.n, opt)
		for j, part := range parts {
			t := p.text[part.b0:part.b1]
			occ := seen[t]
			seen[t] = occ + 1
			var id string
			id, buf = passageID(buf, r.ID, t, occ)
			passages = append(passages, Passage{
				ID:          id,
				ReportID:    r.ID,
				Paragraph:   i + 1,
				Part:        j + 1,
				Parts:       len(parts),
				HeadingPath: infos[i].path,
				Period:      infos[i].period,
				Start:       p.start + part.r0,
				End:         p.start + part.r1,
				Text:        t,
			})
		}
	}
	return passages
}

// minPassageBytes is the size in bytes under which a paragraph is short:
// consecutive short paragraphs of one section share a passage (Split).
// Every passage costs about the same whatever its length (a vector of
// embedder.dim values, an ID, lexical postings, a document in the vector
// store), so a 141 MiB file of one 15-character line after another made
// 3.2 million passages, a 9 GiB peak RSS and a 2.3 GiB index. With this
// floor a passage stands for at least 120 bytes of input unless a heading,
// a change of section or a long neighbour ends a run: 243,165 passages and
// 1.3 GiB (docs/performance.md; cmd/reportbot TestIndexMemoryIsBounded).
// 120 bytes are 40 Chinese characters: 1.7 % of the passages of the
// national corpus and 3.2 % of the provincial one merge (lists of targets,
// short lines of PDF copies), and the evaluation scores are unchanged.
const minPassageBytes = 120

// passageID derives a passage ID from its report, text and occurrence. buf
// is scratch space, returned for reuse.
func passageID(buf []byte, reportID, text string, occurrence int) (string, []byte) {
	buf = append(buf[:0], reportID...)
	buf = append(buf, 0)
	buf = append(buf, text...)
	buf = append(buf, 0)
	buf = strconv.AppendInt(buf, int64(occurrence), 10)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:8]), buf
}

// span is a piece of a paragraph in byte and in rune offsets.
type span struct{ b0, b1, r0, r1 int }

func (s span) runes() int { return s.r1 - s.r0 }

// splitParagraph returns the parts of the trimmed paragraph p of n runes.
func splitParagraph(p string, n int, opt SplitOptions) []span {
	whole := span{0, len(p), 0, n}
	if whole.r1 <= opt.MaxRunes {
		return []span{whole}
	}
	units := sentenceUnits(p, whole, opt.MaxRunes)
	// Greedy packing up to MaxRunes gives the fewest parts. Then find the
	// smallest limit that needs no more parts, so that parts come out about
	// equal in size rather than full parts and a short rest.
	parts := packUnits(nil, p, units, opt.MaxRunes, opt.OverlapRunes)
	m := len(parts)
	lo, hi := (whole.r1+m-1)/m, opt.MaxRunes
	var scratch []span
	for lo < hi {
		mid := (lo + hi) / 2
		if scratch = packUnits(scratch[:0], p, units, mid, opt.OverlapRunes); len(scratch) <= m {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if hi == opt.MaxRunes {
		return parts
	}
	return packUnits(parts[:0], p, units, hi, opt.OverlapRunes)
}

// packUnits groups consecutive units into parts of at most limit runes
// (unless a unit alone is longer), starting each part after the first with
// the last units of the previous part, up to overlap runes, and trims the
// whitespace around each part. The parts are appended to dst.
func packUnits(dst []span, p string, units []span, limit, overlap int) []span {
	parts := dst
	first := 0 // first unit of the previous part
	for i := 0; i < len(units); {
		j := i // first unit of this part, counting the overlap
		if i > 0 {
			for j-1 > first && units[i-1].r1-units[j-1].r0 <= overlap &&
				units[i].r1-units[j-1].r0 <= limit {
				j--
			}
		}
		k := i + 1
		for k < len(units) && units[k].r1-units[j].r0 <= limit {
			k++
		}
		if part, ok := trimmed(p, span{units[j].b0, units[k-1].b1, units[j].r0, units[k-1].r1}); ok {
			parts = append(parts, part)
		}
		first, i = j, k
	}
	return parts
}

// trimmed narrows s to exclude surrounding whitespace; ok is false when
// nothing is left.
func trimmed(p string, s span) (span, bool) {
	for s.b0 < s.b1 {
		r, size := utf8.DecodeRuneInString(p[s.b0:s.b1])
		if !unicode.IsSpace(r) {
			break
		}
		s.b0, s.r0 = s.b0+size, s.r0+1
	}
	for s.b1 > s.b0 {
		r, size := utf8.DecodeLastRuneInString(p[s.b0:s.b1])
		if !unicode.IsSpace(r) {
			break
		}
		s.b1, s.r1 = s.b1-size, s.r1-1
	}
	return s, s.b0 < s.b1
}

// sentenceUnits cuts s of p into contiguous spans that end after a sentence
// end (with its closing quotes and brackets) or a line end. A span longer
// than max runes is cut after commas, and failing that every max runes.
func sentenceUnits(p string, s span, max int) []span {
	var units []span
	cut(p, s, func(r rune) bool { return isSentenceEnd(r) || r == '\n' }, func(sent span) {
		if sent.runes() <= max {
			units = append(units, sent)
			return
		}
		cut(p, sent, isClauseBreak, func(c span) {
			for c.runes() > max {
				b := c.b0
				for range max {
					_, size := utf8.DecodeRuneInString(p[b:c.b1])
					b += size
				}
				units = append(units, span{c.b0, b, c.r0, c.r0 + max})
				c.b0, c.r0 = b, c.r0+max
			}
			units = append(units, c)
		})
	})
	return units
}

// cut calls emit for the spans of s that end after a rune for which isEnd
// is true, together with the closing quotes and brackets after it. p must
// be valid UTF-8; isEnd may only hold for ASCII runes and runes whose UTF-8
// form starts with 0xE2, 0xE3 or 0xEF (general and CJK punctuation, full-width
// forms), so other runes are skipped without decoding.
func cut(p string, s span, isEnd func(rune) bool, emit func(span)) {
	start := span{b0: s.b0, r0: s.r0}
	b, n := s.b0, s.r0
	for b < s.b1 {
		r, size := punctAt(p, b, s.b1)
		b, n = b+size, n+1
		if r < 0 || !isEnd(r) {
			continue
		}
		for b < s.b1 {
			r, size := punctAt(p, b, s.b1)
			if r < 0 || !isClosing(r) && !isEnd(r) {
				break
			}
			b, n = b+size, n+1
		}
		emit(span{start.b0, b, start.r0, n})
		start = span{b0: b, r0: n}
	}
	if start.b0 < s.b1 {
		emit(span{start.b0, s.b1, start.r0, s.r1})
	}
}

// punctAt returns the rune at p[b:end] and its size, with the rune -1 when
// it cannot be punctuation (letters, Han characters).
func punctAt(p string, b, end int) (rune, int) {
	switch c := p[b]; {
	case c < utf8.RuneSelf:
		return rune(c), 1
	case c == 0xE2 || c == 0xE3 || c == 0xEF:
		return utf8.DecodeRuneInString(p[b:end])
	case c < 0xE0:
		return -1, min(2, end-b)
	case c < 0xF0:
		return -1, min(3, end-b)
	}
	return -1, min(4, end-b)
}
