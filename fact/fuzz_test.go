package fact

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
)

// fuzzSeeds are passages that exercise the scanner: ranges, Chinese
// numerals, full-width digits, names, quotes, baselines.
var fuzzSeeds = []string{
	benchParagraph,
	"地区生产总值增长5%左右，规模以上工业增加值增长6%",
	"城镇新增就业3.4万人以上；居民消费价格涨幅3%左右。",
	"增长５．５％，２７，２０３亿元",
	"农业增加值增长百分之三点五，在校学生由一九八○年的一百一十四万人增加到一九八五年的一百七十万人",
	"“十四五”时期年均增长5%—5.5%，5G基站、PM2.5浓度下降到30微克，G20",
	"从11件提高到24件，“80条”，（一）1.【2】[3]",
	"3-5万人、5%至5.5%、10亿元以上项目",
}

// FuzzExtract checks that facts point into the text: offsets in order and
// on rune boundaries, Value is the text at its offsets, the clause holds
// it, and nothing panics.
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 2025, true)
	}
	f.Fuzz(func(t *testing.T, text string, year int, review bool) {
		c := Context{Year: year, ReportYear: year + 1, Kind: corpus.PeriodTarget}
		if review {
			c.Kind = corpus.PeriodActual
		}
		for _, fc := range Extract(text, c) {
			if !(0 <= fc.Start && fc.Start <= fc.ValueStart && fc.ValueStart < fc.ValueEnd && fc.ValueEnd <= fc.End && fc.End <= len(text)) {
				t.Fatalf("Extract(%q): offsets out of order: %+v", text, fc)
			}
			for _, o := range []int{fc.Start, fc.ValueStart, fc.ValueEnd, fc.End} {
				// Rune boundaries are promised for valid UTF-8 (corpus text is).
				if utf8.ValidString(text) && o < len(text) && !utf8.RuneStart(text[o]) {
					t.Fatalf("Extract(%q): offset %d inside a rune: %+v", text, o, fc)
				}
			}
			if fc.Value != text[fc.ValueStart:fc.ValueEnd] {
				t.Fatalf("Extract(%q): Value %q is not the text at its offsets %q", text, fc.Value, text[fc.ValueStart:fc.ValueEnd])
			}
			got, err := ReadFacts(AppendFacts(nil, []Fact{fc}))
			if err != nil || len(got) != 1 || !sameFact(got[0], fc) {
				t.Fatalf("codec round trip of %+v: %+v, %v", fc, got, err)
			}
			_ = fc.English(nil)
		}
	})
}

// FuzzReadFacts checks that ReadFacts never panics on hostile input, that
// its errors wrap ErrCorrupt, and that what it reads is written back the
// same way.
func FuzzReadFacts(f *testing.F) {
	f.Add(AppendFacts(nil, nil))
	f.Add(AppendFacts(nil, Extract(benchParagraph, review2025)))
	f.Add([]byte{codecVersion, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, err := ReadFacts(b)
		if about, aerr := ReadFactsAbout(b, []string{"gdp"}); (aerr == nil) != (err == nil) || len(about) > len(fs) {
			t.Fatalf("ReadFactsAbout: %d facts, %v; ReadFacts: %d, %v", len(about), aerr, len(fs), err)
		}
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ReadFacts error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if again := AppendFacts(nil, fs); !bytes.Equal(again, b) {
			// Varints have one shortest form; a longer one read back is
			// written shorter, which is fine as long as it reads the same.
			fs2, err := ReadFacts(again)
			if err != nil || len(fs2) != len(fs) {
				t.Fatalf("re-encoding %x gave %x (%v)", b, again, err)
			}
		}
	})
}

// FuzzFigures checks the grounding scanner: no panic, every figure written
// (Raw not empty), not negative, and supporting itself.
func FuzzFigures(f *testing.F) {
	for _, s := range append(fuzzSeeds, "34,000 new jobs and 2.5 percent growth", "3.4 million", "[1]【2】", "5·8％", strings.Repeat("9", 400)+"万亿") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fg := range Figures(s) {
			if fg.Raw == "" || fg.Value < 0 || fg.Value != fg.Value {
				t.Fatalf("Figures(%q): bad figure %+v", s, fg)
			}
			if !fg.Matches(fg) {
				t.Fatalf("figure %+v does not match itself", fg)
			}
		}
	})
}

// FuzzReview checks that the scope Review reads from any heading and text
// is one thing at a time (a review or a plan), that a plan is not in the
// past, and that a plan's facts are never of a year before the report's.
func FuzzReview(f *testing.F) {
	f.Add("一、“十四五”时期和2025年工作回顾", "过去的五年极不寻常。\n城镇新增就业603.7万人。", 2026)
	f.Add("二、“十五五”时期主要目标任务", "——坚持以人民为中心，城镇新增就业500万人以上。", 2026)
	f.Add("", "今后五年，经济增长年均7%；五年来新增就业5000万人", 0)
	f.Fuzz(func(t *testing.T, heading, text string, year int) {
		var r Review
		for part := 1; part <= 2; part++ {
			p := corpus.Passage{ReportID: "r", HeadingPath: []string{heading}, Part: part, Text: text}
			s := r.Next(p, year)
			if s.FiveYears && s.Plan != 0 || s.Plan != 0 && year > 0 && s.Plan < year {
				t.Fatalf("Next(%q, %q, %d) = %+v", heading, text, year, s)
			}
			c := s.Context(corpus.Report{Year: year}, p)
			for _, fc := range Extract(text, c) {
				if fc.Kind == KindPlan && year > 0 && fc.Year <= year {
					t.Fatalf("Extract(%q, %+v): a plan's target of a year gone: %+v", text, c, fc)
				}
			}
		}
	})
}
