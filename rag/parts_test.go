package rag

import (
	"context"
	"strings"
	"testing"
)

// TestAskInParts: a question that asks two things is answered in two
// parts, each cited; the second part takes the first's topic, and its
// citation numbers follow the first's.
func TestAskInParts(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	for _, q := range []string{
		"2017年武清区新增就业多少人？2018年的目标是多少？",
		"How many new jobs did Wuqing add in 2017, and what was the target for 2018?",
	} {
		a, err := e.Ask(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"(1) ", "(2) ", "3.7万", "3.4万", "[1]", "[2]"} {
			if !strings.Contains(a.Text, want) {
				t.Errorf("Ask(%q) = %q; want it to hold %q", q, a.Text, want)
			}
		}
		if a.NotFound || len(a.Citations) != 2 || a.Citations[1].N != 2 {
			t.Errorf("Ask(%q): not found %v, %d citations; want 2, numbered 1 and 2", q, a.NotFound, len(a.Citations))
		}
	}
}
