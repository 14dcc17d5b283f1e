package answer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/place"
	"github.com/reportbot/reportbot/query"
)

// A figure question names an indicator of the vocabulary and asks for a
// number; it is answered from the table of facts first (ChooseFacts): the
// place, year, kind, indicator and measure of a fact must fit the question.

// FactQuestion reports whether q is answered from facts first: it names an
// indicator and asks for a figure (a quantity, a target, a growth...).
func FactQuestion(q query.Query) bool {
	return len(q.Indicators) > 0 && (q.Want.Quantity || q.Want.PreferNumber || q.Measure != "" || q.Kind != corpus.PeriodUnknown || len(q.Years) > 0)
}

// ChooseFacts returns the facts of cands that answer q, best first: of a
// place q names (or of a report of unknown place), about a year it names
// (the newest year of the candidates when it names none), of the kind it
// asks for, and with the measure and unit it asks for. hits are the
// question's retrieved passages: a fact in a better-ranked passage wins a
// tie. None fit: nil.
func ChooseFacts(q query.Query, cands []index.FactHit, hits []index.Hit, places *place.Finder) []index.FactHit {
	var fit []index.FactHit
	for _, c := range cands {
		if factPlaceFits(q, c, places) && factKindFits(q, c) && factMeasureFits(q, c.Fact) && factUnitFits(q, c.Fact) && factYear(c) != 0 {
			fit = append(fit, c)
		}
	}
	if len(q.Years) > 0 {
		fit = slices.DeleteFunc(fit, func(c index.FactHit) bool { return !slices.Contains(q.Years, factYear(c)) })
	} else if len(fit) > 0 {
		newest := 0
		for _, c := range fit {
			newest = max(newest, factYear(c))
		}
		fit = slices.DeleteFunc(fit, func(c index.FactHit) bool { return factYear(c) != newest })
	}
	if len(q.Qualifiers) > 0 {
		// 地方财政赤字 is not the whole deficit: the clause must say 地方.
		fit = slices.DeleteFunc(fit, func(c index.FactHit) bool {
			clause := c.Passage.Text[c.Fact.Start:c.Fact.End]
			return slices.ContainsFunc(q.Qualifiers, func(w string) bool { return !strings.Contains(clause, w) })
		})
	}
	if len(fit) == 0 {
		return nil
	}
	preferred := usualMeasure(q, fit)
	rank := map[string]int{}
	for i, h := range hits {
		if _, ok := rank[h.Passage.ID]; !ok {
			rank[h.Passage.ID] = i + 1
		}
	}
	score := func(c index.FactHit) float64 {
		s := 1.0
		s *= kindWeight(q, c)
		if q.Measure == "" && effectiveMeasure(c.Fact) == preferred {
			s *= factMeasureDefault
		}
		if aliasNamed(q, c.Fact) {
			s *= factLabelExact
		}
		if r, ok := rank[c.Passage.ID]; ok {
			s *= 1 + factRetrieved/float64(r)
		}
		if c.Fact.Kind == fact.KindResult && approximate(c.Fact) {
			s *= factApproximateResult
		}
		if !unitOfIndicator(c.Fact) {
			s *= factUnitOther // 经济总量跨过3个万亿元大关: 3 is no GDP
		}
		if q.Kind == corpus.PeriodUnknown && c.Fact.Kind == fact.KindResult {
			s *= factResultUnasked // "2012年GDP增长多少": what happened
		}
		return s
	}
	slices.SortStableFunc(fit, func(a, b index.FactHit) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.Row, b.Row) // earlier in the report: the main targets come first
	})
	return fit
}

// Words that make a reported result a threshold or an estimate rather than
// the figure itself: 突破4000亿元, 超过3万亿元, 近70万辆. A result question
// prefers the exact figure when the reports give both.
var (
	approximateQualifiers = []string{"超过", "大约", "将近", "约", "近", "超", "逾", "多", "余", "以上"}
	thresholdMeasures     = []string{"突破", "超过", "迈上", "跨过", "跨入", "跨上", "站上", "接近"}
)

