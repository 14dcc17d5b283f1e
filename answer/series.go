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

// Table answers: a series, a comparison of places, a target against its
// result. Every row's figure is chosen as a one-figure question's is
// (ChooseFacts), with the question narrowed to the row's year or place;
// a row the reports do not give is "not given", never filled in, and a
// row whose report the corpus lacks is left out and said so.

// maxTableRows bounds a table's rows (a series over the reports' whole
// span, a comparison of every county); the newest or first rows are kept.
// It holds a comparison of China's 31 provinces whole.
const maxTableRows = 40

// TableInput is what ComposeTable builds a table from.
type TableInput struct {
	Ask query.TableAsk
	// Cands are the facts about the question's indicators (in every report
	// a row may need), Hits the question's retrieved passages (a fact in a
	// better-ranked one wins a tie), Places the corpus's place finder.
	Cands  []index.FactHit
	Hits   []index.Hit
	Places *place.Finder
	// Reports are the corpus's reports: a row whose report is not among
	// them is left out, not "not given".
	Reports []corpus.Report
}

// ComposeTable makes a a table answer (Answer.Table, and the rows as cited
// lines in Answer.Text) for a question Ask says is a series, a comparison
// of places or a target against its result. It returns false, leaving a
// unchanged, when the facts give no row at all: the question is then
// answered as any other.
func ComposeTable(a *Answer, in TableInput) bool {
	q := a.Query
	var b tableBuilder
	b.lang, b.in = q.Lang, in
	var ok bool
	switch in.Ask.Shape {
	case query.SeriesTable:
		ok = b.series(q)
	case query.PlacesTable:
		ok = b.places(q)
	case query.TargetResultTable:
		ok = b.targetResult(q)
	}
	if !ok {
		return false
	}
	t := b.table
	t.Shape = in.Ask.Shape
	a.Table = &t
	a.Citations = b.cites
	a.Facts = append(a.Facts, b.used...)
	lines := append([]string{t.Title + ":"}, t.Lines()...)
	a.Text = strings.Join(append(lines, t.Notes...), "\n")
	// The rows' passages head the answer's passages.
	var heads []index.Hit
	for _, c := range b.chosen {
		heads = append(heads, FactEvidence(c).Hit)
	}
	a.Hits = slices.DeleteFunc(a.Hits, func(h index.Hit) bool {
		return slices.ContainsFunc(heads, func(x index.Hit) bool { return x.Passage.ID == h.Passage.ID })
	})
	a.Hits = append(heads, a.Hits...)
	return true
}

// tableBuilder collects a table's rows and their citations.
type tableBuilder struct {
	lang   string
	in     TableInput
	table  Table
	cites  []Citation
	used   []UsedFact
	chosen []index.FactHit
	// unit, when set, is the one unit a row's figure may have: a series
	// of percentages does not take a row in percentage points; measure,
	// when set, the one measure as written (a growth target's result is
	// a growth, not a share read as one).
	unit, measure string
}

// cite adds the citation of a row's fact and returns its number; a fact
// already cited keeps its number.
func (b *tableBuilder) cite(c index.FactHit) int {
	for i, u := range b.used {
		if u.PassageID == c.Passage.ID && u.Start == c.Fact.Start {
			return i + 1
		}
	}
	ev := FactEvidence(c)
	n := len(b.cites) + 1
	b.cites = append(b.cites, CitationFor(n, ev.Hit, quoteAround(ev.Sentence, ev.Text, QuoteRunes)))
	used := UsedFact{Fact: c.Fact, PassageID: c.Passage.ID, ReportID: c.Report.ID, Quote: c.Passage.Text[c.Fact.Start:c.Fact.End]}
	if b.lang == "en" {
		used.English = c.Fact.English(indicator.Default())
	}
	b.used = append(b.used, used)
	b.chosen = append(b.chosen, c)
	return n
}

// row makes the row of fact c (nil: not given) with the leading cells.
func (b *tableBuilder) row(c *index.FactHit, lead ...string) Row {
	r := Row{Cells: lead}
	if c == nil {
		return Row{Cells: append(lead, notGiven(b.lang))}
	}
	r.Cells = append(r.Cells, b.value(c.Fact))
	r.Citation = b.cite(*c)
	r.Kind = c.Fact.Kind
	r.Value, r.HasValue = (c.Fact.Number+c.Fact.Upper)/2, true
	if b.table.Unit == "" {
		b.table.Unit = c.Fact.Unit
	}
	return r
}

