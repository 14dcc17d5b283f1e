package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// Labels of the metadata line web pages put under the title, such as
// "来源:  武清区人民政府办公室 发布时间: 2018-01-24 00:00". Longer labels come
// first so that "信息来源" wins over "来源".
var (
	sourceLabels = []string{"信息来源", "文章来源", "发布机构", "发布单位", "来源"}
	dateLabels   = []string{"发布时间", "发布日期", "发文日期", "成文日期", "更新时间", "时间", "日期"}
	otherLabels  = []string{"责任编辑", "浏览次数", "点击数", "访问次数", "阅读次数", "作者", "编辑", "字号"}
	metaLabels   = append(append(append([]string{}, sourceLabels...), dateLabels...), otherLabels...)
)

// labelAt returns the metadata label at the start of s followed by optional
// spaces and a colon, and the length of label, spaces and colon in bytes.
func labelAt(s string) (label string, n int) {
	for _, l := range metaLabels {
		if !strings.HasPrefix(s, l) {
			continue
		}
		rest := strings.TrimLeft(s[len(l):], " \u3000\u00a0")
		switch {
		case strings.HasPrefix(rest, ":"):
			return l, len(s) - len(rest) + 1
		case strings.HasPrefix(rest, "："):
			return l, len(s) - len(rest) + len("：")
		}
	}
	return "", 0
}

// isMetaLine reports a short line without 。 that starts with a metadata
// label and a colon.
func isMetaLine(p string) bool {
	if runeLen(p) > 120 || strings.Contains(p, "。") {
		return false
	}
	l, _ := labelAt(p)
	return l != ""
}

// parseMetaLine records the publisher and the publish date of a metadata
// line, keeping values found earlier.
func (c *cleaned) parseMetaLine(p string) {
	type field struct{ label, value string }
	var fields []field
	valueStart := -1
	for i := 0; i < len(p); {
		l, n := labelAt(p[i:])
		if l == "" {
			_, size := utf8.DecodeRuneInString(p[i:])
			i += size
			continue
		}
		if k := len(fields); k > 0 {
			fields[k-1].value = p[valueStart:i]
		}
		fields = append(fields, field{label: l})
		i += n
		valueStart = i
	}
	if k := len(fields); k > 0 {
		fields[k-1].value = p[valueStart:]
	}
	for _, f := range fields {
		v := strings.TrimSpace(f.value)
		switch {
		case containsString(sourceLabels, f.label):
			if c.publisher == "" && v != "" && runeLen(v) <= 60 {
				c.publisher = v
			}
		case containsString(dateLabels, f.label):
			if c.date == "" {
				c.date = findDate(v)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// findDate returns the first date in s written as 2018-01-24, 2018/1/24,
// 2018.1.24 or 2018年1月24日, as YYYY-MM-DD; "" if there is none.
func findDate(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		if i > 0 && isDigit(s[i-1]) {
			continue
		}
		if d, ok := dateAt(s[i:]); ok {
			return d
		}
	}
	return ""
}

// dateAt parses a date at the start of s.
func dateAt(s string) (string, bool) {
	y, rest, ok := digitsAt(s, 4, 4)
	if !ok || !hanzi.ValidYear(y) {
		return "", false
	}
	sep1, sep2, sep3 := "", "", ""
	for _, seps := range [][3]string{{"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"}} {
		if strings.HasPrefix(rest, seps[0]) {
			sep1, sep2, sep3 = seps[0], seps[1], seps[2]
			break
		}
	}
	if sep1 == "" {
		return "", false
	}
	m, rest, ok := digitsAt(rest[len(sep1):], 1, 2)
	if !ok || !strings.HasPrefix(rest, sep2) {
		return "", false
	}
	d, rest, ok := digitsAt(rest[len(sep2):], 1, 2)
	if !ok || !strings.HasPrefix(rest, sep3) {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// digitsAt parses min to max ASCII digits at the start of s, not followed by
// another digit.
func digitsAt(s string, min, max int) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < max && isDigit(s[i]) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i < min || i < len(s) && isDigit(s[i]) {
		return 0, s, false
	}
	return n, s[i:], true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// titleYear returns the first year written in s as 2018年, ２０１８年 or
// 二〇一八年, or 0.
func titleYear(s string) int {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	for i := 0; i < len(s); i++ {
		if i > 0 && isDigit(s[i-1]) {
			continue
		}
		if y, rest, ok := digitsAt(s[i:], 4, 4); ok && strings.HasPrefix(rest, "年") && hanzi.ValidYear(y) {
			return y
		}
	}
	rs := []rune(s)
	for i := 0; i+4 < len(rs); i++ {
		if rs[i+4] != '年' || i > 0 && cnDigit(rs[i-1]) >= 0 {
			continue
		}
		y := 0
		for _, r := range rs[i : i+4] {
			d := cnDigit(r)
			if d < 0 {
				y = -1
				break
			}
			y = y*10 + d
		}
		if hanzi.ValidYear(y) {
			return y
		}
	}
	return 0
}

// cnDigit returns the value of a Chinese digit as used in years (二〇一八),
// or -1.
func cnDigit(r rune) int {
	if i := strings.IndexRune("〇一二三四五六七八九", r); i >= 0 {
		return utf8.RuneCountInString("〇一二三四五六七八九"[:i])
	}
	switch r {
	case '零', 'O', '○':
		return 0
	}
	return -1
}

// parseYear parses a year given as metadata: "2018" or "2018年".
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "年"))
	if err != nil || !hanzi.ValidYear(y) {
		return 0, fmt.Errorf("year %q is not a year between %d and %d", s, hanzi.MinYear, hanzi.MaxYear)
	}
	return y, nil
}
