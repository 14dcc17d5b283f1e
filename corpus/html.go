package corpus

import (
	"html"
	"strings"
)

// htmlBlocks are the elements that end a paragraph.
var htmlBlocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "body": true,
	"caption": true, "center": true, "dd": true, "div": true, "dl": true, "dt": true,
	"figcaption": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true, "section": true, "table": true,
	"tbody": true, "td": true, "tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
}

// htmlSkipped are the elements whose content is not text.
var htmlSkipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"iframe": true, "object": true, "select": true, "textarea": true, "button": true,
}

// htmlToText returns the text of an HTML document, with block elements as
// paragraph breaks (blank lines) and <br> as a line break, script, style and similar elements
// removed with their content, comments removed and character references
// decoded. Runs of whitespace inside text collapse to one space except in
// <pre>. title is the content of <title>.
func htmlToText(s string) (text, title string) {
	var (
		b       strings.Builder
		inTitle bool
		titleB  strings.Builder
		pre     int
	)
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			t := html.UnescapeString(s[i : i+j])
			if inTitle {
				titleB.WriteString(t)
			} else {
				writeHTMLText(&b, t, pre > 0)
			}
			i += j
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			i = skipPast(s, i+4, "-->")
			continue
		case strings.HasPrefix(s[i:], "<![CDATA["):
			end := strings.Index(s[i+9:], "]]>")
			if end < 0 {
				end = len(s) - i - 9
			}
			writeHTMLText(&b, s[i+9:i+9+end], pre > 0)
			i = min(len(s), i+9+end+3)
			continue
		case strings.HasPrefix(s[i:], "<!"), strings.HasPrefix(s[i:], "<?"):
			i = skipPast(s, i+2, ">")
			continue
		}
		name, closing, end, ok := parseTag(s, i)
		if !ok {
			writeHTMLText(&b, "<", pre > 0)
			i++
			continue
		}
		i = end
		switch {
		case name == "title":
			inTitle = !closing
		case name == "pre" && closing:
			pre = max(0, pre-1)
		case name == "pre":
			pre++
		case htmlSkipped[name] && !closing:
			i = skipElement(s, i, name)
			continue
		}
		switch {
		case htmlBlocks[name]:
			b.WriteString("\n\n")
		case name == "br":
			b.WriteByte('\n') // a line break: cleaning decides whether it ends a paragraph
		}
	}
	return b.String(), strings.Join(strings.Fields(titleB.String()), " ")
}

// writeHTMLText writes text, collapsing whitespace runs outside <pre>.
func writeHTMLText(b *strings.Builder, t string, pre bool) {
	t = strings.ReplaceAll(t, "\u00a0", " ")
	if pre {
		b.WriteString(t)
		return
	}
	space := false
	for _, r := range t {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

// parseTag parses the tag starting at s[i] == '<' and returns its lower-case
// name, whether it is a closing tag and the index after its '>'. Quoted
// attribute values may contain '>'.
func parseTag(s string, i int) (name string, closing bool, end int, ok bool) {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		closing = true
		j++
	}
	k := j
	for k < len(s) && (isASCIILetter(s[k]) || k > j && (isDigit(s[k]) || s[k] == '-' || s[k] == ':')) {
		k++
	}
	if k == j {
		return "", false, 0, false
	}
	name = strings.ToLower(s[j:k])
	var quote byte
	for ; k < len(s); k++ {
		switch c := s[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, k + 1, true
		}
	}
	return name, closing, len(s), true
}

// skipElement returns the index after the end tag of the element name whose
// start tag ends at i, or len(s).
func skipElement(s string, i int, name string) int {
	for i < len(s) {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j
		k := i + 2 + len(name)
		if k <= len(s) && s[i+1] == '/' && strings.EqualFold(s[i+2:k], name) &&
			(k == len(s) || !isASCIILetter(s[k]) && !isDigit(s[k])) {
			return skipPast(s, k, ">")
		}
		i++
	}
	return len(s)
}

// skipPast returns the index after the first sep at or after i, or len(s).
func skipPast(s string, i int, sep string) int {
	if i >= len(s) {
		return len(s)
	}
	j := strings.Index(s[i:], sep)
	if j < 0 {
		return len(s)
	}
	return i + j + len(sep)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// htmlTitleHint returns the part of a <title> that names the report: the
// segment between separators ("_", "|", " - ") that mentions 报告, else the
// first segment.
func htmlTitleHint(title string) string {
	segs := strings.FieldsFunc(title, func(r rune) bool { return r == '_' || r == '|' || r == '｜' })
	var out []string
	for _, s := range segs {
		out = append(out, strings.Split(s, " - ")...)
	}
	for _, s := range out {
		if s = strings.TrimSpace(s); strings.Contains(s, "报告") {
			return s
		}
	}
	if len(out) > 0 {
		return strings.TrimSpace(out[0])
	}
	return ""
}