// value writes a fact's value for a cell: as the report wrote it, for a
// Chinese question (a decline with its word: 下降3%), else in English.
func (b *tableBuilder) value(f fact.Fact) string {
	if b.lang == "zh" {
		v := strings.NewReplacer("％", "%", "－", "-", "～", "-").Replace(f.Value)
		if effectiveMeasure(f) == fact.MeasureDecline && f.MeasureText != "" {
			v = f.MeasureText + v
		}
		return v
	}
	g := fact.Fact{Value: f.Value, Number: f.Number, Upper: f.Upper, Unit: f.Unit, Qualifier: f.Qualifier}
	v := g.English(nil)
	if effectiveMeasure(f) == fact.MeasureDecline {
		v = "down " + v
	}
	return v
}

func notGiven(lang string) string {
	if lang == "zh" {
		return "未给出"
	}
	return "not given"
}

// choose is ChooseFacts for one row: q narrowed to year (0: any) and kind
// (unknown: any), over the candidates of place code (""; any).
func (b *tableBuilder) choose(q query.Query, year int, kind corpus.PeriodKind, code string) *index.FactHit {
	if year != 0 {
		q.Years = []int{year}
	} else {
		q.Years = nil
	}
	q.Kind, q.KindInherited = kind, false
	cands := b.in.Cands
	if code != "" {
		cands = slices.DeleteFunc(slices.Clone(cands), func(c index.FactHit) bool { return c.Report.Place != code })
	}
	for _, c := range ChooseFacts(q, cands, b.in.Hits, b.in.Places) {
		if (b.unit == "" || c.Fact.Unit == b.unit) && (b.measure == "" || c.Fact.Measure == b.measure) {
			return &c
		}
	}
	return nil
}

// hasReport reports whether the corpus has a report of year for place
// code ("": any place).
func (b *tableBuilder) hasReport(code string, year int) bool {
	return slices.ContainsFunc(b.in.Reports, func(r corpus.Report) bool {
		return r.Year == year && (code == "" || r.Place == code || r.Place == "")
	})
}

// homePlace is the one place a series or a target against its result is
// about: the place the question names, else China when the candidates
// hold national facts, else the place most of them are of; "" when
// unknown. q is narrowed to it.
func (b *tableBuilder) homePlace(q *query.Query) string {
	if len(q.Places) > 0 {
		q.Places = q.Places[:1]
		return q.Places[0].Code
	}
	n := map[string]int{}
	best := ""
	for _, c := range b.in.Cands {
		p := c.Report.Place
		n[p]++
		if best != place.NationalCode && (p == place.NationalCode || n[p] > n[best]) {
			best = p
		}
	}
	if p, ok := place.Default().ByCode(best); ok {
		q.Places = []place.Place{p}
	}
	return best
}

// usualKind is the kind a series that does not say means: target or
// result, whichever the best fact of more of its years is (target on a
// tie).
func (b *tableBuilder) usualKind(q query.Query, years []int, code string) corpus.PeriodKind {
	if q.Kind != corpus.PeriodUnknown {
		return q.Kind
	}
	var best []*index.FactHit
	for _, y := range years {
		best = append(best, b.choose(q, y, corpus.PeriodUnknown, code))
	}
	return majorityKind(best)
}

// majorityKind is a result when more of the facts (nil for none) are
// results than targets, else a target.
func majorityKind(cs []*index.FactHit) corpus.PeriodKind {
	t, r := 0, 0
	for _, c := range cs {
		switch {
		case c == nil:
		case c.Fact.Kind == fact.KindTarget:
			t++
		case c.Fact.Kind == fact.KindResult:
			r++
		}
	}
	if r > t {
		return corpus.PeriodActual
	}
	return corpus.PeriodTarget
}

// usualMeasureOf narrows a question that names no measure to the measure
// most rows' facts have, so that a series does not mix growth and levels,
// and the rows to the unit most of them then have.
func (b *tableBuilder) usualMeasureOf(q *query.Query, keys []int, kind corpus.PeriodKind, code string) {
	if q.Measure == "" {
		var ms []string
		for _, y := range keys {
			if c := b.choose(*q, y, kind, code); c != nil {
				ms = append(ms, effectiveMeasure(c.Fact))
			}
		}
		switch m := mostCommon(ms); m {
		case fact.MeasureGrowth, fact.MeasureDecline, fact.MeasureLevel:
			q.Measure = m
		}
	}
	var us, ms []string
	for _, y := range keys {
		if c := b.choose(*q, y, kind, code); c != nil {
			us, ms = append(us, c.Fact.Unit), append(ms, c.Fact.Measure)
		}
	}
	b.unit, b.measure = mostCommon(us), mostCommon(ms)
}

