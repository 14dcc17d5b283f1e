package corpus

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout tolerances of PDF paragraph rebuilding, in line heights (the
// median height of a page's lines, about one character's width). Chosen on
// LibreOffice PDFs of the bundled reports and four reports of
// /work/shared/corpora (docs/formats.md).
const (
	// fullLineSlack: a line ending within this of its column's right
	// edge is full, so the paragraph goes on in the next line.
	fullLineSlack = 1.5
	// indentSlack: a line starting further right than this from its
	// column's left edge is indented: a paragraph's first line.
	indentSlack = 1.0
	// paraGap: a vertical gap between lines wider than this is a
	// paragraph break.
	paraGap = 0.8
	// marginBand: the top and bottom fractions of a page where running
	// headers, footers and page numbers are looked for.
	marginBand = 0.1
)

// rebuildPDF rebuilds paragraphs from the lines of a PDF: running headers,
// footers and page numbers are dropped; a line continues the paragraph
// when the line before it was full (reached its column's right edge) and
// it is neither indented nor a heading nor after a vertical gap, across
// blocks and pages too; words are joined without the spaces PDF
// extraction puts between Chinese characters and figures ("新增就业 3.4
// 万人" is 新增就业3.4万人) and Latin words hyphenated at a line end are
// joined. Each paragraph has the page it starts on.
func rebuildPDF(pages []pdfPage) []pagePara {
	margins := repeatedMargins(pages)
	var (
		out  []pagePara
		cur  strings.Builder
		page int
		prev *pdfLine
		// prevFull: the previous line reached its column's right edge.
		prevFull bool
	)
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, pagePara{text: t, page: page})
		}
		cur.Reset()
	}
	for pi := range pages {
		pg := &pages[pi]
		h := lineHeight(pg)
		lines := bodyLines(pg, h, margins)
		for i := 0; i < len(lines); i++ {
			if rows, next := tableAt(lines, i, h); len(rows) > 0 {
				flush()
				for _, t := range tableRows(rows) {
					out = append(out, pagePara{text: t, page: pi + 1})
				}
				i, prev, prevFull = next-1, nil, false
				continue
			}
			ln, text := lines[i].line, lines[i].text
			gap := prev != nil && lines[i].inBlock > 0 && ln.y0-prev.y1 > paraGap*h
			newPara := cur.Len() == 0 || !prevFull || gap || ln.x0 > lines[i].left+indentSlack*h || isHeadingLine(text)
			if newPara {
				flush()
				page = pi + 1
				cur.WriteString(text)
			} else {
				appendLine(&cur, text)
			}
			prev = ln
			prevFull = ln.x1 >= lines[i].right-fullLineSlack*h
		}
	}
	flush()
	return out
}

// bodyLine is a line of a page's body in reading order, with its text and
// its column's edges.
type bodyLine struct {
	line        *pdfLine
	text        string
	left, right float64
	inBlock     int // index of the line in its block
}

// bodyLines returns the lines of page pg in reading order without running
// headers, footers and page numbers.
func bodyLines(pg *pdfPage, h float64, margins map[string]bool) []bodyLine {
	var out []bodyLine
	for bi := range pg.blocks {
		left, right := columnEdges(pg, bi, h)
		for li := range pg.blocks[bi].lines {
			ln := &pg.blocks[bi].lines[li]
			text := joinWords(ln.words)
			if text == "" || inMargin(pg, ln) && (isPageNumber(text) || margins[marginKey(text)]) {
				continue
			}
			out = append(out, bodyLine{line: ln, text: text, left: left, right: right, inBlock: li})
		}
	}
	return out
}

// minTableCells is the number of cells side by side on one baseline that
// make a table row. Two are not enough: a label and its value ("来源:"
// beside the publisher) are often laid out so.
const minTableCells = 3

// tableAt returns the rows of the table starting at lines[i], if one
// does, and the index of the first line after it. A row is a run of
// consecutive lines on one baseline (within half a line height), each to
// the right of the one before; a table is a run of such rows.
func tableAt(lines []bodyLine, i int, h float64) (rows [][]string, next int) {
	next = i
	for {
		j := next + 1
		for j < len(lines) && math.Abs(lines[j].line.y0-lines[j-1].line.y0) < h/2 && lines[j].line.x0 > lines[j-1].line.x1-h/4 {
			j++
		}
		if j-next < minTableCells {
			return rows, next
		}
		row := make([]string, 0, j-next)
		for _, l := range lines[next:j] {
			row = append(row, l.text)
		}
		rows = append(rows, row)
		next = j
	}
}

