package fact

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/indicator"
)

// inEnumeration reports whether the match m is one item of an enumeration
// that the figures after it share: 、 between it and the figure, 和 or 、
// right before it, or 、 before it and 分别 after it.
func inEnumeration(text string, from int, m indicator.Match, to int) bool {
	after := text[m.End:to]
	if strings.Contains(after, "、") {
		return true
	}
	if r, w := utf8.DecodeLastRuneInString(text[from:m.Start]); (r == '和' || r == '、' || r == '及') && m.Start-w > from {
		return true // 货物和服务进出口: the name is shared by the items before it
	}
	return strings.Contains(after, "分别") && strings.Contains(text[from:m.Start], "、")
}

// hasDigit reports whether s holds an Arabic digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			return true
		}
	}
	return false
}

// sectorHeads start the names of indicators that add up a whole sector
// (工业增加值, 服务业增加值, 出口, 技改投资). Written right after other
// words (能源工业增加值, 信息服务业增加值, 锂电池出口), they name a part of
// the sector, which the vocabulary's entry is not.
var sectorHeads = []string{"工业", "服务业", "制造业", "农业", "产业", "进出口", "出口", "进口", "外贸", "投资", "技改", "增加值"}

// scopeWords before a sector's name keep it whole: the report's own
// place (全省, 全市), 其中 and the verbs of a result.
var scopeWords = []string{"全省", "全市", "全区", "全县", "全州", "全国", "全自治区", "全社会", "其中", "实现", "完成", "规模以上", "规上"}

// narrowed reports whether the match m, whose alias starts with a sector
// head, follows other words of the same name.
func narrowed(text string, from int, m indicator.Match) bool {
	name := text[m.Start:m.End]
	head := false
	for _, h := range sectorHeads {
		if strings.HasPrefix(name, h) {
			head = true
			break
		}
	}
	if !head || m.Start <= from {
		return false
	}
	before := text[from:m.Start]
	r, _ := utf8.DecodeLastRuneInString(before)
	if r < 0x4E00 || r > 0x9FFF || r == '和' || r == '及' || r == '与' {
		return false
	}
	for _, w := range scopeWords {
		if strings.HasSuffix(before, w) {
			return false
		}
	}
	for _, w := range leadFillers {
		if strings.HasSuffix(before, w) {
			return false
		}
	}
	return true
}

// quantityWords end the name of a quantity. Written between a vocabulary
// match and its figure (农村危房改造竣工率, 5G基站万人拥有量), they make
// the figure a rate or ratio of the indicator rather than the indicator.
var quantityWords = []string{"率", "量", "数", "指数", "密度", "强度", "比例", "价格", "均价", "成本"}

// namesOtherQuantity reports whether the words between a match ending at
// from and the figure at to, up to the measure word and without fillers,
// end with a quantity word.
func namesOtherQuantity(text string, from, to int) bool {
	gap := text[from:to]
	if k, _, _ := lastMeasure(text, from, to); k >= 0 {
		gap = text[from:k]
	}
	gap = cleanLabel(gap)
	if gap == "" {
		return false
	}
	for _, w := range quantityWords {
		if strings.HasSuffix(gap, w) {
			return true
		}
	}
	return false
}

// ratioWords after an indicator, with 与 or 同 before it, make it the
// second term of a ratio (与GDP的比率, 同收入之比): the fact is about the
// ratio, which the vocabulary does not name.
var ratioWords = []string{"比率", "之比", "比值", "的比"}

// isRatio reports whether an indicator between before and after is the
// second term of a ratio.
func isRatio(before, after string) bool {
	if !strings.HasSuffix(before, "与") && !strings.HasSuffix(before, "同") {
		return false
	}
	for _, w := range ratioWords {
		if strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// shareMark returns where lead writes 占 (占全省, 占地区生产总值比重) or
// 占比, or -1. 占 inside 占用, 占地 (but 占地区生产总值 is a share),
// 抢占 is not a share.
func shareMark(lead string) int {
	for i := 0; ; {
		k := strings.Index(lead[i:], "占")
		if k < 0 {
			return -1
		}
		p := i + k
		i = p + len("占")
		if strings.HasSuffix(lead[:p], "抢") || strings.HasSuffix(lead[:p], "攻") {
			continue
		}
		rest := lead[i:]
		if strings.HasPrefix(rest, "用") || strings.HasPrefix(rest, "地") && !strings.HasPrefix(rest, "地区") ||
			strings.HasPrefix(rest, "领") || strings.HasPrefix(rest, "有") {
			continue
		}
		return p
	}
}

// nearestMatch returns the vocabulary match ending last within [from, to).
// Matches come in text order without overlaps, so their ends are ordered
// too and a binary search finds it.
func nearestMatch(ms []indicator.Match, from, to int) (indicator.Match, bool) {
	k := sort.Search(len(ms), func(i int) bool { return ms[i].End > to })
	for k--; k >= 0; k-- {
		if ms[k].End <= to && ms[k].Start >= from {
			return ms[k], true
		}
		if ms[k].Start < from {
			break
		}
	}
	return indicator.Match{}, false
}