// mostCommon is the most frequent of xs, the first named on a tie; "" for
// none.
func mostCommon(xs []string) string {
	n := map[string]int{}
	best := ""
	for _, x := range xs {
		n[x]++
		if n[x] > n[best] || best == "" {
			best = x
		}
	}
	return best
}

// seriesYears are the years a series covers: the range written; else
// from the year of "since" to the newest report's; else the years named
// (three or more); else every year the facts give (the newest RecentYears
// for "这几年").
func (b *tableBuilder) seriesYears(q query.Query, kind corpus.PeriodKind, code string) []int {
	ask := b.in.Ask
	switch {
	case len(ask.Years) >= 2:
		return ask.Years
	case ask.Since != 0:
		last := 0
		for _, r := range b.in.Reports {
			if code == "" || r.Place == code || r.Place == "" {
				last = max(last, r.Year)
			}
		}
		if kind == corpus.PeriodActual {
			last-- // the newest report gives the year before's results
		}
		var ys []int
		for y := ask.Since; y <= last; y++ {
			ys = append(ys, y)
		}
		return ys
	case len(q.Years) >= 2:
		ys := slices.Clone(q.Years)
		slices.Sort(ys)
		return ys
	}
	seen := map[int]bool{}
	for _, c := range b.in.Cands {
		if y := factYear(c); y != 0 && (code == "" || c.Report.Place == code) {
			seen[y] = true
		}
	}
	var ys []int
	for y := range seen {
		if b.choose(q, y, kind, code) != nil {
			ys = append(ys, y)
		}
	}
	slices.Sort(ys)
	if ask.Recent && len(ys) > query.RecentYears {
		ys = ys[len(ys)-query.RecentYears:]
	}
	return ys
}

// reportYear is the year of the report that gives a year's figure of a
// kind: its own for a target, the next for a result.
func reportYear(y int, kind corpus.PeriodKind) int {
	if kind == corpus.PeriodActual {
		return y + 1
	}
	return y
}

// series builds one row per year.
func (b *tableBuilder) series(q query.Query) bool {
	code := b.homePlace(&q)
	years := b.seriesYears(q, q.Kind, code)
	kind := b.usualKind(q, years, code)
	if q.Kind == corpus.PeriodUnknown && b.in.Ask.Since != 0 {
		years = b.seriesYears(q, kind, code)
	}
	if len(years) > maxTableRows {
		years = years[len(years)-maxTableRows:]
	}
	b.usualMeasureOf(&q, years, kind, code)
	var absent []int
	given := 0
	for _, y := range years {
		c := b.choose(q, y, kind, code)
		if c == nil && !b.hasReport(code, reportYear(y, kind)) {
			absent = append(absent, y)
			continue
		}
		if c != nil {
			given++
		}
		r := b.row(c, yearCell(b.lang, y))
		r.Year, r.Place = y, code
		b.table.Rows = append(b.table.Rows, r)
	}
	if given == 0 {
		return false
	}
	b.table.Columns = []string{yearColumn(b.lang), kindColumn(b.lang, kind)}
	b.setTitle(q, kind, years, "", "")
	if len(absent) > 0 {
		b.table.Notes = append(b.table.Notes, absentYearsNote(b.lang, absent, kind))
	}
	return true
}

// places builds one row per place, largest value first (ties by name),
// rows not given last.
func (b *tableBuilder) places(q query.Query) bool {
	ps := b.comparedPlaces(q)
	if len(ps) == 0 {
		return false
	}
	year := 0
	if len(q.Years) > 0 {
		year = slices.Max(q.Years)
	}
	kind := q.Kind
	if kind == corpus.PeriodUnknown {
		kind = b.placesKind(q, ps, year)
	}
	b.placesUnit(q, ps, year, kind)
	rows, absent := b.placeRows(q, ps, year, kind)
	if !slices.ContainsFunc(rows, func(x placed) bool { return x.c != nil }) {
		return false
	}
	slices.SortStableFunc(rows, b.comparePlaced)
	if len(rows) > maxTableRows {
		rows = rows[:maxTableRows]
	}
	b.addPlaceRows(rows, year)
	b.table.Columns = []string{placeColumn(b.lang), kindColumn(b.lang, kind)}
	if year == 0 {
		b.table.Columns = []string{placeColumn(b.lang), yearColumn(b.lang), kindColumn(b.lang, kind)}
	}
	var ys []int
	if year != 0 {
		ys = []int{year}
	}
	b.setTitle(q, kind, ys, "", "")
	if len(absent) > 0 {
		b.table.Notes = append(b.table.Notes, absentPlacesNote(b.lang, absent, reportYear(year, kind)))
	}
	return true
}