func approximate(f fact.Fact) bool {
	return slices.Contains(approximateQualifiers, f.Qualifier) || slices.Contains(thresholdMeasures, f.MeasureText)
}

// YearIn keeps the facts whose year (as ChooseFacts reads it) is one of
// years: ChooseFacts over the facts it keeps chooses what it chooses over
// all of them when the question names years (index.FactsAboutIn).
func YearIn(years []int) index.FactKeep {
	return func(fa fact.Fact, period corpus.Period, r corpus.Report) bool {
		c := index.FactHit{Fact: fa, Report: r}
		c.Passage.Period = period
		return slices.Contains(years, factYear(c))
	}
}

// factYear is the year a fact is about: its own, else its passage's
// section year, else the year its kind implies in its report.
func factYear(c index.FactHit) int {
	if c.Fact.Year != 0 {
		return c.Fact.Year
	}
	if c.Passage.Period.Year != 0 {
		return c.Passage.Period.Year
	}
	// A section without a year (主要预期目标 under a heading that names
	// none): a report of year Y sets Y's targets and reviews Y-1's results.
	switch {
	case c.Report.Year == 0:
		return 0
	case c.Fact.Kind == fact.KindTarget:
		return c.Report.Year
	case c.Fact.Kind == fact.KindResult || c.Fact.Kind == fact.KindFiveYears:
		return c.Report.Year - 1
	}
	return 0
}

// FactsOfPlaces keeps the facts of cands that can speak for q's places
// (see factPlaceFits): filtered once, they go to ChooseFacts, FactsGiven
// and OnlyOtherYears with a nil place finder.
func FactsOfPlaces(q query.Query, cands []index.FactHit, places *place.Finder) []index.FactHit {
	return slices.DeleteFunc(slices.Clone(cands), func(c index.FactHit) bool { return !factPlaceFits(q, c, places) })
}

// factPlaceFits: the fact's report is of a place q names (or of unknown
// place), and its clause is not about a place inside the report's
// ("武汉跨入地区生产总值两万亿级城市行列" in Hubei's report is Wuhan's GDP,
// not Hubei's).
func factPlaceFits(q query.Query, c index.FactHit, places *place.Finder) bool {
	if len(q.Places) > 0 && c.Report.Place != "" && !placeMatches(q, c.Report.Place) {
		return false
	}
	if places == nil || c.Report.Place == "" {
		return true
	}
	cat := places.Catalog()
	for _, p := range places.Find(c.Passage.Text[c.Fact.Start:c.Fact.End]) {
		if p.Code != c.Report.Place && !placeMatches(q, p.Code) && cat.Within(p.Code, c.Report.Place) {
			return false
		}
	}
	return true
}

// factKindFits: a question asking for targets wants a target, one asking
// for results a result; one that does not say takes either, but not an
// average or a running total, which answer only questions that ask for
// them (年均, 累计 are kinds of their own). A fact of unknown kind, and for
// a target question an estimate (预计: what a year was expected to give,
// before it closed), fit too but rank below (kindWeight).
func factKindFits(q query.Query, c index.FactHit) bool {
	return kindWeight(q, c) > 0
}

// estimateWords mark a figure given before its year closed.
var estimateWords = []string{"预计"}

