package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

// spaced finds a space between a Chinese character and a figure, the
// artifact PDF extraction leaves ("新增就业 3.4 万人").
var spaced = regexp.MustCompile(`\p{Han} +[0-9]|[0-9%] +\p{Han}`)

// measure loads the text report txt and each copy of it, and prints for
// each copy: the share of the text's paragraphs found as paragraphs of the
// copy, of its sentences found in the copy, the spaces left between Chinese
// and figures, and the load time.
func measure(txt string, copies []string) error {
	ctx := context.Background()
	want, _, err := corpus.LoadFile(ctx, txt, corpus.LoadOptions{})
	if err != nil || len(want) != 1 {
		return fmt.Errorf("%s: %d reports, %v", txt, len(want), err)
	}
	paras := strings.Split(want[0].Text, "\n")
	var sentences []string
	for _, p := range paras {
		for _, s := range strings.SplitAfter(p, "。") {
			if len([]rune(s)) >= 8 {
				sentences = append(sentences, s)
			}
		}
	}
	for _, c := range copies {
		t0 := time.Now()
		got, probs, err := corpus.LoadFile(ctx, c, corpus.LoadOptions{})
		dt := time.Since(t0)
		if err != nil || len(got) != 1 {
			fmt.Printf("%-50s failed: %v %v\n", c, err, probs)
			continue
		}
		have := map[string]bool{}
		for _, p := range strings.Split(got[0].Text, "\n") {
			have[p] = true
		}
		pm, sm := 0, 0
		for _, p := range paras {
			if have[p] {
				pm++
			}
		}
		for _, s := range sentences {
			if strings.Contains(got[0].Text, s) {
				sm++
			}
		}
		fmt.Printf("%-50s paragraphs %4d/%-4d %.3f  sentences %4d/%-4d %.3f  spaced figures %d  pages %d  %.2fs\n",
			c, pm, len(paras), float64(pm)/float64(len(paras)), sm, len(sentences), float64(sm)/float64(max(1, len(sentences))),
			len(spaced.FindAllString(got[0].Text, -1)), len(got[0].Pages), dt.Seconds())
	}
	return nil
}
