package hanzi

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// OpenCC's traditional-to-simplified tables (Apache-2.0, see
// opencc/LICENSE-OpenCC.txt), as github.com/longbridgeapp/opencc v0.3.13
// ships them: one entry a line, the traditional form, a tab, and the
// simplified forms separated by spaces (the first is the usual one).
var (
	//go:embed opencc/TSCharacters.txt
	tsCharacters string
	//go:embed opencc/TSPhrases.txt
	tsPhrases string
)

// traditional is the folding table, built once on first use (about 4,100
// characters and 270 phrases; about 7 ms, against about 34 ms for the
// opencc module's t2s converter).
type traditional struct {
	chars     map[rune]string
	phrases   map[string]string
	maxPhrase int // runes in the longest phrase
}

var traditionalTable = sync.OnceValue(func() *traditional {
	t := &traditional{chars: map[rune]string{}, phrases: map[string]string{}}
	for _, e := range parseOpenCC(tsCharacters) {
		if r, n := utf8.DecodeRuneInString(e[0]); n == len(e[0]) {
			t.chars[r] = e[1]
		}
	}
	for _, e := range parseOpenCC(tsPhrases) {
		t.phrases[e[0]] = e[1]
		t.maxPhrase = max(t.maxPhrase, utf8.RuneCountInString(e[0]))
	}
	return t
})

// parseOpenCC returns the (traditional, first simplified) pairs of an
// OpenCC dictionary text.
func parseOpenCC(data string) [][2]string {
	var out [][2]string
	for line := range strings.Lines(data) {
		from, to, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if !ok || from == "" {
			continue
		}
		if f := strings.Fields(to); len(f) > 0 {
			out = append(out, [2]string{from, f[0]})
		}
	}
	return out
}

// FoldTraditional writes traditional Chinese characters as simplified ones
// ("廣東去年城鎮新增就業" → "广东去年城镇新增就业"), as OpenCC's t2s
// conversion does: the longest phrase of its phrase table first (乾淨 →
// 干净, while 乾坤 stays), then character by character. Simplified text,
// and anything that is not Chinese, comes back unchanged. The reports are in
// simplified Chinese, so a question in traditional characters then searches
// and analyses like its simplified form.
func FoldTraditional(s string) string {
	t := traditionalTable()
	if !strings.ContainsFunc(s, func(r rune) bool { _, ok := t.chars[r]; return ok }) {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(r); {
		if n, to := t.phraseAt(r, i); n > 0 {
			b.WriteString(to)
			i += n
			continue
		}
		if to, ok := t.chars[r[i]]; ok {
			b.WriteString(to)
		} else {
			b.WriteRune(r[i])
		}
		i++
	}
	return b.String()
}

// phraseAt returns the length in runes and the simplified form of the
// longest phrase of the table at r[i:], or 0.
func (t *traditional) phraseAt(r []rune, i int) (int, string) {
	for n := min(t.maxPhrase, len(r)-i); n >= 2; n-- {
		if to, ok := t.phrases[string(r[i:i+n])]; ok {
			return n, to
		}
	}
	return 0, ""
}
