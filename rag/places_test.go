package rag

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// placesEngine indexes two provincial reports that give the same
// indicator different figures.
func placesEngine(t *testing.T) *Engine {
	t.Helper()
	fsys := fstest.MapFS{
		"jx.txt": {Data: []byte("2026年江西省政府工作报告\n\n一、2025年工作回顾\n\n全省地区生产总值增长5.1%。\n\n二、2026年主要任务\n\n地区生产总值增长5%-5.5%,城镇新增就业40万人。\n")},
		"jl.txt": {Data: []byte("2026年吉林省政府工作报告\n\n一、2025年工作回顾\n\n全省地区生产总值增长4.9%。\n\n二、2026年主要任务\n\n地区生产总值增长5%左右,城镇新增就业22万人。\n")},
	}
	return engineOf(t, fsys)
}

// engineOf indexes the reports of fsys (each file one report, loaded
// without problems) with the counting embedder and returns an engine over
// them.
func engineOf(t *testing.T, fsys fstest.MapFS) *Engine {
	t.Helper()
	reports, problems, err := corpus.Load(fsys, ".", corpus.LoadOptions{})
	if err != nil || len(problems) > 0 || len(reports) != len(fsys) {
		t.Fatalf("load: %v %v %d reports of %d files", err, problems, len(reports), len(fsys))
	}
	ix, err := index.New(newCounting(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(t.Context(), reports, index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestAnswersFromTheNamedPlace checks that a question naming a place is
// answered from that place's report only, that a place without a report
// gets "not found" for that place, and that a question naming none is
// told which place answered.
func TestAnswersFromTheNamedPlace(t *testing.T) {
	t.Parallel()
	e := placesEngine(t)
	tests := []struct {
		question string
		want     string // in the answer text
		notWant  string // never in the answer text
		notice   string // in the notice; "" for none
	}{
		{"江西2026年城镇新增就业目标是多少?", "40万", "22万", ""},
		{"吉林2026年城镇新增就业目标是多少?", "22万", "40万", ""},
		{"江西去年地区生产总值增长多少?", "5.1%", "4.9%", ""},
		{"广东2026年城镇新增就业目标是多少?", "未找到广东省的答案", "万", ""},
		{"2026年美国城镇新增就业目标是多少?", "未找到美国的答案", "万", ""},
		{"What is Guangdong's 2026 target for new urban jobs?", "Not found for Guangdong", "", ""},
		{"2026年城镇新增就业目标是多少?", "万", "", "问题未指明地区"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := e.Ask(t.Context(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, tt.want) || tt.notWant != "" && strings.Contains(a.Text, tt.notWant) {
				t.Errorf("answer %q, want %q and not %q", a.Text, tt.want, tt.notWant)
			}
			if got := strings.Contains(a.Notice, "问题未指明地区"); got != (tt.notice != "") {
				t.Errorf("notice %q, want notice %q", a.Notice, tt.notice)
			}
		})
	}
}
