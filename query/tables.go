package query

import (
	"regexp"
	"slices"
	"strings"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/place"
)

// Questions answered with a table: several figures of one indicator at
// once. Tabulate reads which shape a question asks for from general ways of
// asking (a range of years, "since", "历年", "change"; "完成了…目标吗",
// "meet the target"; several places, "各省", "each province"), never from
// the words of any one question.

// TableShape is the shape of a table answer.
type TableShape string

// Table shapes.
const (
	// NoTable: the question asks for one figure (or for none).
	NoTable TableShape = ""
	// SeriesTable: one row per year ("2010到2022年全国GDP增长目标",
	// "How did China's GDP growth target change since 2010?").
	SeriesTable TableShape = "series"
	// TargetResultTable: a year's target against its result ("Did China
	// meet its 2016 GDP growth target?", "2016年GDP增长目标完成了吗").
	TargetResultTable TableShape = "target_result"
	// PlacesTable: one row per place ("各省2026年GDP增长目标", "Which
	// province had the highest growth target?").
	PlacesTable TableShape = "places"
)

// TableAsk is what a table question asks for.
type TableAsk struct {
	Shape TableShape
	// Years are the years of a series written as a range, every year from
	// the first to the last however wide (2010到2022年; Query.Years keeps
	// only the ends of a range wider than maxRangeYears); nil when the
	// question writes none.
	Years []int
	// Since is the first year of "since 2010", "2010年以来", "从2010年起":
	// the series runs from it to the newest year the reports give.
	Since int
	// Recent is set by "这几年", "近年来", "in recent years": the newest
	// few years the reports give (RecentYears).
	Recent bool
	// AllPlaces is set when a comparison names no places but a kind of
	// place ("各省", "each province"); Level is that kind ("" for any:
	// "各地").
	AllPlaces bool
	Level     place.Level
}

// RecentYears is how many of the newest years "这几年" and "in recent
// years" mean.
const RecentYears = 5

// maxSeriesYears bounds the years a written range is read as (a series
// of the reports' whole span is about forty years).
const maxSeriesYears = 50

// Words that ask for figures over years, as Chinese and English staff ask.
var (
	everyYearZH  = []string{"历年", "每年", "各年", "逐年", "历次", "历届"}
	recentZH     = []string{"这几年", "近几年", "近年来", "近些年", "这些年", "最近几年"}
	changeZH     = []string{"变化", "趋势", "走势", "演变", "变动", "怎么变"}
	everyYearEN  = []string{"each year", "every year", "year by year", "over the years", "by year", "all years", "history of"}
	recentEN     = []string{"recent years", "past few years", "last few years", "in recent", "these years"}
	changeEN     = []string{"change", "changed", "changes", "changing", "trend", "trends", "evolve", "evolved", "evolution"}
	sinceZH      = regexp.MustCompile(`(\d{4})\s*年?\s*(以来|起|至今|开始|后)`)
	fromZH       = regexp.MustCompile(`[从自]\s*(\d{4})`)
	sinceEN      = regexp.MustCompile(`(?i)\b(since|from|after)\s+(\d{4})\b`)
	targetWordRE = regexp.MustCompile(`(?i)\b(targets?|goals?|objectives?|aims?)\b`)
	meetWordRE   = regexp.MustCompile(`(?i)\b(meet|met|meets|meeting|achieve|achieved|achieves|reach|reached|reaches|hit|hits|miss|missed|misses|fulfil|fulfill|fulfilled|fulfils|fulfills|attain|attained|exceed|exceeded|beat)\b`)
	versusEN     = regexp.MustCompile(`(?i)\btargets?\s+(vs\.?|versus|against|and)\s+(the\s+)?(actual|actuals|results?|outcomes?)\b|\b(actual|results?|outcomes?)\s+(vs\.?|versus|against)\s+(the\s+)?targets?\b`)
)