// kindWeight is how well the fact's kind fits the kind q asks for: 1 for
// the kind asked, factKindUnknown or factEstimate for the near fits above,
// 0 for none. Only a question about five years' results together
// (q.FiveYears) takes what five years added (fact.KindFiveYears), and
// averages and totals, and nothing else; a plan's targets
// (fact.KindPlan) answer no question of one year.
func kindWeight(q query.Query, c index.FactHit) float64 {
	f := c.Fact
	if q.FiveYears && q.Kind != corpus.PeriodTarget {
		// "过去五年新增就业多少": what the five years added, or their
		// average or total; one year's result is not theirs.
		switch f.Kind {
		case fact.KindFiveYears, fact.KindAverage, fact.KindCumulative:
			return 1
		}
		return 0
	}
	kind := q.Kind
	if q.KindInherited {
		// A follow-up that does not say ("2017年呢?") takes either kind,
		// preferring the earlier question's.
		if (kind == corpus.PeriodTarget && f.Kind == fact.KindTarget) || (kind == corpus.PeriodActual && f.Kind == fact.KindResult) {
			return 1
		}
		kind = corpus.PeriodUnknown
		if f.Kind == fact.KindTarget || f.Kind == fact.KindResult {
			return factKindInherited
		}
	}
	switch kind {
	case corpus.PeriodTarget:
		switch {
		case f.Kind == fact.KindTarget:
			return 1
		case f.Kind == fact.KindUnknown:
			return factKindUnknown
		case f.Kind == fact.KindResult && query.ContainsAny(c.Passage.Text[f.Start:f.End], estimateWords):
			return factEstimate
		}
		return 0
	case corpus.PeriodActual:
		switch f.Kind {
		case fact.KindResult:
			return 1
		case fact.KindUnknown:
			return factKindUnknown
		}
		return 0
	}
	switch f.Kind {
	case fact.KindTarget, fact.KindResult:
		return 1
	case fact.KindUnknown:
		return factKindUnknown
	}
	return 0
}

// factMeasureFits: growth answers a growth question, a decline a decline
// question, and a level, limit or total a question about the amount; a
// ceiling (控制在) answers a question about a growth rate or a decline too
// (涨幅控制在3%). A percentage given for an indicator counted in an amount
// (yuan, people, tonnes) is its rate of change: "经济增长预期为7%" is growth.
func factMeasureFits(q query.Query, f fact.Fact) bool {
	m := effectiveMeasure(f)
	switch q.Measure {
	case query.MeasureGrowth:
		return m == fact.MeasureGrowth || m == fact.MeasureLimit
	case query.MeasureDecline:
		return m == fact.MeasureDecline || m == fact.MeasureLimit
	case query.MeasureLevel:
		return m == fact.MeasureLevel || m == fact.MeasureLimit || m == fact.MeasureCumulative
	}
	return true
}

// effectiveMeasure is the fact's measure, with a level in percent of an
// amount indicator read as growth.
func effectiveMeasure(f fact.Fact) string {
	if f.Measure == fact.MeasureLevel && f.Unit == "%" {
		if in, ok := indicator.Default().Get(f.Indicator); ok && in.Unit != "" && in.Unit != "percent" && in.Unit != "index" {
			return fact.MeasureGrowth
		}
	}
	return f.Measure
}

// usualMeasure is the measure a question that names none most likely
// means, given the facts that fit it: the level for a count ("多少人") and
// for a result when the reports give one (what a year's result "was" is
// the amount itself); else the measure the fitting facts state most often
// (growth for GDP targets, the level for a deficit).
func usualMeasure(q query.Query, fit []index.FactHit) string {
	if q.Want.Unit != "" {
		return fact.MeasureLevel
	}
	results, level := true, false
	n := map[string]int{}
	best := ""
	for _, c := range fit {
		results = results && c.Fact.Kind == fact.KindResult
		m := effectiveMeasure(c.Fact)
		level = level || m == fact.MeasureLevel
		n[m]++
		if n[m] > n[best] || (n[m] == n[best] && m < best) {
			best = m
		}
	}
	// A result, or a quantity asked without a measure and not as a
	// target ("2006年国内生产总值多少"), is the amount when the reports
	// give it.
	if level && (results || q.Want.Quantity && q.Kind != corpus.PeriodTarget) {
		return fact.MeasureLevel
	}
	return best
}

// factUnitFits: a question asking for a unit ("多少万吨", "in yuan") wants
// a figure in a unit of that dimension.
func factUnitFits(q query.Query, f fact.Fact) bool {
	want := unitDimension(q.Want.Unit)
	if want == "" {
		return true
	}
	return unitDimension(f.Unit) == want
}

