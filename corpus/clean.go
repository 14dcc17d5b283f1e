package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/internal/safetext"
)

// cleaned is a report body after cleaning, with the metadata found in its
// first and last lines.
type cleaned struct {
	paras     []string // body paragraphs in order, trimmed, never empty
	title     string   // title line found at the top; "" if none
	publisher string   // from a "来源:" line
	date      string   // YYYY-MM-DD from a "发布时间:" line or a dateline
}

// text returns the body with one paragraph per line.
func (c *cleaned) text() string { return strings.Join(c.paras, "\n") }

// clean turns decoded text into body paragraphs. It normalises line breaks,
// drops zero-width and stray control characters, terminal escape sequences
// and bidirectional controls (safetext.Text), trims every line, joins
// lines that were broken inside a sentence (web copies break lines at links),
// removes web-page cruft (browser warnings, breadcrumbs, share/print links,
// licence notices) from the start and the end, and takes the title line and
// the "来源/发布时间" line out of the body into metadata. Text in between is
// kept verbatim, except figures: full-width digits become ASCII ("７．３％"
// becomes "7.3%", see hanzi.FoldWidthDigits) and numbers that PDF extraction
// spread out one digit at a time are joined ("1 9 9 7 年" becomes "1997年",
// see joinSpacedDigits). titleHint (a Markdown or HTML title) marks a line as the
// title line even when it does not look like one.
func clean(s, titleHint string) cleaned {
	var c cleaned
	// Escape sequences go whole (ESC [ 3 1 m, not just the ESC), and
	// bidirectional controls too: the text is printed and posted.
	s, titleHint = safetext.Text(s), safetext.Line(titleHint)
	paras := joinLines(normalizeLines(s))
	paras = c.trimHead(paras, titleHint)
	c.paras = c.trimTail(paras)
	return c
}

// normalizeLines splits s into trimmed lines; "" marks a blank line. Lines
// that held nothing but zero-width characters are dropped rather than kept as
// blank lines, since they are layout residue inside a paragraph.
func normalizeLines(s string) []string {
	var (
		lines  []string
		b      strings.Builder // the line so far, once a character was dropped or replaced
		sawZW  bool
		pendCR bool
		from   int // where the run of kept characters not yet in b starts
	)
	// A line whose characters are all kept is cut from s, not copied rune
	// by rune (corpus reading at a million passages spent 1.7 of its 10
	// CPU-seconds writing runes, reportbench); what is kept is a copy, so
	// that a title or paragraph does not keep the whole text alive.
	end := func(at int) {
		line, cut := s[from:at], true
		if b.Len() > 0 {
			b.WriteString(line)
			line, cut = b.String(), false
		}
		t := joinSpacedDigits(hanzi.FoldWidthDigits(strings.TrimSpace(line)))
		if cut {
			t = strings.Clone(t)
		}
		if t != "" || !sawZW {
			lines = append(lines, t)
		}
		b.Reset()
		sawZW = false
	}
	// drop leaves out the character from at to next, keeping what came
	// before it.
	drop := func(at, next int) {
		b.WriteString(s[from:at])
		from = next
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		next := i + size
		if pendCR {
			pendCR = false
			if r == '\n' {
				from, i = next, next
				continue
			}
		}
		switch {
		case r == '\r':
			end(i)
			from, pendCR = next, true
		case r == '\n', r == '\v', r == '\f', r == 0x85, r == 0x2028, r == 0x2029:
			end(i)
			from = next
		case r == '\t':
			drop(i, next)
			b.WriteByte(' ')
		case isZeroWidth(r):
			drop(i, next)
			sawZW = true
		case isStrayControl(r), r == 0x1A, r == utf8.RuneError:
			// dropped: decode already rejected text with many of these
			drop(i, next)
		}
		i = next
	}
	end(len(s))
	return lines
}

// isZeroWidth reports invisible formatting characters.
func isZeroWidth(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD:
		return true
	}
	return false
}

// joinLines groups lines into paragraphs. A line always continues the
// previous one when it starts with punctuation that cannot start a paragraph
// or when the previous line ends with an opening bracket or quote. When the
// text separates paragraphs by blank lines, a line also continues the
// previous one unless that ended a sentence or either is a heading.
// Otherwise every line is a paragraph.
func joinLines(lines []string) []string {
	blankMode := blankSeparated(lines)
	var (
		paras []string
		cur   strings.Builder
	)
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, cur.String())
			cur.Reset()
		}
	}
	for _, l := range lines {
		if l == "" {
			flush()
			continue
		}
		if cur.Len() > 0 && !continues(cur.String(), l, blankMode) {
			flush()
		}
		cur.WriteString(l)
	}
	flush()
	return paras
}

// blankSeparated reports whether blank lines separate paragraphs: there
// are at least half as many blank gaps as lines that end a sentence. (Lines
// broken inside sentences, as web copies break them at links, do not count.)
func blankSeparated(lines []string) bool {
	var ends, gaps int
	prevBlank, seen := false, false
	for _, l := range lines {
		if l == "" {
			prevBlank = true
			continue
		}
		if prevBlank && seen {
			gaps++
		}
		if endsSentence(l) {
			ends++
		}
		prevBlank, seen = false, true
	}
	return gaps > 0 && gaps*2 >= ends
}

// continues reports whether line l continues paragraph p.
func continues(p, l string, blankMode bool) bool {
	if isNavKeyLine(p) || isNavKeyLine(l) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(l); isContinuation(r) {
		return true
	}
	if endsOpen(p) {
		return true
	}
	if !blankMode || endsSentence(p) {
		return false
	}
	return !isHeadingLine(p) && !isHeadingLine(l)
}

