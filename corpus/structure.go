package corpus

// paraInfo is where a paragraph sits in its report.
type paraInfo struct {
	path    []string // [level 1, level 2, level 3] headings as far as known
	period  Period
	heading bool // the paragraph is a heading line (一、, (一), 一是…)
}

// headingInfo is what a heading says about time.
type headingInfo struct {
	year int
	kind PeriodKind
}

// structurer walks the paragraphs of a report in order and tracks the
// current headings.
type structurer struct {
	reportYear int

	l1, l2, l3   string // current headings; l3 only from an ordinal line
	l1Info       headingInfo
	l1Period     Period // period of the level-1 section, after inheritance
	l2Info       headingInfo
	l1Num, l2Num int  // numbers of the current headings, 0 before the first
	prevL1Target bool // the previous level-1 section set targets
}

// structure returns the heading path and period of each paragraph.
//
// Headings: "一、…" (level 1), "(一)…" (level 2, often followed by body
// text on the same line; a missing numeral is repaired from the previous
// sibling) and lead sentences (level 3, for the paragraph they open; an
// ordinal line such as "一是…。" on its own heads the paragraphs after it).
// Numbers must increase among siblings: a list restarting at 一、 inside a
// section is body text, not headings. A heading line is itself a paragraph
// whose path ends with it.
//
// Periods come from level-1 and level-2 headings: the innermost naming a
// year wins ("一、2017年工作回顾" is 2017 actual); a review or task word
// without a year means the year before the report year (actual) or the report
// year (target), or year 0 when the report year is unknown. A level-1 section
// that says nothing after a target section ("三、全面加强政府自身建设") sets
// targets for the report year, when that is known. Text before any heading
// has no period.
func structure(paras []string, reportYear int) []paraInfo {
	s := structurer{reportYear: reportYear}
	out := make([]paraInfo, len(paras))
	for i, p := range paras {
		out[i] = s.next(p)
	}
	return out
}

func (s *structurer) next(p string) paraInfo {
	if h, ok := parseL1(p); ok && h.num > s.l1Num {
		s.l1, s.l2, s.l3, s.l1Num, s.l2Num = h.title, "", "", h.num, 0
		s.l2Info = headingInfo{}
		y, k := headingPeriod(h.title)
		s.l1Info = headingInfo{y, k}
		s.l1Period = s.resolve(s.l1Info)
		if s.l1Period == (Period{}) && s.reportYear > 0 && s.prevL1Target {
			s.l1Period = Period{Year: s.reportYear, Kind: PeriodTarget}
		}
		s.prevL1Target = s.l1Period.Kind == PeriodTarget
		return paraInfo{path: s.path(""), period: s.period(), heading: true}
	}
	if h, ok := parseL2(p); ok && (h.num == 0 || h.num > s.l2Num) {
		num := h.num
		if num == 0 {
			num = s.l2Num + 1
		}
		s.l2Num = num
		s.l2, s.l3 = h.text(num), ""
		y, k := headingPeriod(h.title)
		s.l2Info = headingInfo{y, k}
		return paraInfo{path: s.path(""), period: s.period(), heading: true}
	}
	if h, ok := ordinalHeading(p); ok {
		s.l3 = h
		return paraInfo{path: s.path(""), period: s.period(), heading: true}
	}
	if lead, ok := leadSentence(p); ok {
		s.l3 = ""
		return paraInfo{path: s.path(lead), period: s.period()}
	}
	return paraInfo{path: s.path(""), period: s.period()}
}

// path returns the known headings, with lead as level 3 when given.
func (s *structurer) path(lead string) []string {
	l3 := s.l3
	if lead != "" {
		l3 = lead
	}
	var path []string
	for _, h := range [...]string{s.l1, s.l2, l3} {
		if h != "" {
			path = append(path, h)
		}
	}
	return path
}

// period returns the period of text under the current headings.
func (s *structurer) period() Period {
	switch {
	case s.l2Info.year != 0:
		return s.resolve(s.l2Info)
	case s.l1Info.year != 0:
		info := s.l1Info
		if info.kind == PeriodUnknown {
			info.kind = s.l2Info.kind
		}
		return s.resolve(info)
	case s.l2Info.kind != PeriodUnknown:
		return s.resolve(s.l2Info)
	}
	return s.l1Period
}

// resolve turns what a heading says into a period, using the report year
// for a missing year or kind.
func (s *structurer) resolve(h headingInfo) Period {
	y := s.reportYear
	switch {
	case h.year != 0 && h.kind != PeriodUnknown:
		return Period{Year: h.year, Kind: h.kind}
	case h.year != 0 && y > 0 && h.year < y:
		return Period{Year: h.year, Kind: PeriodActual}
	case h.year != 0 && y > 0:
		return Period{Year: h.year, Kind: PeriodTarget}
	case h.year != 0:
		return Period{Year: h.year}
	case h.kind == PeriodActual && y > 0:
		return Period{Year: y - 1, Kind: PeriodActual}
	case h.kind == PeriodTarget && y > 0:
		return Period{Year: y, Kind: PeriodTarget}
	}
	return Period{Kind: h.kind}
}