// unitDimension maps a unit, Chinese as a question writes it or normalised
// as a fact holds it, to what it measures; "" when unknown.
func unitDimension(u string) string {
	switch {
	case u == "":
		return ""
	case u == "%" || u == "pp" || strings.Contains(u, "百分"):
		return "ratio"
	case u == "yuan" || strings.HasSuffix(u, "元"):
		return "money"
	case u == "person" || u == "人" || strings.HasSuffix(u, "人"):
		return "people"
	case u == "tonne" || u == "jin" || strings.HasSuffix(u, "吨") || strings.HasSuffix(u, "斤"):
		return "mass"
	}
	return ""
}

// aliasNamed reports whether the fact's label holds the indicator words the
// question wrote (地方一般公共预算收入 asked, and written in the report).
func aliasNamed(q query.Query, f fact.Fact) bool {
	for _, m := range q.Indicators {
		if m.ID == f.Indicator && strings.Contains(strings.ToLower(f.Label), m.Alias) {
			return true
		}
	}
	return false
}

// FactEvidence turns a chosen fact into evidence for Compose: its clause,
// in its sentence.
func FactEvidence(c index.FactHit) Evidence {
	text := c.Passage.Text
	sent := Span{0, len(text)}
	for _, s := range SplitSpans(text, SentenceEnds, 0) {
		if s.Start <= c.Fact.Start && c.Fact.End <= s.End {
			sent = s
			break
		}
	}
	h := index.Hit{Passage: c.Passage, Report: c.Report, Score: 1}
	return Evidence{Hit: h, Text: TrimPunct(text, Span{c.Fact.Start, c.Fact.End}), Sentence: TrimPunct(text, sent), Score: 1, Coverage: 1, TypeOK: true}
}

// UsedFact is a fact an answer was made from, with where it is.
type UsedFact struct {
	fact.Fact
	PassageID string `json:"passage_id"`
	ReportID  string `json:"report_id"`
	// Quote is the clause that states it; English is the sentence built
	// from it for an English question.
	Quote   string `json:"quote"`
	English string `json:"english,omitempty"`
}

// ComposeFacts writes the answer from the chosen facts (best first): the
// clause of the best one, quoted and cited as Compose does; for an English
// question, an English sentence built from the fact comes first, the
// Chinese quote after it as its citation.
func ComposeFacts(a *Answer, best []index.FactHit) {
	c := best[0]
	ev := FactEvidence(c)
	Compose(a, []Evidence{ev})
	// The fact's passage heads the answer's passages, found by the table
	// of facts even when the search ranked it lower.
	a.Hits = slices.DeleteFunc(a.Hits, func(h index.Hit) bool { return h.Passage.ID == c.Passage.ID })
	a.Hits = append([]index.Hit{ev.Hit}, a.Hits...)
	used := UsedFact{Fact: c.Fact, PassageID: c.Passage.ID, ReportID: c.Report.ID, Quote: c.Passage.Text[c.Fact.Start:c.Fact.End]}
	if a.Query.Lang == "en" {
		used.English = c.Fact.English(indicator.Default())
		if used.English != "" {
			a.Text = capitalize(used.English) + " [1]\n" + a.Text
		}
	}
	a.Facts = append(a.Facts, used)
}

// capitalize upper-cases the first letter of an ASCII sentence.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// NamesIndicator reports whether the window of evidence for a figure
// question names one of the indicators the question asks about: an
// extractive answer to "what was the grain output" must speak of grain
// output.
func NamesIndicator(q query.Query, e Evidence, v *indicator.Vocabulary) bool {
	for _, m := range v.Find(e.Text) {
		for _, want := range q.Indicators {
			if m.ID == want.ID {
				return true
			}
		}
	}
	return false
}

// maxGiven bounds the facts a "not found" answer lists as what the reports
// do give.
const maxGiven = 3

