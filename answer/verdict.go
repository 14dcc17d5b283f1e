package answer

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/fact"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/query"
)

// A target against its result: the target of year Y from Y's report, the
// result of Y (usually from Y+1's report), each cited, and a plain
// verdict only when the target says which way it points and the figures
// are of one measure and unit. A target "about" a figure (左右) points
// nowhere: the answer then says only whether the result was above or
// below it by more than the target's rounding.

// Verdict compares a result with its target.
type Verdict string

// Verdicts.
const (
	// VerdictNone: no comparison the figures support (other units or
	// measures, an approximate result, a result within the rounding of
	// an "about" target).
	VerdictNone Verdict = ""
	// VerdictMet and VerdictNotMet judge a target that points one way: a
	// floor (增长7.5%, 1100万人以上) is met when the result is at least its
	// lower end, a ceiling (控制在3%以内) when at most its upper end.
	VerdictMet    Verdict = "met"
	VerdictNotMet Verdict = "not met"
	// VerdictAbove and VerdictBelow compare a result with a target that
	// points nowhere the facts say (5%左右; a rate without a qualifier):
	// above its upper end, below its lower end, by more than its rounding.
	VerdictAbove Verdict = "above"
	VerdictBelow Verdict = "below"
)

// Qualifiers that say which way a target points.
var (
	aboutQualifiers   = []string{"左右", "上下", "约", "大约"}
	floorQualifiers   = []string{"以上", "不低于", "不少于", "超过", "超"}
	ceilingQualifiers = []string{"以内", "不超过", "不高于", "以下"}
	// overQualifiers make a result a lower bound ("超过7%"): it meets a
	// floor it is at least.
	overQualifiers = []string{"超过", "超", "逾", "多", "余", "以上"}
)

// Judge compares result r with target t.
func Judge(t, r fact.Fact) Verdict {
	if t.Unit != r.Unit || !measuresComparable(t, r) {
		return VerdictNone
	}
	dir := direction(t)
	if r.Qualifier != "" {
		if dir == "floor" && slices.Contains(overQualifiers, r.Qualifier) && r.Number >= t.Number {
			return VerdictMet
		}
		return VerdictNone
	}
	switch dir {
	case "floor":
		if r.Number >= t.Number {
			return VerdictMet
		}
		return VerdictNotMet
	case "ceiling":
		if r.Number <= t.Upper {
			return VerdictMet
		}
		return VerdictNotMet
	}
	tol := 0.0
	if dir == "about" {
		tol = rounding(t)
	}
	switch {
	case r.Number > t.Upper+tol:
		return VerdictAbove
	case r.Number < t.Number-tol:
		return VerdictBelow
	}
	return VerdictNone
}

// measuresComparable: a result of the target's measure, or any level or
// change under a ceiling (涨幅控制在3%: prices rose 2%).
func measuresComparable(t, r fact.Fact) bool {
	mt, mr := effectiveMeasure(t), effectiveMeasure(r)
	if mt == fact.MeasureLimit {
		return mr == fact.MeasureGrowth || mr == fact.MeasureLevel || mr == fact.MeasureDecline || mr == fact.MeasureLimit
	}
	return mt == mr
}

// direction is which way a target points: "floor" (more is better),
// "ceiling" (less is better), "about" (左右), or "" (the facts do not
// say: a rate or price index with no qualifier). Growth, decline or level
// of an amount indicator (GDP in yuan, jobs, grain) is a floor.
func direction(t fact.Fact) string {
	switch {
	case slices.Contains(aboutQualifiers, t.Qualifier):
		return "about"
	case slices.Contains(floorQualifiers, t.Qualifier):
		return "floor"
	case slices.Contains(ceilingQualifiers, t.Qualifier) || t.Measure == fact.MeasureLimit:
		return "ceiling"
	case t.Qualifier != "":
		return ""
	}
	in, ok := indicator.Default().Get(t.Indicator)
	if !ok {
		return ""
	}
	switch in.Unit {
	case "", "percent", "index":
		return ""
	}
	switch effectiveMeasure(t) {
	case fact.MeasureGrowth, fact.MeasureDecline, fact.MeasureLevel:
		return "floor"
	}
	return ""
}

// rounding is half a unit of the last digit a target writes, in the
// fact's scale: 0.5 for "5%左右", 0.05 for "7.5%左右", 50万 for
// "1100万人左右".
func rounding(t fact.Fact) float64 {
	digits, decimals, dot, seen := "", 0, false, false
	for _, r := range t.Value {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．':
			r = '.'
		}
		switch {
		case r >= '0' && r <= '9':
			digits += string(r)
			seen = true
			if dot {
				decimals++
			}
		case r == '.' && seen && !dot:
			digits += "."
			dot = true
		case seen:
			goto done
		}
	}
done:
	w, err := strconv.ParseFloat(digits, 64)
	if err != nil || w == 0 {
		return 0
	}
	return 0.5 * math.Pow(10, -float64(decimals)) * t.Number / w
}

