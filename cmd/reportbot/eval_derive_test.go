package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/eval"
)

func TestDeriveQuestions(t *testing.T) {
	t.Parallel()
	text := "甲市2019年政府工作报告\n\n一、2018年工作回顾\n\n全年城镇新增就业人数52万人。乡村道路新建里程达到120公里,城市道路新建里程达到130公里。\n\n" +
		"二、2019年主要任务\n\n全市地区生产总值增长6.5%左右。城镇新增就业人数50万人以上。\n"
	reports := []corpus.Report{{ID: "r1", Title: "甲市2019年政府工作报告", Year: 2019, Text: text}}
	qs := deriveQuestions(reports, 0)
	var got []string
	for _, q := range qs {
		got = append(got, q.Question+" → "+strings.Join(q.Answer, "|")+" @ "+q.Source)
	}
	want := []string{
		"2018年新增就业人数多少? → 52万人 @ 新增就业人数52万人",
		"2019年生产总值增长目标是多少? → 6.5% @ 生产总值增长6.5%",
		"2019年新增就业人数目标是多少? → 50万人 @ 新增就业人数50万人",
	}
	// "新建里程达到" stands before two figures of 2018: ambiguous, skipped.
	if !slices.Equal(got, want) {
		t.Errorf("derived:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, q := range qs {
		if q.Lang != "zh" || q.ID == "" || !strings.Contains(text, q.Source) {
			t.Errorf("question %d: %+v: want an id, zh, and a verbatim source", i, q)
		}
	}
	if n := len(deriveQuestions(reports, 2)); n != 2 {
		t.Errorf("thinned to 2: got %d", n)
	}
}

// TestEvalDerive runs eval on questions derived from the bundled reports.
func TestEvalDerive(t *testing.T) {
	t.Parallel()
	out, stderr, err := runCmd(t, "eval", "--derive", "12", "--json")
	if err != nil {
		t.Fatalf("eval --derive: %v\n%s", err, stderr)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("eval --derive --json: %v\n%s", err, out)
	}
	if rep.Overall.Questions != 12 || rep.Overall.Errors != 0 || rep.Overall.AnswerAccuracy < 0.75 {
		t.Errorf("eval --derive 12: %+v; want 12 questions, no errors, most answered", rep.Overall)
	}
	if _, _, err := runCmd(t, "eval"); err == nil || !strings.Contains(err.Error(), "--questions FILE, --derive N and --set") {
		t.Errorf("eval without questions: %v", err)
	}
}
