package bot

import (
	"strings"
	"unicode"

	"github.com/reportbot/reportbot/internal/safetext"
)

// Discord's size limits, counted here in runes (Discord counts characters).
const (
	maxContent          = 2000
	maxEmbedDescription = 4096
	maxEmbedTitle       = 256
	maxEmbedFieldValue  = 1024
	maxEmbedFooter      = 2048
	maxEmbedTotal       = 6000 // all embeds of one message together
	maxEmbedsPerMessage = 10
	maxButtonsPerRow    = 5
	maxRows             = 5
	maxCustomID         = 100
	maxButtonLabel      = 80

	// headroom is kept below each limit so that a count that differs from
	// Discord's (emoji are two UTF-16 units) stays under it.
	headroom = 100
)

// Cut priorities: higher is a nicer place to cut.
const (
	cutNever = iota - 2
	// cutBeforeMarker is just before a citation marker (or the spaces
	// before one): markers stick to their text, so this is taken only when
	// nothing else fits, as with a run of markers "[1][2][3]…".
	cutBeforeMarker
	cutHard
	cutCJK       // between CJK characters
	cutFenceLine // after a line inside a code fence (needs close and reopen)
	cutSpace     // at a space
	cutClause    // after ,、：
	cutSentence  // after 。！？ or ". "
	cutLine      // after a newline
	cutParagraph // after a blank line
)

// fence is the text that closes and reopens a code fence cut in two.
const fence = "```"