// targetResult builds, for each year asked (the newest year with a
// result when none is), a row for its target and one for its result,
// and a note with the verdict.
func (b *tableBuilder) targetResult(q query.Query) bool {
	code := b.homePlace(&q)
	years := slices.Clone(q.Years)
	slices.Sort(years)
	if len(years) == 0 {
		c := b.choose(q, 0, corpus.PeriodActual, code)
		if c == nil {
			return false
		}
		years = []int{factYear(*c)}
	}
	if len(years) > maxTableRows/2 {
		years = years[len(years)-maxTableRows/2:]
	}
	given := 0
	var absent []int
	for _, y := range years {
		t := b.choose(q, y, corpus.PeriodTarget, code)
		qr := q
		if q.Measure == "" && t != nil {
			switch m := effectiveMeasure(t.Fact); m {
			case fact.MeasureGrowth, fact.MeasureDecline, fact.MeasureLevel:
				qr.Measure = m
			}
		}
		if t != nil {
			// The result is of the target's unit, and of its measure as
			// written when that is a change (增长7% against 增长6.9%).
			b.unit = t.Fact.Unit
			if m := t.Fact.Measure; m == fact.MeasureGrowth || m == fact.MeasureDecline {
				b.measure = m
			}
		}
		r := b.choose(qr, y, corpus.PeriodActual, code)
		b.unit, b.measure = "", ""
		var tRow, rRow Row
		if t != nil || b.hasReport(code, y) {
			x := b.row(t, yearCell(b.lang, y), kindColumn(b.lang, corpus.PeriodTarget))
			x.Year, x.Place, x.Kind = y, code, fact.KindTarget
			b.table.Rows = append(b.table.Rows, x)
			tRow = x
		} else {
			absent = append(absent, y)
		}
		if r != nil || b.hasReport(code, y+1) {
			x := b.row(r, yearCell(b.lang, y), kindColumn(b.lang, corpus.PeriodActual))
			x.Year, x.Place, x.Kind = y, code, fact.KindResult
			b.table.Rows = append(b.table.Rows, x)
			rRow = x
		} else {
			absent = append(absent, y+1)
		}
		if t != nil {
			given++
		}
		if r != nil {
			given++
		}
		if t != nil && r != nil {
			b.table.Notes = append(b.table.Notes, verdictNote(b.lang, y, t.Fact, r.Fact, tRow, rRow))
		}
	}
	if given == 0 {
		return false
	}
	b.table.Columns = []string{yearColumn(b.lang), kindLabel(b.lang), valueColumn(b.lang)}
	b.setTitle(q, corpus.PeriodTarget, years, "与实际", " and result")
	if len(absent) > 0 {
		slices.Sort(absent)
		absent = slices.Compact(absent)
		if b.lang == "zh" {
			b.table.Notes = append(b.table.Notes, fmt.Sprintf("未收录%s年的报告,从略。", JoinYears(absent, "、")))
		} else {
			b.table.Notes = append(b.table.Notes, fmt.Sprintf("The corpus has no report of %s; its figures are left out.", JoinYears(absent, ", ")))
		}
	}
	return true
}

func kindLabel(lang string) string {
	if lang == "zh" {
		return "类别"
	}
	return "Kind"
}

func valueColumn(lang string) string {
	if lang == "zh" {
		return "数值"
	}
	return "Value"
}

// verdictNote is the sentence that compares year y's result with its
// target, both cited.
func verdictNote(lang string, y int, t, r fact.Fact, tr, rr Row) string {
	tv, rv := tr.Cells[len(tr.Cells)-1], rr.Cells[len(rr.Cells)-1]
	tc, rc := fmt.Sprintf("[%d]", tr.Citation), fmt.Sprintf("[%d]", rr.Citation)
	v := Judge(t, r)
	if lang == "zh" {
		s := fmt.Sprintf("%d年实际%s %s,目标%s %s", y, rv, rc, tv, tc)
		switch v {
		case VerdictMet:
			return s + ",达到目标。"
		case VerdictNotMet:
			return s + ",未达到目标。"
		case VerdictAbove:
			return s + ",高于目标。"
		case VerdictBelow:
			return s + ",低于目标。"
		}
		return s + "。"
	}
	switch v {
	case VerdictMet:
		return fmt.Sprintf("%d: the result, %s %s, met the target of %s %s.", y, rv, rc, tv, tc)
	case VerdictNotMet:
		return fmt.Sprintf("%d: the result, %s %s, did not meet the target of %s %s.", y, rv, rc, tv, tc)
	case VerdictAbove:
		return fmt.Sprintf("%d: the result was %s %s against a target of %s %s: above the target.", y, rv, rc, tv, tc)
	case VerdictBelow:
		return fmt.Sprintf("%d: the result was %s %s against a target of %s %s: below the target.", y, rv, rc, tv, tc)
	}
	return fmt.Sprintf("%d: the result was %s %s against a target of %s %s.", y, rv, rc, tv, tc)
}