// appendLine appends a line to the paragraph in b: with no space when
// either side is Chinese, the hyphen dropped when a Latin word was broken
// at the line end ("develop-" "ment"), kept with no space before a capital
// ("Beijing-" "Tianjin"), else with a space.
func appendLine(b *strings.Builder, line string) {
	s := b.String()
	last, _ := utf8.DecodeLastRuneInString(s)
	first, _ := utf8.DecodeRuneInString(line)
	if last == '-' && len(s) > 1 {
		before, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
		if unicode.IsLetter(before) && before < 0x80 && unicode.IsLower(first) {
			b.Reset()
			b.WriteString(s[:len(s)-1])
			b.WriteString(line)
			return
		}
		if unicode.IsLetter(before) && before < 0x80 && unicode.IsUpper(first) {
			b.WriteString(line) // a compound: Beijing-Tianjin
			return
		}
	}
	if !isWide(last) && !isWide(first) {
		b.WriteByte(' ')
	}
	b.WriteString(line)
}

// joinWords joins the words of a line: with a space between two words
// unless either side is a Chinese character or full-width punctuation.
func joinWords(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(w)
			if !isWide(last) && !isWide(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

// isWide reports whether r is written without spaces around it in
// Chinese text: Han characters, CJK punctuation and full-width forms.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		r >= 0x3000 && r <= 0x303F || // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF || // full-width forms
		r >= 0x2018 && r <= 0x201F || // curly quotes, as Chinese text uses them
		r == 0x2014 || r == 0x2026 || r == 0x00B7 // —— … ·
}

// lineHeight is the median height of a page's lines (12 points when it
// has none).
func lineHeight(p *pdfPage) float64 {
	var hs []float64
	for _, b := range p.blocks {
		for _, l := range b.lines {
			if h := l.y1 - l.y0; h > 0 {
				hs = append(hs, h)
			}
		}
	}
	if len(hs) == 0 {
		return 12
	}
	slices.Sort(hs)
	return hs[len(hs)/2]
}

// columnEdges returns the left and right edges of block bi's column: the
// extremes of the body lines (not in the header and footer bands) of every
// block of the page that starts within two line heights of it (a
// two-column page has two such groups). A block alone in its group (a
// centred title, a running header) has the page's body edges.
func columnEdges(p *pdfPage, bi int, h float64) (left, right float64) {
	x := p.blocks[bi].x0
	left, right = p.blocks[bi].x0, p.blocks[bi].x1
	lines := 0
	for _, b := range p.blocks {
		if math.Abs(b.x0-x) > 2*h {
			continue
		}
		for li := range b.lines {
			if !inMargin(p, &b.lines[li]) {
				left, right = min(left, b.lines[li].x0), max(right, b.lines[li].x1)
				lines++
			}
		}
	}
	if lines > 1 {
		return left, right
	}
	for _, b := range p.blocks {
		for li := range b.lines {
			if !inMargin(p, &b.lines[li]) {
				left, right = min(left, b.lines[li].x0), max(right, b.lines[li].x1)
			}
		}
	}
	return left, right
}

// inMargin reports whether a line lies in the top or bottom band of its
// page, where running headers and footers are.
func inMargin(p *pdfPage, l *pdfLine) bool {
	return p.h > 0 && (l.y1 <= p.h*marginBand || l.y0 >= p.h*(1-marginBand))
}

// repeatedMargins returns the marginKeys of the lines in the top and
// bottom bands that recur on at least half the pages (and two): running
// headers and footers ("武清区2018年政府工作报告", "第3页 共7页").
func repeatedMargins(pages []pdfPage) map[string]bool {
	counts := map[string]int{}
	for pi := range pages {
		seen := map[string]bool{}
		for _, b := range pages[pi].blocks {
			for li := range b.lines {
				if inMargin(&pages[pi], &b.lines[li]) {
					seen[marginKey(joinWords(b.lines[li].words))] = true
				}
			}
		}
		for k := range seen {
			counts[k]++
		}
	}
	out := map[string]bool{}
	for k, n := range counts {
		if k != "" && n >= 2 && 2*n >= len(pages) {
			out[k] = true
		}
	}
	return out
}

// marginKey is a line with digits as '#' and without spaces, so that a
// running footer with the page number is the same on every page.
func marginKey(s string) string {
	var b strings.Builder
	digit := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case unicode.IsDigit(r):
			if !digit {
				b.WriteByte('#')
			}
			digit = true
			continue
		default:
			b.WriteRune(r)
		}
		digit = false
	}
	return b.String()
}

// isPageNumber reports whether a line is only a page number: "3", "- 3 -",
// "— 3 —", "第3页", "第 3 页 共 7 页", "3/7", "Page 3", "Page 3 of 7".
func isPageNumber(s string) bool {
	k := strings.ToLower(marginKey(s))
	k = strings.Trim(k, "-—–·")
	switch k {
	case "#", "第#页", "第#页共#页", "第#页/共#页", "#/#", "page#", "page#of#", "共#页第#页":
		return true
	}
	return false
}