// Chinese ways of asking whether a target was met: an achievement verb
// asked about (是否完成, 有没有实现, 完成了吗, 实现了…目标没有) or its
// state (完成情况).
var (
	achieveZH  = []string{"完成", "实现", "达到", "达成", "做到", "达标", "兑现"}
	askBefore  = []string{"是否", "有没有", "有无", "能否", "是不是"}
	askAfter   = []string{"吗", "没有", "了没", "与否", "没", "么", "怎么样", "得如何", "如何"}
	stateAfter = []string{"情况", "程度", "与否"}
	// statedBefore end the words of a target before its verb (目标是实现).
	statedBefore = []string{"是", "为", "要", "力争", "确保", "争取", "努力"}
)

// Words that compare places of a kind without naming them.
var (
	provincesZH = []string{"各省", "各个省", "各省份", "哪个省", "哪些省", "哪一个省", "哪一省", "全国各省", "31个省"}
	citiesZH    = []string{"各市", "各地市", "各城市", "哪个市", "哪些市", "哪个城市", "哪些城市", "各设区市"}
	countiesZH  = []string{"各县", "各区县", "各县区", "各县市区", "哪个县", "哪些县", "哪个区", "各区"}
	anyPlaceZH  = []string{"各地", "各地区", "哪个地区", "哪些地区", "哪个地方", "哪些地方", "各地方"}
	provincesEN = []string{"each province", "every province", "all provinces", "which province", "which provinces", "the provinces", "provinces", "by province", "across provinces"}
	citiesEN    = []string{"each city", "every city", "all cities", "which city", "which cities", "the cities", "by city", "across cities"}
	anyPlaceEN  = []string{"each region", "every region", "all regions", "which region", "which regions", "the regions", "by region", "across regions", "localities"}
)

// Tabulate reports the table a question asks for: a comparison of places
// when it names several or a kind of place ("各省"); else a target against
// its result when it asks whether a target was met; else a series when it
// asks about years as a span (a range, "since", "历年", "这几年", three or
// more years) or about a change over time. A question naming no
// indicator is no table question: a table holds one indicator's figures.
func Tabulate(q Query) TableAsk {
	if len(q.Indicators) == 0 {
		return TableAsk{}
	}
	text := digitYears(q.Text)
	lower := strings.ToLower(text)
	words := " " + strings.Join(englishWords(lower), " ") + " "
	t := TableAsk{Years: seriesRange(text)}
	t.Since = sinceYear(text)
	if q.Lang == "zh" {
		t.Recent = ContainsAny(lower, recentZH)
	} else {
		t.Recent = ContainsAny(words, padWords(recentEN))
	}
	// A comparison of places.
	switch lvl, ok := placeKind(q.Lang, lower, words); {
	case ok:
		t.Shape, t.AllPlaces, t.Level = PlacesTable, true, lvl
		return t
	case namedPlaces(q.Text, q.Places) >= 2:
		t.Shape = PlacesTable
		return t
	}
	if asksTargetMet(q.Lang, text, lower) {
		t.Shape = TargetResultTable
		return t
	}
	span := len(t.Years) >= 2 || t.Since != 0 || t.Recent || len(q.Years) >= 3
	// "历年", "change" with one year named ask about that year, not a span.
	if len(q.Years) != 1 {
		if q.Lang == "zh" {
			span = span || ContainsAny(lower, everyYearZH) || ContainsAny(lower, changeZH)
		} else {
			span = span || ContainsAny(words, padWords(everyYearEN)) || ContainsAny(words, padWords(changeEN))
		}
	}
	if span {
		t.Shape = SeriesTable
	}
	return t
}

// distinctPlaces drops China itself from the places a question names: "各省"
// or "China's provinces" compare provinces, not China with them.
func distinctPlaces(ps []place.Place) []place.Place {
	return slices.DeleteFunc(slices.Clone(ps), func(p place.Place) bool { return p.Code == place.NationalCode })
}