// trimHead removes cruft before the body and takes the title and metadata
// lines out. The head is everything before the first paragraph that looks
// like body text (a sentence, a heading, a salutation such as "各位代表:" or
// a long line); within it, lines before the title line are navigation.
func (c *cleaned) trimHead(paras []string, titleHint string) []string {
	const maxHead = 40
	b := 0
	for b < len(paras) && b < maxHead && !isBodyish(paras[b]) {
		b++
	}
	if b == maxHead {
		b = 0 // no recognisable body start: keep everything but cruft
		for b < len(paras) && b < maxHead && (isCruftLine(paras[b]) || isMetaLine(paras[b])) {
			b++
		}
	}
	t := -1
	for i := 0; i < b; i++ {
		if isTitleLine(paras[i], titleHint) && !isCruftLine(paras[i]) && !isMetaLine(paras[i]) {
			t = i
			break
		}
	}
	var out []string
	for i := 0; i < b; i++ {
		p := paras[i]
		switch {
		case isMetaLine(p):
			c.parseMetaLine(p)
		case isCruftLine(p), i < t:
		case i == t:
			c.title = p
		default:
			if c.date == "" && runeLen(p) <= 60 {
				c.date = findDate(p)
			}
			out = append(out, p)
		}
	}
	return append(out, paras[b:]...)
}

// trimTail removes cruft after the body: share/print/close links, licence
// notices, lines without Chinese text, metadata lines and labels such as
// "附件:" with nothing after them.
func (c *cleaned) trimTail(paras []string) []string {
	// A licence notice ends the text: what follows it is page furniture.
	for i := len(paras) - 1; i >= 0 && i >= len(paras)-maxLicenceTail; i-- {
		if isLicence(paras[i]) {
			paras = paras[:i]
		}
	}
	for len(paras) > 0 {
		p := paras[len(paras)-1]
		switch {
		case isMetaLine(p):
			c.parseMetaLine(p)
		case isCruftLine(p), isTailCruft(p):
		default:
			return paras
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// isBodyish reports paragraphs that start the body of a report.
func isBodyish(p string) bool {
	if isCruftLine(p) || isMetaLine(p) {
		return false
	}
	return strings.IndexFunc(p, isSentenceEnd) >= 0 || isHeadingLine(p) || isSalutation(p) || runeLen(p) >= 50
}

// isSalutation reports a short address line ending in a colon or an
// exclamation mark, such as "各位代表:".
func isSalutation(p string) bool {
	r, _ := utf8.DecodeLastRuneInString(p)
	switch r {
	case '：', ':', '！', '!':
	default:
		return false
	}
	return runeLen(p) <= 16 && hanzi.HasHan(p)
}

// isTitleLine reports a head line that names the report.
func isTitleLine(p, hint string) bool {
	if p == "" || runeLen(p) > 60 || hasFullStop(p) {
		return false
	}
	if hint != "" && (p == hint || runeLen(p) >= 6 && strings.Contains(hint, p)) {
		return true
	}
	return strings.Contains(p, "报告") && !strings.HasPrefix(p, "——")
}

// maxLicenceTail is how many last paragraphs are searched for a licence
// notice.
const maxLicenceTail = 8

// isLicence reports a copyright or licence notice.
func isLicence(p string) bool {
	return runeLen(p) <= 300 && containsAny(p, licenceKeys)
}

// isTailCruft reports end-of-page lines that are not report text.
func isTailCruft(p string) bool {
	n := runeLen(p)
	if isLicence(p) {
		return true
	}
	if n <= 40 && !strings.ContainsFunc(p, unicode.IsLetter) {
		return true // lone symbols or numbers
	}
	if n <= 8 && (strings.HasSuffix(p, ":") || strings.HasSuffix(p, "：")) {
		return true // a label such as "附件:" with nothing after it
	}
	return false
}

// isCruftLine reports web-page lines that are not report text wherever they
// appear in the head or the tail: browser warnings and navigation.
func isCruftLine(p string) bool {
	n := runeLen(p)
	if n <= 120 && containsAny(p, browserKeys) {
		return true
	}
	return isNavLine(p)
}

// isNavLine reports short lines without sentence punctuation that look like
// navigation: a navigation word or separator, or no Chinese text at all.
func isNavLine(p string) bool {
	return isShortPlain(p) && (containsAny(p, navKeys) || !hanzi.HasHan(p))
}

// isNavKeyLine reports short lines without sentence punctuation that contain
// a navigation word or separator.
func isNavKeyLine(p string) bool {
	return isShortPlain(p) && containsAny(p, navKeys)
}

// isShortPlain reports lines of at most 40 runes without 。！？.
func isShortPlain(p string) bool {
	return len(p) <= 40*utf8.UTFMax && runeLen(p) <= 40 && !hasFullStop(p)
}

var (
	browserKeys = []string{"浏览器", "IE版本", "浏览效果", "JavaScript", "javascript", "Cookie", "cookie", "分辨率"}
	navKeys     = []string{
		"当前位置", "您的位置", "你的位置", "您现在的位置", "首页", "返回顶部", "返回列表", "返回上一页",
		"分享到", "打印本页", "打印此页", "打印页面", "关闭窗口", "关闭本页", "关闭页面", "加入收藏",
		"字号", "字体", "上一篇", "下一篇", "扫一扫", "二维码", "责任编辑", "网站地图", "联系我们",
		"版权所有", "主办单位", "承办单位", "ICP", "浏览次数", "点击数", "阅读数", "登录", "注册",
		"无障碍", "【", "】", " > ", ">>", "»", "›", " | ",
	}
	licenceKeys = []string{
		"公有领域", "Public domain", "public domain", "版权所有", "维基文库", "Wikisource",
		"Copyright", "copyright", "©", "转载请注明", "ICP备",
	}
)

func containsAny(s string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