// placed is a place's row of a comparison: the place and its fact (nil:
// not given).
type placed struct {
	p place.Place
	c *index.FactHit
}

// comparedPlaces returns the places a comparison is of, China left out:
// every place with a report (of the asked level) when the question asks
// for all places, else the places it names.
func (b *tableBuilder) comparedPlaces(q query.Query) []place.Place {
	if !b.in.Ask.AllPlaces {
		return slices.DeleteFunc(slices.Clone(q.Places), func(p place.Place) bool { return p.Code == place.NationalCode })
	}
	cat := place.Default()
	var ps []place.Place
	seen := map[string]bool{}
	for _, r := range b.in.Reports {
		p, ok := cat.ByCode(r.Place)
		if !ok || seen[p.Code] || p.Code == place.NationalCode || (b.in.Ask.Level != "" && p.Level != b.in.Ask.Level) {
			continue
		}
		seen[p.Code] = true
		ps = append(ps, p)
	}
	return ps
}

// placesKind returns the kind most places give for year: a result when
// more places' figures are results than targets, else a target.
func (b *tableBuilder) placesKind(q query.Query, ps []place.Place, year int) corpus.PeriodKind {
	var best []*index.FactHit
	for _, p := range ps {
		best = append(best, b.choose(withPlace(q, p), year, corpus.PeriodUnknown, p.Code))
	}
	return majorityKind(best)
}

// placesUnit sets the unit and measure (as written) most places' figures
// have: a share or level in percent is not compared with growth rates.
func (b *tableBuilder) placesUnit(q query.Query, ps []place.Place, year int, kind corpus.PeriodKind) {
	var us, ms []string
	for _, p := range ps {
		if c := b.choose(withPlace(q, p), year, kind, p.Code); c != nil {
			us, ms = append(us, c.Fact.Unit), append(ms, c.Fact.Measure)
		}
	}
	b.unit, b.measure = mostCommon(us), mostCommon(ms)
}

// placeRows chooses each place's fact. A place that gives none and whose
// report for year the corpus lacks has no row: its name is in absent.
func (b *tableBuilder) placeRows(q query.Query, ps []place.Place, year int, kind corpus.PeriodKind) (rows []placed, absent []string) {
	for _, p := range ps {
		c := b.choose(withPlace(q, p), year, kind, p.Code)
		if c == nil && year != 0 && !b.hasPlaceReport(p.Code, reportYear(year, kind)) {
			absent = append(absent, p.Label(b.lang))
			continue
		}
		rows = append(rows, placed{p, c})
	}
	return rows, absent
}

// comparePlaced orders the rows of a comparison: largest value (the middle
// of a range) first, ties and rows not given by name, rows not given last.
func (b *tableBuilder) comparePlaced(x, y placed) int {
	switch {
	case x.c == nil && y.c == nil:
		return strings.Compare(x.p.Label(b.lang), y.p.Label(b.lang))
	case x.c == nil:
		return 1
	case y.c == nil:
		return -1
	}
	vx, vy := (x.c.Fact.Number+x.c.Fact.Upper)/2, (y.c.Fact.Number+y.c.Fact.Upper)/2
	if c := cmp.Compare(vy, vx); c != 0 {
		return c
	}
	return strings.Compare(x.p.Label(b.lang), y.p.Label(b.lang))
}

// addPlaceRows adds the table's rows, with a year column when the question
// names no year (year 0).
func (b *tableBuilder) addPlaceRows(rows []placed, year int) {
	for _, x := range rows {
		y := year
		if x.c != nil {
			y = factYear(*x.c)
		}
		var r Row
		if year == 0 {
			r = b.row(x.c, x.p.Label(b.lang), yearCellOrEmpty(b.lang, y))
		} else {
			r = b.row(x.c, x.p.Label(b.lang))
		}
		r.Place, r.Year = x.p.Code, y
		b.table.Rows = append(b.table.Rows, r)
	}
}

