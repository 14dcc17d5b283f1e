package corpus

import "strings"

// markdownToText removes Markdown syntax that is not text: heading marks,
// setext underlines, code fences, block quote marks, list bullets, bold
// marks, images and link targets (the link text stays). title is the text of
// the first level-1 heading.
func markdownToText(s string) (text, title string) {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			continue
		case isSetextUnderline(t) && i > 0 && strings.TrimSpace(lines[i-1]) != "":
			if title == "" && t[0] == '=' {
				title = strings.TrimSpace(out[len(out)-1])
			}
			continue
		case strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			rest := strings.TrimLeft(t, "#")
			if level <= 6 && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(rest), "#"))
				if level == 1 && title == "" {
					title = t
				}
			}
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		for _, bullet := range []string{"- ", "* ", "+ "} {
			if strings.HasPrefix(t, bullet) {
				t = strings.TrimSpace(t[len(bullet):])
				break
			}
		}
		out = append(out, markdownInline(t))
	}
	return strings.Join(out, "\n"), markdownInline(title)
}

// isSetextUnderline reports a line of only '=' or only '-' (at least three).
func isSetextUnderline(t string) bool {
	return len(t) >= 3 && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "")
}

// markdownInline removes bold marks and images and replaces links by their
// text.
func markdownInline(s string) string {
	if !strings.ContainsAny(s, "*_[") {
		return s
	}
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			break
		}
		mid := strings.Index(s[i:], "](")
		if mid < 0 {
			break
		}
		end := strings.IndexByte(s[i+mid:], ')')
		if end < 0 {
			break
		}
		label := s[i+1 : i+mid]
		if strings.ContainsAny(label, "[]") {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		pre := s[:i]
		if strings.HasSuffix(pre, "!") {
			pre, label = pre[:len(pre)-1], "" // image
		}
		b.WriteString(pre)
		b.WriteString(label)
		s = s[i+mid+end+1:]
	}
	b.WriteString(s)
	return b.String()
}
