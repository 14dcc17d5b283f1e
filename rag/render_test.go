package rag

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/answer"
)

func TestFormatTraceExplainsTheAnswer(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	a, err := e.Ask(t.Context(), "2018年全年引资到位额的目标是多少亿元?")
	if err != nil {
		t.Fatal(err)
	}
	a.Rewrite = "2018年引资到位额目标"
	a.Grounding = &answer.Grounding{Model: "m", Retried: true, Unsupported: []string{"5.2万"}}
	tr := answer.Trace(a)
	for _, want := range []string{"Rewritten query: 2018年引资到位额目标", "years [2018]", "target", "unit 亿元",
		"Retrieved", "1. ", "¶", "Best evidence", "retried true", "5.2万"} {
		if !strings.Contains(tr, want) {
			t.Errorf("trace lacks %q:\n%s", want, tr)
		}
	}
	if got, want := strings.Count(tr, "\n1. "), 1; got != want {
		t.Errorf("trace lists %d first hits", got)
	}
}

func TestFormatTextShowsNotice(t *testing.T) {
	t.Parallel()
	a := &answer.Answer{Text: "新增就业3.4万人。 [1]", Notice: "quoted directly", Citations: []answer.Citation{{N: 1, ReportTitle: "T", Year: 2018, Paragraph: 3, Quote: "q"}}}
	out := answer.Text(a)
	if !strings.Contains(out, "(quoted directly)") || !strings.Contains(out, "[1] T (2018) · ¶3") {
		t.Errorf("FormatText:\n%s", out)
	}
}
