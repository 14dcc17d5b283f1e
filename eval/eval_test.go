package eval

import (
	"os"
	"strings"
	"testing"
)

func TestReadQuestions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		n       int
		wantErr string
	}{
		{"note is accepted", `{"id":"a","lang":"zh","question":"q?","unanswerable":true,"note":"no such figure"}`, 1, ""},
		{"blank lines skipped", "\n" + `{"id":"a","lang":"en","question":"q?","answer":["1"],"source":"s"}` + "\n\n", 1, ""},
		{"extra field ignored", `{"id":"a","lang":"zh","question":"q?","unanswerable":true,"hint":"x"}`, 1, ""},
		{"answerable needs source", `{"id":"b","lang":"zh","question":"q?","answer":["1"]}`, 0, "line 1 (b): an answerable question needs answer and source"},
		{"empty question", `{"id":"c","lang":"zh","question":""}`, 0, "line 1: empty question"},
		{"no questions", "\n", 0, "no questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			qs, err := ReadQuestions(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(qs) != tt.n {
				t.Fatalf("got %d questions, %v; want %d", len(qs), err, tt.n)
			}
		})
	}
}

// TestQuestionSetsParse reads every question set in testdata, the
// provincial one with its note fields included.
func TestQuestionSetsParse(t *testing.T) {
	t.Parallel()
	for file, n := range map[string]int{"questions.dev.jsonl": 30, "questions.national.jsonl": 40, "questions.provinces.jsonl": 160} {
		f, err := os.Open("../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := ReadQuestions(f)
		f.Close()
		if err != nil || len(qs) != n {
			t.Errorf("%s: %d questions, %v; want %d", file, len(qs), err, n)
		}
	}
}
