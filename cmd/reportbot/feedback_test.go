package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/eval"
)

const feedbackLines = `{"time":"2026-12-01T10:00:00Z","verdict":"helpful","user_id":"u1","channel_id":"c","message_id":"m1","question":"2018年新增就业目标是多少?","answer":"新增就业3.4万人。 [1]","passage_ids":["p1"]}
{"time":"2026-12-01T10:01:00Z","verdict":"wrong","user_id":"u1","channel_id":"c","message_id":"m1","question":"2018年新增就业目标是多少?","answer":"新增就业3.4万人。 [1]","passage_ids":["p1"]}
{"time":"2026-12-01T10:02:00Z","verdict":"wrong","user_id":"u2","channel_id":"c","message_id":"m1","question":"2018年新增就业目标是多少?","answer":"新增就业3.4万人。 [1]","passage_ids":["p1"]}
{"time":"2026-12-01T10:03:00Z","verdict":"wrong","user_id":"u3","channel_id":"c","message_id":"m2","question":"What was the 2019 GDP target?","answer":"About 6%. [1] [2]","passage_ids":["p7","p9"]}
{"time":"2026-12-01T10:04:00Z","verdict":"wrong","user_id":"u3","channel_id":"c","message_id":"m3","answer":"an answer from before a restart","passage_ids":["p2"]}
{"time":"2026-12-01T10:05:00Z","verdict":"helpful","user_id":"u4","channel_id":"c","message_id":"m4","question":"2017年呢?","answer":"…","passage_ids":[]}
{"torn
`

// TestFeedbackCommand lists the current votes and exports the answers
// marked wrong as eval candidates that eval.ReadQuestions reads once a
// person fills in answer and source.
func TestFeedbackCommand(t *testing.T) {
	dir := t.TempDir()
	fb := filepath.Join(dir, "feedback.jsonl")
	if err := os.WriteFile(fb, []byte(feedbackLines), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "candidates.jsonl")
	stdout, stderr, err := runCmd(t, "feedback", "--file", fb, "--export", out)
	if err != nil {
		t.Fatalf("feedback: %v (stderr %s)", err, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 6 {
		t.Errorf("listed %d lines, want a header and 5 current votes:\n%s", n, stdout)
	}
	if strings.Contains(stdout, "helpful  m1") {
		t.Errorf("u1's changed vote is listed as helpful:\n%s", stdout)
	}
	if !strings.Contains(stderr, "wrote 2 candidate questions") || !strings.Contains(stderr, "1 answers marked wrong had no question") {
		t.Errorf("stderr %q", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := []string{
		`{"id":"feedback-m1","lang":"zh","question":"2018年新增就业目标是多少?","answer":[],"note":"marked wrong in Discord; the bot answered: 新增就业3.4万人。 [1]; cited passages: p1"}`,
		`{"id":"feedback-m2","lang":"en","question":"What was the 2019 GDP target?","answer":[],"note":"marked wrong in Discord; the bot answered: About 6%. [1] [2]; cited passages: p7, p9"}`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("export:\n%s\nwant:\n%s", data, strings.Join(want, "\n"))
	}
	// Filled in by a person, the candidates are an eval file.
	filled := strings.ReplaceAll(string(data), `"answer":[]`, `"answer":["3.4万"],"source":"p1"`)
	qs, err := eval.ReadQuestions(strings.NewReader(filled))
	if err != nil || len(qs) != 2 || qs[0].ID != "feedback-m1" {
		t.Errorf("ReadQuestions of the filled export: %v, %+v", err, qs)
	}
}

func TestFeedbackCommandUsage(t *testing.T) {
	stdout, _, err := runCmd(t, "feedback", "-h")
	if err != nil || !strings.Contains(stdout, "usage: reportbot feedback") || !strings.Contains(stdout, "-export") {
		t.Errorf("feedback -h: %v, stdout %q", err, stdout)
	}
	for _, args := range [][]string{{"feedback", "extra"}, {"feedback", "--nope"}} {
		_, _, err := runCmd(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) || exitStatus(err, &strings.Builder{}) != 2 {
			t.Errorf("%v: %v, want a usage error (exit 2)", args, err)
		}
	}
	_, _, err = runCmd(t, "feedback", "--file", filepath.Join(t.TempDir(), "none.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "discord.feedback") {
		t.Errorf("missing file: %v", err)
	}
}
