package fact

import (
	"strings"
	"unicode/utf8"
)

// rangeSeps join two numerals into a range: 5%-5.5%, 5—5.5%, 5%至5.5%.
var rangeSeps = []string{"-", "—", "–", "－", "~", "～", "至"}

// findFigures returns the figures of text that can be facts, in order,
// with their qualifiers, units and ranges (see Extract for what is
// skipped).
func findFigures(text string) []figure {
	var nums []numeral
	scanNumerals(text, false, func(n numeral) { nums = append(nums, n) })
	var out, pending []figure
	for k := 0; k < len(nums); k++ {
		n := nums[k]
		if isName(text, n) {
			continue
		}
		f, ok := complete(text, n)
		if r, joined := joinRange(text, nums, k, f, ok); joined {
			f, ok = r, true
			k++
		}
		if !ok {
			if awaitsUnit(text, nums, k, f) {
				pending = append(pending, f) // 15、22个百分点: the unit comes last
			} else {
				pending = pending[:0]
			}
			continue
		}
		if attributive(text, f) || opensName(text, f.start) {
			pending = pending[:0]
			continue
		}
		if f.unit == "%" || f.unit == "pp" {
			out = shareUnit(text, out, pending, f)
		}
		pending = pending[:0]
		out = append(out, f)
	}
	return out
}

// joinRange reads a range: the figure f of nums[k] (ok when complete), a
// dash or 至, and a complete figure of the same unit (or f bare: 5-5.5%).
// It returns the range and true, or false when nums[k] starts none.
func joinRange(text string, nums []numeral, k int, f figure, ok bool) (figure, bool) {
	if k+1 >= len(nums) {
		return f, false
	}
	n, next := nums[k], nums[k+1]
	sep := rangeSep(text[f.end:])
	if sep <= 0 || next.start != f.end+sep || isName(text, next) {
		return f, false
	}
	g, gok := complete(text, next)
	if !gok || ok && f.unit != g.unit {
		return f, false
	}
	lo := n.value
	if !ok && next.mult > 0 && n.mult == 0 {
		lo *= next.mult // 3-5万人
	}
	return figure{start: f.start, end: g.end, number: lo, upper: g.upper, unit: g.unit,
		qualifier: f.qualifier + g.qualifier}, true
}

// awaitsUnit reports whether the bare figure f of nums[k] is an item of an
// enumeration whose unit comes last: 、 and the next numeral follow it
// (15、22个百分点).
func awaitsUnit(text string, nums []numeral, k int, f figure) bool {
	return strings.HasPrefix(text[f.end:], "、") && k+1 < len(nums) && nums[k+1].start == f.end+len("、")
}

// shareUnit gives the unit of f, a percentage or percentage points, to the
// earlier numbers of its enumeration, which write it once at its end
// (15、22个百分点, 12.7个、12个百分点): the figures of out counted in 个
// and the pending bare numbers, which it appends to out. It returns out.
func shareUnit(text string, out, pending []figure, f figure) []figure {
	for i := len(out) - 1; i >= 0 && out[i].unit == "个" && enumerated(text, out[i].end, f.start, out, i); i-- {
		out[i].unit = f.unit
	}
	if len(pending) > 0 && enumerated(text, pending[len(pending)-1].end, f.start, nil, 0) {
		for _, p := range pending {
			p.unit = f.unit
			out = append(out, p)
		}
	}
	return out
}

// enumerated reports whether text[end:next] only separates the items of
// an enumeration (、) and, when out is given, out[i] is followed directly
// by the next figure or another item of the enumeration.
func enumerated(text string, end, next int, out []figure, i int) bool {
	if out != nil && i+1 < len(out) {
		next = out[i+1].start
	}
	return strings.TrimSpace(text[end:next]) == "、"
}

// rangeSep returns the length of the range separator s starts with, or 0.
func rangeSep(s string) int {
	for _, sep := range rangeSeps {
		if strings.HasPrefix(s, sep) {
			return len(sep)
		}
	}
	return 0
}

// complete reads the qualifiers and unit around a numeral. ok is false
// for a bare number (no %, 个百分点, scale or unit): a list number, a
// year, a date, a name.
func complete(text string, n numeral) (figure, bool) {
	f := figure{start: n.start, end: n.end, number: n.value, unit: n.unit}
	ok := n.unit != "" || n.scaled || n.chinese && strings.ContainsAny(n.digits, "万亿")
	inner := ""
	if n.unit == "" {
		rest := text[f.end:]
		for _, q := range innerQualifiers {
			if strings.HasPrefix(rest, q) {
				if _, uok := unitAt(rest[len(q):]); uok {
					inner = q
					f.end += len(q)
				}
				break
			}
		}
		if u, uok := unitAt(text[f.end:]); uok && !(n.chinese && (isCounter(u.unit) || u.unit == "person-time")) && (n.scaled || !scaledOnly[u.word]) {
			// Chinese numerals before a counter are too often ordinals
			// or names (十一次全会, 三十条): only measures count.
			f.unit, f.end, ok = u.unit, f.end+len(u.word), true
		} else if inner != "" {
			f.end -= len(inner)
			inner = ""
		}
	}
	prefix := ""
	for _, q := range prefixQualifiers {
		if strings.HasSuffix(text[:f.start], q) {
			prefix = q
			f.start -= len(q)
			break
		}
	}
	suffix := ""
	for _, q := range suffixQualifiers {
		if strings.HasPrefix(text[f.end:], q) {
			suffix = q
			f.end += len(q)
			break
		}
	}
	f.qualifier = prefix + inner + suffix
	f.upper = f.number
	return f, ok
}

// isName reports whether a numeral is part of a name or an ordinal: it
// touches an ASCII letter (5G, G20, PM2.5) or follows 第.
func isName(text string, n numeral) bool {
	if n.start > 0 {
		c := text[n.start-1]
		if isASCIILetter(c) || c == '.' || c == '-' && n.start > 1 && isASCIILetter(text[n.start-2]) {
			return true
		}
	}
	if strings.HasSuffix(text[:n.start], "第") {
		return true
	}
	if !n.chinese && n.unit == "" && !n.scaled {
		e := digitRun(text, n.start)
		for e < len(text) && (text[e] == '.' || text[e] == ',' || isASCIIDigit(text[e])) {
			e++
		}
		if e < len(text) && isASCIILetter(text[e]) {
			return true // 5G, 4K
		}
	}
	return false
}

// opensName reports whether the figure at start follows an opening quote
// or title mark: “80条”, 《…》 name a policy or a work.
func opensName(text string, start int) bool {
	for _, o := range nameOpeners {
		if strings.HasSuffix(text[:start], o) {
			return true
		}
	}
	return false
}

// attributive reports whether a figure describes the noun after it rather
// than stating a fact: a threshold (10亿元以上重大项目, 5000万元以下企业)
// or an amount of money (超10亿元项目, 亿元级) followed directly by a
// noun. A counter followed by a noun is a fact about that noun (6个农业
// 园区) and is kept.
func attributive(text string, f figure) bool {
	threshold := strings.HasSuffix(f.qualifier, "以上") || strings.HasSuffix(f.qualifier, "以下")
	money := f.unit == "yuan" || f.unit == "usd"
	if !threshold && !money {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[f.end:])
	if r < 0x4E00 || r > 0x9FFF || r == '的' || r == '和' || r == '及' || r == '与' {
		return false
	}
	if k, _, _ := lastMeasure(text, f.end, min(len(text), f.end+len("分别达到"))); k == f.end {
		return false // 1000亿元增长: a measure follows
	}
	return !strings.HasPrefix(text[f.end:], "人民币")
}
