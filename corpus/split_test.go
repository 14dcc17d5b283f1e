package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// checkPassages reports violations of Split's contract for r and ps.
func checkPassages(t *testing.T, r Report, opt SplitOptions, ps []Passage) {
	t.Helper()
	opt = opt.withDefaults()
	rs := []rune(r.Text)
	covered := make([]bool, len(rs))
	ids := map[string]bool{}
	lastPara := 0
	for i, p := range ps {
		if p.Start < 0 || p.End > len(rs) || p.Start >= p.End {
			t.Fatalf("passage %d: bad span [%d,%d) in %d runes", i, p.Start, p.End, len(rs))
		}
		if got := string(rs[p.Start:p.End]); got != p.Text {
			t.Errorf("passage %d: Text %q != runes[%d:%d] %q", i, p.Text, p.Start, p.End, got)
		}
		if strings.TrimSpace(p.Text) != p.Text {
			t.Errorf("passage %d: surrounding whitespace in %q", i, p.Text)
		}
		if n := p.End - p.Start; n > opt.MaxRunes {
			t.Errorf("passage %d: %d runes, max %d", i, n, opt.MaxRunes)
		}
		if ids[p.ID] {
			t.Errorf("passage %d: duplicate ID %s", i, p.ID)
		}
		ids[p.ID] = true
		if len(p.ID) != 16 || p.ReportID != r.ID {
			t.Errorf("passage %d: ID %q, report %q", i, p.ID, p.ReportID)
		}
		if p.Paragraph < lastPara || p.Part < 1 || p.Part > p.Parts {
			t.Errorf("passage %d: paragraph %d part %d/%d after paragraph %d", i, p.Paragraph, p.Part, p.Parts, lastPara)
		}
		lastPara = p.Paragraph
		for j := p.Start; j < p.End; j++ {
			covered[j] = true
		}
	}
	for i, c := range covered {
		if !c && !unicode.IsSpace(rs[i]) {
			t.Fatalf("rune %d %q of the text is in no passage", i, rs[i])
		}
	}
}

func TestSplitInvariants(t *testing.T) {
	t.Parallel()
	reports, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	reports = append(reports,
		Report{ID: "long", Text: strings.Repeat("没有标点的很长的句子", 100) + "\n" + strings.Repeat("短句。", 300)},
		Report{ID: "commas", Text: strings.Repeat("一个分句，", 200) + "。"},
		Report{ID: "spaces", Text: "  \n\n 甲。 乙。  \r\n\t丙\n"},
		Report{ID: "empty"},
	)
	opts := []SplitOptions{{}, {MaxRunes: 50}, {MaxRunes: 50, OverlapRunes: -1}, {MaxRunes: 7, OverlapRunes: 3}, {MaxRunes: 1}}
	for _, r := range reports {
		for _, opt := range opts {
			checkPassages(t, r, opt, Split(r, opt))
		}
	}
}

func TestSplitParts(t *testing.T) {
	t.Parallel()
	s1 := strings.Repeat("甲", 99) + "。"
	s2 := strings.Repeat("乙", 19) + "。"
	s3 := strings.Repeat("丙", 99) + "。"
	r := Report{ID: "r", Text: s1 + s2 + s3}
	ps := Split(r, SplitOptions{MaxRunes: 150, OverlapRunes: 30})
	var got []string
	for _, p := range ps {
		got = append(got, p.Text)
	}
	// Two parts; the short middle sentence is carried into the second.
	want := []string{s1 + s2, s2 + s3}
	if !slices.Equal(got, want) {
		t.Errorf("parts = %q, want %q", got, want)
	}
	if ps[1].Parts != 2 || ps[1].Part != 2 || ps[1].Paragraph != 1 {
		t.Errorf("second part = %+v", ps[1])
	}
	ps = Split(r, SplitOptions{MaxRunes: 150, OverlapRunes: -1})
	if len(ps) != 2 || ps[1].Start != ps[0].End {
		t.Errorf("without overlap: %d parts, [%d,%d) [%d,%d)", len(ps), ps[0].Start, ps[0].End, ps[1].Start, ps[1].End)
	}
}