// hasPlaceReport reports whether the corpus has a report of place code
// for year.
func (b *tableBuilder) hasPlaceReport(code string, year int) bool {
	return slices.ContainsFunc(b.in.Reports, func(r corpus.Report) bool { return r.Year == year && r.Place == code })
}

func withPlace(q query.Query, p place.Place) query.Query {
	q.Places = []place.Place{p}
	return q
}

// setTitle names the table: the indicator, its measure and kind, and the
// years, in the question's language (and in ASCII for a chart).
func (b *tableBuilder) setTitle(q query.Query, kind corpus.PeriodKind, years []int, suffixZH, suffixEN string) {
	ids := q.IndicatorIDs()
	in, _ := indicator.Default().Get(ids[0])
	zh, en := in.Name, in.ID
	for _, m := range indicator.Default().Find(q.Text) {
		if w := q.Text[m.Start:m.End]; m.ID == in.ID && q.Lang == "zh" && !strings.ContainsAny(strings.ToLower(w), "abcdefghijklmnopqrstuvwxyz") {
			zh = w // the indicator as the question wrote it (地区生产总值)
			break
		}
	}
	if len(in.English) > 0 {
		en = in.English[0]
	}
	switch q.Measure {
	case query.MeasureGrowth:
		zh, en = zh+"增长", en+" growth"
	case query.MeasureDecline:
		zh, en = zh+"下降", en+" decline"
	}
	switch kind {
	case corpus.PeriodTarget:
		zh, en = zh+"目标", en+" target"
	case corpus.PeriodActual:
		zh, en = zh+"(实际)", en+" (result)"
	}
	zh, en = zh+suffixZH, en+suffixEN
	span := ""
	if n := len(years); n > 0 {
		span = fmt.Sprint(years[0])
		if years[n-1] != years[0] {
			span += "–" + fmt.Sprint(years[n-1])
		}
	}
	if len(q.Places) == 1 && b.in.Ask.Shape != query.PlacesTable {
		zh = q.Places[0].Label("zh") + zh
		en = q.Places[0].Label("en") + " " + en
	}
	en = strings.ToUpper(en[:1]) + en[1:]
	if span != "" {
		zh += "(" + span + "年)"
		en += ", " + span
	}
	b.table.ChartTitle = asciiOnly(en)
	b.table.Title = en
	if b.lang == "zh" {
		b.table.Title = zh
	}
}

// asciiOnly drops what a chart's fonts cannot draw.
func asciiOnly(s string) string {
	s = strings.ReplaceAll(s, "–", "-")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
}

func yearCell(lang string, y int) string {
	if lang == "zh" {
		return fmt.Sprintf("%d年", y)
	}
	return fmt.Sprint(y)
}

func yearCellOrEmpty(lang string, y int) string {
	if y == 0 {
		return ""
	}
	return yearCell(lang, y)
}

func yearColumn(lang string) string {
	if lang == "zh" {
		return "年份"
	}
	return "Year"
}

func placeColumn(lang string) string {
	if lang == "zh" {
		return "地区"
	}
	return "Place"
}

func kindColumn(lang string, kind corpus.PeriodKind) string {
	switch {
	case lang == "zh" && kind == corpus.PeriodTarget:
		return "目标"
	case lang == "zh" && kind == corpus.PeriodActual:
		return "实际"
	case lang == "zh":
		return "数值"
	case kind == corpus.PeriodTarget:
		return "Target"
	case kind == corpus.PeriodActual:
		return "Result"
	}
	return "Value"
}

// absentYearsNote says which years are left out for want of the report
// that would give them.
func absentYearsNote(lang string, years []int, kind corpus.PeriodKind) string {
	reports := make([]int, len(years))
	for i, y := range years {
		reports[i] = reportYear(y, kind)
	}
	if lang == "zh" {
		return fmt.Sprintf("未收录%s年的报告,%s年从略。", JoinYears(reports, "、"), JoinYears(years, "、"))
	}
	return fmt.Sprintf("The corpus has no report of %s; %s left out.", JoinYears(reports, ", "), JoinYears(years, ", "))
}

// absentPlacesNote says which places are left out for want of a report.
func absentPlacesNote(lang string, names []string, year int) string {
	if lang == "zh" {
		return fmt.Sprintf("未收录%s%d年的报告,从略。", strings.Join(names, "、"), year)
	}
	return fmt.Sprintf("The corpus has no %d report of %s; left out.", year, strings.Join(names, ", "))
}
