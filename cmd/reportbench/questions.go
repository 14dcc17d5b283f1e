package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/reportbot/reportbot/cmd/internal/derive"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/eval"
)

// Latency questions are derived from the reports, not written by hand:
//
//   - metric questions: in a passage whose section has a known period, a
//     figure with a unit ("增长6.5%", "新增就业1100万人") and the Han words
//     just before it ("国内生产总值增长") give "2018年国内生产总值增长目标是多少?"
//     for a target section or "2017年国内生产总值增长多少?" for a review;
//   - heading questions: a second-level heading ("(三)扎实推进乡村振兴")
//     gives "2018年扎实推进乡村振兴有哪些安排?" or "…取得了哪些成效?";
//   - plus the dev questions (testdata/questions.dev.jsonl), when present.
//
// Candidates are taken in corpus order and thinned evenly to the number
// wanted, so the set is the same on every run.

// numberingRe is the numbering of a heading: "(三)", "三、".
var numberingRe = regexp.MustCompile(`^[(（][一二三四五六七八九十]+[)）]|^[一二三四五六七八九十]+、`)

// benchQuestions returns about n questions derived from reports, followed
// by the questions of devFile (skipped when it does not exist).
func benchQuestions(reports []corpus.Report, n int, devFile string) ([]string, error) {
	var metric, heading []string
	seen := map[string]bool{}
	add := func(list *[]string, q string) {
		if !seen[q] {
			seen[q] = true
			*list = append(*list, q)
		}
	}
	for _, r := range reports {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			y := p.Period.Year
			if y == 0 || p.Period.Kind == corpus.PeriodUnknown {
				continue
			}
			for _, m := range derive.Metrics(p.Text, 8) {
				add(&metric, m.Question(p.Period))
			}
			if len(p.HeadingPath) >= 2 {
				h := strings.TrimSpace(numberingRe.ReplaceAllString(p.HeadingPath[1], ""))
				h = strings.TrimRight(h, "。，,;；")
				if n := len([]rune(h)); n < 4 || n > 30 {
					continue
				}
				if p.Period.Kind == corpus.PeriodTarget {
					add(&heading, fmt.Sprintf("%d年%s有哪些安排?", y, h))
				} else {
					add(&heading, fmt.Sprintf("%d年%s取得了哪些成效?", y, h))
				}
			}
		}
	}
	qs := append(thin(metric, n*2/3), thin(heading, n-n*2/3)...)
	if devFile != "" {
		f, err := os.Open(devFile)
		switch {
		case os.IsNotExist(err):
		case err != nil:
			return nil, fmt.Errorf("bench questions: %w", err)
		default:
			dev, err := eval.ReadQuestions(io.Reader(f))
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("bench questions: %s: %w", devFile, err)
			}
			for _, q := range dev {
				qs = append(qs, q.Question)
			}
		}
	}
	return qs, nil
}

// thin keeps n items of list, evenly spaced.
func thin(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	out := make([]string, n)
	for i := range out {
		out[i] = list[i*len(list)/n]
	}
	return out
}