// FactsGiven are the facts about q's indicators in the reports of its
// places that do not answer it, most relevant first (the year asked, then
// the kind asked, then report order), at most maxGiven: what a "not found"
// answer tells the reader the reports do give.
func FactsGiven(q query.Query, cands []index.FactHit, places *place.Finder) []index.FactHit {
	var out []index.FactHit
	for _, c := range cands {
		if factPlaceFits(q, c, places) && factYear(c) != 0 {
			out = append(out, c)
		}
	}
	rel := func(c index.FactHit) int {
		r := 0
		if slices.Contains(q.Years, factYear(c)) {
			r += 2
		}
		if factKindFits(q, c) {
			r++
		}
		return r
	}
	if PassagesDecideYears(q) && !slices.ContainsFunc(out, func(c index.FactHit) bool { return slices.Contains(q.Years, factYear(c)) }) {
		return nil
	}
	slices.SortStableFunc(out, func(a, b index.FactHit) int { return cmp.Compare(rel(b), rel(a)) })
	// One fact per passage: the list shows different statements.
	seen := map[string]bool{}
	out = slices.DeleteFunc(out, func(c index.FactHit) bool {
		dup := seen[c.Passage.ID]
		seen[c.Passage.ID] = true
		return dup
	})
	return out[:min(len(out), maxGiven)]
}

// PassagesDecideYears reports whether, when no fact is about a year q
// names, the extractive answerer decides: the facts cannot tell "not
// given" from "not read" (see OnlyOtherYears), and FactsGiven gives
// nothing. Not for the past five years (q.FiveYears): a passage's sentence
// about one year is no answer to them, so what the facts give is listed.
func PassagesDecideYears(q query.Query) bool { return len(q.Years) > 0 && !q.FiveYears }

// FactsGivenOfYears is FactsGiven over near, the facts of q's years alone
// that fit its places, in the order they come among all its indicators'
// facts. Facts of the years asked rank above any other in FactsGiven, so
// when near fills its list (complete), FactsGiven over all the facts gives
// the same, and those of other years need not be read.
func FactsGivenOfYears(q query.Query, near []index.FactHit) (given []index.FactHit, complete bool) {
	given = FactsGiven(q, near, nil)
	return given, len(given) == maxGiven
}

// FactsNotFound makes a the "not found" answer of a figure question whose
// indicator the reports give only for other years, kinds or measures: it
// says so and lists what they give, each with its passage as a closest
// citation ("报告中未找到所问的数字。报告给出的是: 2026年目标: 地区生产总值增长5%左右 [1]").
func FactsNotFound(a *Answer, given []index.FactHit) {
	NotFound(a)
	if len(given) == 0 {
		return
	}
	var b strings.Builder
	q := a.Query
	yearAsked := func(c index.FactHit) bool { return len(q.Years) == 0 || slices.Contains(q.Years, factYear(c)) }
	kindGiven := slices.ContainsFunc(given, func(c index.FactHit) bool { return yearAsked(c) && kindWeight(q, c) == 1 })
	other := fact.KindResult
	if q.Kind == corpus.PeriodActual {
		other = fact.KindTarget
	}
	otherGiven := slices.ContainsFunc(given, func(c index.FactHit) bool { return yearAsked(c) && c.Fact.Kind == other })
	switch {
	case q.Kind != corpus.PeriodUnknown && !q.KindInherited && !kindGiven && otherGiven:
		// The year asked is there, but only the other kind of figure.
		b.WriteString(strings.TrimSuffix(strings.TrimSuffix(OtherPeriodText(q.Lang, q.Kind, q.Years), "以下是最接近的段落,请注意区分。"), "These are the closest passages; mind the difference."))
	case q.Lang == "zh":
		b.WriteString("报告中未找到所问的数字。")
	default:
		b.WriteString("Not found in the reports. ")
	}
	if q.Lang == "zh" {
		b.WriteString("报告给出的是:")
	} else {
		b.WriteString("What they give:")
	}
	a.Closest = nil
	for i, c := range given {
		b.WriteString("\n")
		if a.Query.Lang == "zh" {
			fmt.Fprintf(&b, "%s: %s [%d]", yearKindZH(c), c.Passage.Text[c.Fact.Start:c.Fact.End], i+1)
		} else {
			fmt.Fprintf(&b, "%s [%d]", capitalize(c.Fact.English(indicator.Default())), i+1)
		}
		ev := FactEvidence(c)
		a.Closest = append(a.Closest, CitationFor(i+1, ev.Hit, quoteAround(ev.Sentence, ev.Text, QuoteRunes)))
	}
	a.Text = b.String()
}