// namedPlaces counts the places text names by different words: an
// ambiguous name ("Hainan": the province, and districts of that name)
// found as several places counts once.
func namedPlaces(text string, ps []place.Place) int {
	lower := strings.ToLower(text)
	seen := map[string]bool{}
	for _, p := range distinctPlaces(ps) {
		key := ""
		for _, n := range append(append([]string{p.Name}, p.Short...), p.English...) {
			if n = strings.ToLower(n); len(n) > len(key) && strings.Contains(lower, n) {
				key = n
			}
		}
		if key == "" {
			key = p.Code
		}
		// A name inside a longer one found before (江西 in 江西省) is the
		// same mention.
		dup := false
		for k := range seen {
			if strings.Contains(k, key) || strings.Contains(key, k) {
				dup = true
			}
		}
		if !dup {
			seen[key] = true
		}
	}
	return len(seen)
}

// placeKind reads the kind of place a question compares without naming
// them.
func placeKind(lang, lower, words string) (place.Level, bool) {
	if lang == "zh" {
		switch {
		case ContainsAny(lower, provincesZH):
			return place.Province, true
		case ContainsAny(lower, citiesZH):
			return place.Prefecture, true
		case ContainsAny(lower, countiesZH):
			return place.County, true
		case ContainsAny(lower, anyPlaceZH):
			return "", true
		}
		return "", false
	}
	switch {
	case ContainsAny(words, padWords(provincesEN)):
		return place.Province, true
	case ContainsAny(words, padWords(citiesEN)):
		return place.Prefecture, true
	case ContainsAny(words, padWords(anyPlaceEN)):
		return "", true
	}
	return "", false
}

// asksTargetMet reports whether a question asks whether a target was met.
// In Chinese an achievement verb must be asked about: preceded by 是否 or
// 有没有, followed by a question word (完成了吗, 实现了…目标没有), or
// followed by 情况 (目标完成情况); "目标是实现增长5%" asks for the target.
func asksTargetMet(lang, text, lower string) bool {
	if lang != "zh" {
		return (meetWordRE.MatchString(lower) && targetWordRE.MatchString(lower)) || versusEN.MatchString(lower)
	}
	s := strings.TrimRight(text, "?？!！。. ")
	for _, v := range achieveZH {
		for off := 0; ; {
			i := strings.Index(s[off:], v)
			if i < 0 {
				break
			}
			i += off
			before, after := s[:i], s[i+len(v):]
			switch {
			case ContainsAny(before, askBefore):
				return true
			case endsWithAny(before, statedBefore):
				// 目标是实现…, 力争实现…: the target's own wording.
			case ContainsAny(after, []string{"吗", "没有", "了没", "与否"}) || endsWithAny(s, askAfter):
				return true
			}
			for _, w := range stateAfter {
				if strings.HasPrefix(strings.TrimPrefix(after, "的"), w) {
					return true
				}
			}
			off = i + len(v)
		}
	}
	return false
}

func endsWithAny(s string, ends []string) bool {
	for _, e := range ends {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

// seriesRange reads the first range of years text writes ("2010到2022年",
// "2016-2020", "from 2010 to 2015") as every year from the first to the
// last, at most maxSeriesYears; nil when it writes none.
func seriesRange(text string) []int {
	r := []rune(text)
	var ms []yearAt
	var f yearsFound
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			i++
			continue
		}
		j := digitChainEnd(r, i)
		ms = append(ms, asciiYears(r, i, j, &f)...)
		i = j
	}
	for k := 1; k < len(ms); k++ {
		a, b := ms[k-1], ms[k]
		if !isRangeBetween(r, a, b) {
			continue
		}
		if b.year <= a.year || b.year-a.year >= maxSeriesYears || !hanzi.ValidYear(a.year) || !hanzi.ValidYear(b.year) {
			return nil
		}
		var ys []int
		for y := a.year; y <= b.year; y++ {
			ys = append(ys, y)
		}
		return ys
	}
	return nil
}

// sinceYear is the year of "since 2010", "2010年以来", "从2010年起"; 0
// when the text has none (or it starts a range: "从2010年到2015年").
func sinceYear(text string) int {
	if seriesRange(text) != nil {
		return 0
	}
	for _, re := range []*regexp.Regexp{sinceZH, fromZH, sinceEN} {
		for _, g := range re.FindStringSubmatch(text) {
			if y := atoi(g); len(g) == 4 && strings.Trim(g, "0123456789") == "" && hanzi.ValidYear(y) {
				return y
			}
		}
	}
	return 0
}
