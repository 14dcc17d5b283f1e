package fact

import (
	"strings"

	"github.com/reportbot/reportbot/corpus"
)

// Review follows the passages of reports in reading order and tells which
// are in a five-year review. A report that closes a plan or a government's
// term reviews its five years in the same section as the last year: a
// paragraph opening with 过去五年, 五年来 or “十四五”时期 starts the five
// years' review, one opening with 2025年, 过去一年 or 一年来 the year's,
// and the paragraphs between carry on what the last opening said ("民生福祉
// 不断增进。…城镇新增就业603.7万人" after "过去的五年极不寻常。"). A new
// section (level-1 or level-2 heading) starts as its headings open:
// "“十四五”时期工作回顾" is a five-year review; a new level-2 heading that
// names no year goes on with the review of its level-1 section. Only the five years up to
// the report's own count: “十五五”时期 in a 2026 report sets targets.
//
// The zero Review is ready; it is not safe for concurrent use.
type Review struct {
	report, section string
	fiveYears       bool
}

// FiveYears reports whether p, the next passage in reading order (a
// report's passages one after another), of a report of year reportYear
// (0 when unknown), is in a five-year review: its Context.FiveYears.
func (r *Review) FiveYears(p corpus.Passage, reportYear int) bool {
	section := sectionKey(p.HeadingPath)
	if p.ReportID != r.report || section != r.section {
		newTop := p.ReportID != r.report || firstHeading(p.HeadingPath) != firstHeading(strings.Split(r.section, "\n"))
		r.report, r.section = p.ReportID, section
		if newTop {
			r.fiveYears = false
		}
		// The innermost heading that names a year opens the section; a
		// new level-2 heading that names none goes on with the review
		// its level-1 section was in.
		for i := min(len(p.HeadingPath), 2) - 1; i >= 0 && (i == 1 || newTop); i-- {
			if five, ok := opensFiveYears(p.HeadingPath[i], reportYear); ok {
				r.fiveYears = five
				break
			}
		}
	}
	if p.Part > 1 {
		return r.fiveYears // the opening is in the paragraph's first part
	}
	var at bool
	for i, line := range strings.Split(p.Text, "\n") {
		if five, ok := opensFiveYears(line, reportYear); ok {
			r.fiveYears = five
		}
		if i == 0 {
			at = r.fiveYears // a run of short paragraphs: as its first opens
		}
	}
	return at
}

// firstHeading is path's level-1 heading; "" when none.
func firstHeading(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[0]
}

// sectionKey identifies a passage's section by its level-1 and level-2
// headings.
func sectionKey(path []string) string {
	return strings.Join(path[:min(len(path), 2)], "\n")
}

// opensFiveYears reads the first clause of a paragraph or heading: ok
// when it names a year, and five when that year is the five years up to
// one before reportYear (过去五年, 五年来, “十四五”时期), not one year.
func opensFiveYears(text string, reportYear int) (five, ok bool) {
	if i := strings.IndexAny(text, "，。；：！？,;:!?"); i >= 0 {
		text = text[:i]
	}
	years := yearMentions(text, reportYear)
	if len(years) == 0 {
		return false, false
	}
	m := years[0]
	return m.fiveYears && (reportYear == 0 || m.year < reportYear), true
}