func TestSplitStableIDs(t *testing.T) {
	t.Parallel()
	r := loadSeed(t, "wuqing-2018-government-work-report")
	a, b := Split(r, SplitOptions{}), Split(r, SplitOptions{})
	if !slices.EqualFunc(a, b, func(x, y Passage) bool { return x.ID == y.ID }) {
		t.Fatal("IDs differ between two splits of the same report")
	}

	// Change one paragraph: only its passages get new IDs.
	lines := strings.Split(r.Text, "\n")
	const changed = 20 // a body paragraph under (一) of 二、2018年主要任务
	lines[changed-1] = strings.Replace(lines[changed-1], "。", "，并加以改进。", 1)
	r2 := r
	r2.Text = strings.Join(lines, "\n")
	c := Split(r2, SplitOptions{})
	old := map[string]bool{}
	for _, p := range a {
		old[p.ID] = true
	}
	for _, p := range c {
		if got, want := old[p.ID], p.Paragraph != changed; got != want {
			t.Errorf("paragraph %d part %d: ID kept = %v, want %v", p.Paragraph, p.Part, got, want)
		}
	}
}

func TestSplitRepeatedText(t *testing.T) {
	t.Parallel()
	// Headings between the short paragraphs keep them apart.
	r := Report{ID: "r", Text: "各位代表！\n一、正文\n各位代表！"}
	ps := Split(r, SplitOptions{})
	if len(ps) != 3 || ps[0].Text != ps[2].Text || ps[0].ID == ps[2].ID {
		t.Fatalf("repeated paragraphs: %+v", ps)
	}
	id0, _ := passageID(nil, "r", "各位代表！", 0)
	id1, _ := passageID(nil, "r", "各位代表！", 1)
	if ps[0].ID != id0 || ps[2].ID != id1 {
		t.Errorf("IDs do not follow the documented derivation")
	}
	other := Split(Report{ID: "other", Text: r.Text}, SplitOptions{})
	if other[0].ID == ps[0].ID {
		t.Errorf("same text in another report has the same ID")
	}
}

// TestSplitPacksShortParagraphs: a run of short lines of one section is
// packed into passages of up to MaxRunes (one passage per 15-character
// line made a 141 MB file 2.4 million passages and 12.2 GB of memory;
// issue 15, item 13); heading lines, long paragraphs and section changes
// still start passages of their own.
func TestSplitPacksShortParagraphs(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("一、2017年工作回顾\n")
	for i := range 200 {
		fmt.Fprintf(&b, "全年完成投资%d亿元，增长%d%%。\n", i, i%97)
	}
	long := strings.Repeat("全面推进乡村振兴，", 20) + "。"
	b.WriteString(long + "\n短句一。\n二、2018年主要任务\n短句二。\n短句三。\n")
	r := Report{ID: "r", Text: b.String(), Year: 2018}
	opt := SplitOptions{}
	ps := Split(r, opt)
	checkPassages(t, r, opt, ps)
	if len(ps) > 20 {
		t.Errorf("%d passages for 200 short lines, want them packed (at most 20)", len(ps))
	}
	texts := map[string]Passage{}
	for _, p := range ps {
		texts[p.Text] = p
		if strings.Contains(p.Text, "\n") && (p.Parts != 1 || p.End-p.Start > DefaultMaxRunes || p.End-p.Start < DefaultMaxRunes-50 && p.Paragraph < 150) {
			t.Errorf("packed passage ¶%d: %d runes, parts %d", p.Paragraph, p.End-p.Start, p.Parts)
		}
	}
	for text, wantPara := range map[string]int{"一、2017年工作回顾": 1, long: 202, "短句一。": 203, "二、2018年主要任务": 204, "短句二。\n短句三。": 205} {
		if p, ok := texts[text]; !ok || p.Paragraph != wantPara {
			t.Errorf("no passage %q at ¶%d: %+v", text, wantPara, p)
		}
	}
	if p := texts["短句二。\n短句三。"]; p.Period != (Period{Year: 2018, Kind: PeriodTarget}) {
		t.Errorf("packed passage period = %+v", p.Period)
	}
}
