package fact

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A unitWord is a unit or counter written after a figure's scale, with
// its normalised name. Counters with no better English name (个, 家,
// 所...) keep the Chinese word as their unit.
type unitWord struct {
	word, unit string
}

// units are the units and counters Extract reads after a numeral, in any
// order (unitAt tries longer words first). A number followed by none of these, nor by % or a scale, is not
// a fact (a list number, a name such as "3.0").
var units = []unitWord{
	// money
	{"元人民币", "yuan"}, {"元", "yuan"}, {"美元", "usd"}, {"欧元", "eur"}, {"港元", "hkd"},
	// people
	{"人次", "person-time"}, {"人", "person"}, {"名", "person"}, {"位", "位"}, {"户", "household"},
	// mass
	{"吨", "tonne"}, {"公斤", "kg"}, {"千克", "kg"}, {"斤", "jin"},
	// area and length
	{"平方公里", "km2"}, {"平方千米", "km2"}, {"平方米", "m2"}, {"公顷", "hectare"}, {"亩", "mu"},
	{"公里", "km"}, {"千米", "km"}, {"米", "m"}, {"延米", "m"},
	// volume, energy, concentration
	{"立方米", "m3"}, {"方", "m3"}, {"千瓦时", "kwh"}, {"度", "kwh"}, {"千瓦", "kw"}, {"瓦", "w"},
	{"吨标准煤", "tce"}, {"吨标煤", "tce"}, {"标准箱", "teu"},
	{"微克/立方米", "ug/m3"}, {"微克每立方米", "ug/m3"}, {"微克", "ug/m3"},
	// time
	{"小时", "hour"}, {"天", "day"}, {"个月", "month"}, {"岁", "year-of-age"},
	// ratios
	{"倍", "times"}, {"‰", "permille"},
	// items counted
	{"项", "item"}, {"件", "item"},
	// counters kept as written
	{"个", "个"}, {"家", "家"}, {"所", "所"}, {"座", "座"}, {"条", "条"}, {"部", "部"}, {"场次", "场次"},
	{"场", "场"}, {"批", "批"}, {"批次", "批次"}, {"套", "套"}, {"台", "台"}, {"辆", "辆"}, {"头", "头"}, {"只", "只"},
	{"张", "张"}, {"间", "间"}, {"栋", "栋"}, {"处", "处"}, {"支", "支"}, {"列", "列"}, {"艘", "艘"},
	{"架", "架"}, {"株", "株"}, {"棵", "棵"}, {"种", "种"}, {"类", "类"}, {"款", "款"}, {"床", "床"},
	{"次", "次"}, {"亩次", "亩次"}, {"辆次", "辆次"}, {"架次", "架次"}, {"艘次", "艘次"}, {"车次", "车次"}, {"所次", "所次"}, {"套次", "套次"}, {"户次", "户次"}, {"宗", "宗"}, {"笔", "笔"},
	{"口", "口"}, {"盏", "盏"}, {"班", "班"}, {"片", "片"}, {"块", "块"}, {"根", "根"}, {"眼", "眼"},
}

// scaledOnly are units read only after a scale: 8100万方 is cubic metres,
// but 4方 is more often four parties than four cubic metres.
var scaledOnly = map[string]bool{"方": true}

// unitsByFirst indexes units by their first rune, longest word first, so
// that 人次 is tried before 人 and 千瓦时 before 千瓦.
var unitsByFirst = func() map[rune][]unitWord {
	m := map[rune][]unitWord{}
	for _, u := range units {
		r, _ := utf8.DecodeRuneInString(u.word)
		m[r] = append(m[r], u)
	}
	for _, us := range m {
		slices.SortStableFunc(us, func(a, b unitWord) int { return len(b.word) - len(a.word) })
	}
	return m
}()

// unitAt returns the unit written at the start of s.
func unitAt(s string) (unitWord, bool) {
	r, _ := utf8.DecodeRuneInString(s)
	for _, u := range unitsByFirst[r] {
		if strings.HasPrefix(s, u.word) {
			return u, true
		}
	}
	return unitWord{}, false
}

// isCounter reports whether u (a normalised unit) counts things (个, 家,
// item) rather than measuring them: a counter is often followed by what
// it counts ("建成6个农业园区").
func isCounter(u string) bool {
	return u == "item" || u != "" && u[0] >= utf8.RuneSelf
}
