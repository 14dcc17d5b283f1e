package fact

import (
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
)

// Review follows the passages of reports in reading order and tells what
// the paragraphs before each say of the time it speaks of (its Scope).
//
// A report that closes a plan or a government's term reviews its five
// years in the same section as the last year, and sets the next plan's
// targets beside this year's: a paragraph opening with 过去五年, 五年来 or
// “十四五”时期 starts the five years' review, one opening with “十五五”时期
// or 今后五年 the next plan's targets, one opening with 2025年, 今年, 过去一年
// or 一年来 a single year's; the paragraphs between carry on what the last
// opening said ("民生福祉不断增进。…城镇新增就业603.7万人" after "过去的五年
// 极不寻常。"). A new section (level-1 or level-2 heading) starts as its
// headings open ("“十四五”时期工作回顾" reviews five years, "“十五五”时期主
// 要目标任务" sets the plan's targets); a new level-2 heading that names no
// year goes on with the scope its level-1 section was in (as the last
// paragraph opened it).
//
// The zero Review is ready; it is not safe for concurrent use.
type Review struct {
	report, h1, h2 string // the report and the level-1 and level-2 headings read last
	scope          Scope
}

// A Scope is what the paragraphs before a passage say of the time it
// speaks of; the zero Scope says nothing.
type Scope struct {
	// FiveYears: the passage reviews the five years up to its section's
	// year (Context.FiveYears).
	FiveYears bool
	// Plan is the last year of the plan whose targets the passage sets
	// (2030 under “十五五”时期主要目标任务 in a 2026 report); 0 for none.
	Plan int
}

// Next returns the scope of p, the next passage in reading order (a
// report's passages one after another), of a report of year reportYear (0
// when unknown: then only a plan's name tells five years, and a plan is
// read as reviewed).
func (r *Review) Next(p corpus.Passage, reportYear int) Scope {
	h1, h2 := heading(p.HeadingPath, 0), heading(p.HeadingPath, 1)
	if p.ReportID != r.report || h1 != r.h1 || h2 != r.h2 {
		newTop := p.ReportID != r.report || h1 != r.h1
		r.report, r.h1, r.h2 = p.ReportID, h1, h2
		if newTop {
			r.scope = Scope{}
		}
		// The innermost heading that names a year opens the section; a
		// new level-2 heading that names none goes on with the scope its
		// level-1 section was in.
		for i := min(len(p.HeadingPath), 2) - 1; i >= 0 && (i == 1 || newTop); i-- {
			if r.open(p.HeadingPath[i], reportYear) {
				break
			}
		}
	}
	if p.Part > 1 {
		return r.scope // the opening is in the paragraph's first part
	}
	line, rest, more := strings.Cut(p.Text, "\n")
	r.open(line, reportYear)
	at := r.scope // a run of short paragraphs: as its first opens
	for more {
		line, rest, more = strings.Cut(rest, "\n")
		r.open(line, reportYear)
	}
	return at
}

// open reads the opening of a paragraph or heading. A year inside the
// five years read opens a paragraph about one of them, which stays where
// it is: "1998年发生特大洪水后…" in a review of 1998–2002, "到2030年…" in a
// plan to 2030.
func (r *Review) open(text string, reportYear int) bool {
	s, year, ok := opening(text, reportYear)
	if !ok {
		return false
	}
	if s == (Scope{}) && reportYear > 0 &&
		(r.scope.FiveYears && year < reportYear-1 || r.scope.Plan != 0 && year > reportYear && year <= r.scope.Plan) {
		return false
	}
	r.scope = s
	return true
}

// Context is the Context of passage p of report r in scope s: its
// section's period and its report's year, and for a plan's targets the
// plan's last year (Context.Plan).
func (s Scope) Context(r corpus.Report, p corpus.Passage) Context {
	c := Context{Year: p.Period.Year, Kind: p.Period.Kind, ReportYear: r.Year, FiveYears: s.FiveYears}
	if s.Plan != 0 {
		c.Year, c.Kind, c.Plan = s.Plan, corpus.PeriodTarget, true
	}
	return c
}

// heading is path[i]; "" when path is shorter.
func heading(path []string, i int) string {
	if i >= len(path) {
		return ""
	}
	return path[i]
}

// maxOpeningLead is how many runes may come before the year that opens a
// paragraph: "刚刚过去的2025年", "在过去的五年中", "回顾过去五年", "——这五年";
// a year further in is not what the paragraph is about ("党的十八大科学总结
// 了过去五年的工作"). Chosen by reading the openings of the national and
// provincial reports, not on any question set.
const maxOpeningLead = 6

// addressWords open a paragraph by addressing the congress ("各位代表！
// 刚刚过去的2025年…"); the opening is read after them.
var addressWords = []string{"各位代表", "各位委员", "同志们"}

// opening reads the first clause of a paragraph or heading: ok when it
// opens with a year (within maxOpeningLead runes), which it returns. Its
// scope is a review of five years when that year is five years up to
// reportYear or before (过去五年, 五年来, “十四五”时期), a plan when they end
// after it (“十五五”时期, 今后五年), else nothing (one year). A plan's
// bare name (“十五五”发展的主要考虑, “十四五”收官之年) opens nothing.
func opening(text string, reportYear int) (s Scope, year int, ok bool) {
	text = strings.TrimSpace(text)
	for _, w := range addressWords {
		if rest, found := strings.CutPrefix(text, w); found {
			text = strings.TrimLeft(rest, "，！：,!: ")
			break
		}
	}
	if i := strings.IndexAny(text, "，。；：！？,;:!?"); i >= 0 {
		text = text[:i]
	}
	for _, m := range yearMentions(text, reportYear) {
		if m.plan && !m.fiveYears {
			continue
		}
		if utf8.RuneCountInString(text[:m.start]) > maxOpeningLead {
			return Scope{}, 0, false
		}
		switch {
		case !m.fiveYears:
			return Scope{}, m.year, true
		case reportYear == 0 || m.year <= reportYear:
			return Scope{FiveYears: true}, m.year, true
		default:
			return Scope{Plan: m.year}, m.year, true
		}
	}
	return Scope{}, 0, false
}