// splitText cuts s into chunks of at most limit runes each. It prefers to
// cut at blank lines, then line ends, sentence ends, clauses and spaces, and
// never inside a word, inside or just before a citation marker such as
// [12], or inside a code fence's marker line. A code block that must be cut
// is closed at the end of one chunk and reopened at the start of the next,
// so every chunk renders on its own. Whitespace at the cuts is dropped;
// nothing else is. Only a run with no allowed cut longer than limit (a
// 3000-letter "word") is cut hard.
func splitText(s string, limit int) []string {
	limit = max(limit, 32)
	r := []rune(strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")))
	if len(r) == 0 {
		return nil
	}
	pri, open := cutPoints(r)
	var out []string
	start := 0
	for start < len(r) {
		prefix := 0
		if open[start] {
			prefix = len(fence) + 1
		}
		cost := func(p int) int { // runes of the chunk r[start:p] as sent
			n := prefix + p - start
			if open[p] {
				n += len(fence) + 1
			}
			return n
		}
		end := len(r)
		if cost(end) > limit {
			end = bestCut(pri, start, limit, cost)
		}
		chunk := strings.TrimRightFunc(string(r[start:end]), unicode.IsSpace)
		if open[start] {
			chunk = fence + "\n" + chunk
		} else if midLine(r, start) {
			// No cut was left but one just before a ``` inside a line
			// (a single run longer than limit): fewer backticks keep the
			// chunk from opening a code block the text never had.
			chunk = dropFenceOpening(chunk)
		}
		if open[end] && end < len(r) {
			chunk += "\n" + fence
		}
		if strings.TrimSpace(chunk) != "" {
			out = append(out, chunk)
		}
		start = end
		for start < len(r) && (r[start] == '\n' || (!open[start] && unicode.IsSpace(r[start]))) {
			start++
		}
	}
	return out
}

// dropFenceOpening drops backticks from the start of chunk until fewer
// than the three of a fence line are left there: four backticks and an x
// become two and the x.
func dropFenceOpening(chunk string) string {
	n := len(chunk) - len(strings.TrimLeft(chunk, "`"))
	if n < len(fence) {
		return chunk
	}
	return chunk[n-(len(fence)-1):]
}

// midLine reports whether r[p] follows other text on its line: a ``` there
// is not a fence in the text.
func midLine(r []rune, p int) bool {
	for k := p - 1; k >= 0 && r[k] != '\n'; k-- {
		if !unicode.IsSpace(r[k]) {
			return true
		}
	}
	return false
}

// bestCut picks where to end the chunk that starts at start: the best cut
// in the second half of what fits, else the best anywhere, else a hard cut.
func bestCut(pri []int, start, limit int, cost func(int) int) int {
	last := start + 1
	for last+1 < len(pri) && cost(last+1) <= limit {
		last++
	}
	pick := func(from int, minPri int) int {
		best, bestPri := -1, minPri-1
		for p := last; p >= from && p > start; p-- {
			if pri[p] > bestPri {
				best, bestPri = p, pri[p]
			}
		}
		return best
	}
	if p := pick(start+(last-start)/2, cutCJK); p > 0 {
		return p
	}
	if p := pick(start+1, cutCJK); p > 0 {
		return p
	}
	if p := pick(start+1, cutHard); p > 0 {
		return p
	}
	if p := pick(start+1, cutBeforeMarker); p > 0 {
		return p
	}
	return last
}

// cutPoints rates every position p (a cut between r[p-1] and r[p]) and
// says whether a code fence is open there.
func cutPoints(r []rune) (pri []int, open []bool) {
	n := len(r)
	pri = make([]int, n+1)
	open = make([]bool, n+1)
	awkward := fencePoints(r, pri, open)
	markerPoints(r, pri)
	inlineFencePoints(r, pri)
	for p := 1; p < n; p++ {
		if pri[p] == cutNever || pri[p] == cutBeforeMarker {
			continue
		}
		pri[p] = ratePoint(r, p, open[p])
	}
	for _, p := range awkward {
		if pri[p] > cutHard {
			pri[p] = cutHard
		}
	}
	pri[0] = cutNever
	pri[n] = cutParagraph
	return pri, open
}

// fencePoints marks the code fences of r: a line starting with ``` opens
// or closes one (leading whitespace of any kind is ignored, as the
// trimming at cuts would bring such a line to the start of a chunk). It
// sets open[p] where a fence is open, forbids cuts inside fence lines, and
// returns the cuts that would leave an empty code block.
func fencePoints(r []rune, pri []int, open []bool) (awkward []int) {
	n := len(r)
	inFence := false
	for ls := 0; ls < n; {
		le := ls
		for le < n && r[le] != '\n' {
			le++
		}
		isFence := strings.HasPrefix(strings.TrimLeftFunc(string(r[ls:le]), unicode.IsSpace), fence)
		for p := ls + 1; p <= le; p++ {
			open[p] = inFence
			if isFence {
				pri[p] = cutNever
			}
		}
		if isFence {
			if inFence && ls > 0 {
				awkward = append(awkward, ls) // just before a closing fence
			}
			inFence = !inFence
			if inFence && le < n {
				awkward = append(awkward, le+1) // just after an opening fence
			}
		}
		if le < n {
			open[le+1] = inFence
		}
		ls = le + 1
	}
	open[0] = false
	return awkward
}

// markerPoints keeps citation markers [n] and the spaces before them with
// the text: no cut inside a marker, and a cut before one is rated
// cutBeforeMarker.
func markerPoints(r []rune, pri []int) {
	for i := 0; i < len(r); i++ {
		if j := markerEnd(r, i); j > 0 {
			pri[i] = cutBeforeMarker
			for p := i + 1; p < j; p++ {
				pri[p] = cutNever
			}
			for k := i - 1; k >= 0 && r[k] == ' '; k-- {
				pri[k] = cutBeforeMarker
			}
			i = j - 1
		}
	}
}

// inlineFencePoints forbids a cut just before ``` inside a line (or before
// the spaces ahead of it, which the cut drops): it would start the next
// chunk with a fence line that opens a code block the text never had.
func inlineFencePoints(r []rune, pri []int) {
	for p := 1; p+2 < len(r); p++ {
		if r[p] != '`' || r[p+1] != '`' || r[p+2] != '`' || r[p-1] == '\n' {
			continue
		}
		for k := p; k >= 1 && (k == p || (r[k] != '\n' && unicode.IsSpace(r[k]))); k-- {
			pri[k] = cutNever
		}
	}
}

// ratePoint rates a cut between r[p-1] and r[p].
func ratePoint(r []rune, p int, inFence bool) int {
	a, b := r[p-1], r[p]
	if inFence {
		if a == '\n' {
			return cutFenceLine
		}
		return cutHard
	}
	switch {
	case a == '\n' && p >= 2 && r[p-2] == '\n':
		return cutParagraph
	case a == '\n':
		return cutLine
	case strings.ContainsRune("。！？；!?;", a), a == '.' && unicode.IsSpace(b):
		return cutSentence
	case strings.ContainsRune("，、：）」』”", a):
		return cutClause
	case unicode.IsSpace(a) || unicode.IsSpace(b):
		return cutSpace
	case isCJK(a) || isCJK(b):
		return cutCJK
	}
	return cutHard // inside a word
}

// markerEnd returns the end of a citation marker [digits] starting at
// r[i], or 0.
func markerEnd(r []rune, i int) int {
	if r[i] != '[' {
		return 0
	}
	j := i + 1
	for j < len(r) && j-i <= 4 && r[j] >= '0' && r[j] <= '9' {
		j++
	}
	if j == i+1 || j >= len(r) || r[j] != ']' {
		return 0
	}
	return j + 1
}

// isCJK reports whether r is written without spaces between words: Han,
// kana, Hangul and the CJK and full-width punctuation.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// oneLine is s on one line (sanitised, runs of spaces made one), cut to
// at most n runes.
func oneLine(s string, n int) string {
	return truncate(strings.Join(strings.Fields(safetext.Line(s)), " "), n)
}

// truncate shortens s to at most n runes, ending it with "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:max(n, 0)])
	}
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}
