package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// sidecarSuffix names the metadata file beside a report: the sidecar of
// "a/report.txt" is "a/report.meta.yaml".
const sidecarSuffix = ".meta.yaml"

// sidecar is the metadata of a NAME.meta.yaml file. Empty fields are unset.
type sidecar struct {
	title, publisher, publishDate, url string
	year                               int
}

// sidecarKeys are the keys a sidecar may set.
var sidecarKeys = []string{"title", "publisher", "publish_date", "year", "url"}

// parseSidecar parses flat "key: value" lines: no nesting, no lists. Values
// may be quoted; "#" starts a comment line or, after a space, a comment at
// the end of an unquoted value. Unknown and repeated keys are errors, as are
// a year outside 1900-2100 and a publish_date that is not a date.
func parseSidecar(text string) (sidecar, error) {
	var m sidecar
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimRight(line, " \t\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || i == 0 && t == "---" {
			continue
		}
		if strings.TrimLeft(line, " \t") != line {
			return m, fmt.Errorf("line %d: indented line: only flat \"key: value\" lines are allowed", n)
		}
		key, val, ok := strings.Cut(t, ":")
		if !ok {
			return m, fmt.Errorf("line %d: want \"key: value\", got %q", n, t)
		}
		key = strings.TrimSpace(key)
		if !containsString(sidecarKeys, key) {
			return m, fmt.Errorf("line %d: unknown key %q (known keys: %s)", n, key, strings.Join(sidecarKeys, ", "))
		}
		if seen[key] {
			return m, fmt.Errorf("line %d: key %q repeated", n, key)
		}
		seen[key] = true
		v, err := yamlScalar(val)
		if err != nil {
			return m, fmt.Errorf("line %d: %s: %w", n, key, err)
		}
		switch key {
		case "title":
			m.title = v
		case "publisher":
			m.publisher = v
		case "url":
			m.url = v
		case "year":
			if v == "" {
				continue
			}
			if m.year, err = parseYear(v); err != nil {
				return m, fmt.Errorf("line %d: %w", n, err)
			}
		case "publish_date":
			if v == "" {
				continue
			}
			d, ok := dateAt(v)
			if !ok {
				return m, fmt.Errorf("line %d: publish_date %q is not a date like 2018-01-24", n, v)
			}
			m.publishDate = d
		}
	}
	return m, nil
}

// yamlScalar returns the value of a plain, single-quoted or double-quoted
// YAML scalar.
func yamlScalar(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, `"`):
		end := closingQuote(s)
		if end < 0 {
			return "", fmt.Errorf("unterminated double-quoted value %s", s)
		}
		v, err := strconv.Unquote(s[:end+1])
		if err != nil {
			return "", fmt.Errorf("bad double-quoted value %s: %w", s, err)
		}
		if rest := strings.TrimSpace(s[end+1:]); rest != "" && !strings.HasPrefix(rest, "#") {
			return "", fmt.Errorf("text after quoted value: %q", rest)
		}
		return v, nil
	case strings.HasPrefix(s, "'"):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '\'' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			if rest := strings.TrimSpace(s[i+1:]); rest != "" && !strings.HasPrefix(rest, "#") {
				return "", fmt.Errorf("text after quoted value: %q", rest)
			}
			return b.String(), nil
		}
		return "", fmt.Errorf("unterminated single-quoted value %s", s)
	case strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") || strings.HasPrefix(s, "|") || strings.HasPrefix(s, ">"):
		return "", fmt.Errorf("only plain or quoted values are allowed, got %q", s)
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s, nil
}

// closingQuote returns the index of the double quote closing the string
// that starts at s[0], or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