// yearKindZH writes a fact's year and kind in Chinese: "2025年实际",
// "2021—2025年实际" for a result of five years, "2026—2030年目标" for a
// plan's target.
func yearKindZH(c index.FactHit) string {
	y := factYear(c)
	switch c.Fact.Kind {
	case fact.KindFiveYears:
		return fmt.Sprintf("%d—%d年实际", y-4, y)
	case fact.KindPlan:
		return fmt.Sprintf("%d—%d年目标", y-4, y)
	}
	return fmt.Sprintf("%d年%s", y, kindZH(c.Fact.Kind))
}

func kindZH(k fact.Kind) string {
	switch k {
	case fact.KindTarget:
		return "目标"
	case fact.KindResult:
		return "实际"
	case fact.KindAverage:
		return "年均"
	case fact.KindCumulative:
		return "累计"
	}
	return ""
}

// OnlyOtherYears reports whether the reports of q's places give q's
// indicators, but only for years q does not name: when the extractive
// answerer finds nothing either, the answer says "not found for that year".
func OnlyOtherYears(q query.Query, cands []index.FactHit, places *place.Finder) bool {
	if len(q.Years) == 0 {
		return false
	}
	other := false
	for _, c := range cands {
		if !factPlaceFits(q, c, places) || factYear(c) == 0 {
			continue
		}
		if slices.Contains(q.Years, factYear(c)) {
			return false
		}
		other = true
	}
	return other
}

// indicatorDimension maps the vocabulary's unit classes to unitDimension's.
var indicatorDimension = map[string]string{"yuan": "money", "person": "people", "tonne": "mass", "percent": "ratio"}

// unitOfIndicator reports whether a fact's level is in a unit of the kind
// its indicator is counted in (GDP in yuan, jobs in people); true when the
// indicator's is unknown or the fact has none, and for other measures (a
// growth rate is in %).
func unitOfIndicator(f fact.Fact) bool {
	if effectiveMeasure(f) != fact.MeasureLevel {
		return true
	}
	in, ok := indicator.Default().Get(f.Indicator)
	if !ok {
		return true
	}
	// A counter (个, 项) is a unit unlike any dimension.
	want, got := indicatorDimension[in.Unit], unitDimension(f.Unit)
	return want == "" || f.Unit == "" || want == got
}

// EnglishLead puts, for an English question answered by an extractive
// window, an English sentence built from the fact the window quotes above
// the Chinese quote (as ComposeFacts does for a fact's answer). Nothing
// changes when the window quotes no fact, or several.
func EnglishLead(a *Answer, ev Evidence) {
	if a.Query.Lang != "en" || len(ev.Hit.Passage.Facts) == 0 {
		return
	}
	fs, err := fact.ReadFacts(ev.Hit.Passage.Facts)
	text := ev.Hit.Passage.Text
	at := strings.Index(text, ev.Text)
	if err != nil || at < 0 {
		return
	}
	var in []fact.Fact
	for _, f := range fs {
		if f.ValueStart >= at && f.ValueEnd <= at+len(ev.Text) {
			in = append(in, f)
		}
	}
	if len(in) != 1 {
		return
	}
	if en := in[0].English(indicator.Default()); en != "" {
		a.Text = capitalize(en) + " [1]\n" + a.Text
	}
}
