package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/internal/safetext"
)

// unsafeOutput matches what must never reach the terminal: ESC, other
// controls but tab and newline, C1 controls and bidirectional controls.
var unsafeOutput = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

// TestOutputHasNoTerminalControls: a sidecar title with a line break,
// escape sequences and a bidirectional override was printed raw by ask
// and reports, and its line break forged a "[9] fake source" line (issue
// 15, item 9).
func TestOutputHasNoTerminalControls(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("city-2021.txt", "某市2021年政府工作报告\n\n二、2021年主要任务\n\n新增就业6万人以上\u202e。"+strings.Repeat("新建公园3个，绿化面积增加。", 20)+"\x1b[2J\n")
	write("city-2021.meta.yaml", "title: \"某市2021年政府工作报告\\n[9] fake source \\e]0;pwned\\a\\e[31m\\u202e\"\n")
	for _, args := range [][]string{
		{"reports", "--corpus", dir, "--data", data},
		{"ask", "--corpus", dir, "--data", data, "--why", "2021年新增就业目标是多少?"},
	} {
		out, stderr, err := runCmd(t, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, stderr)
		}
		if loc := unsafeOutput.FindStringIndex(out); loc != nil {
			t.Errorf("%s output holds %q:\n%s", args[0], out[loc[0]:loc[1]], out)
		}
		for line := range strings.Lines(out) {
			if strings.HasPrefix(line, "[9]") {
				t.Errorf("%s output has a forged line %q", args[0], line)
			}
		}
		if !strings.Contains(out, "某市2021年政府工作报告 [9] fake source") {
			t.Errorf("%s output lacks the title on one line:\n%s", args[0], out)
		}
	}
}

// TestSafeAnswer: what ask prints of an answer read from an older index
// (titles and passages never made safe) has no controls and no forged
// lines.
func TestSafeAnswer(t *testing.T) {
	t.Parallel()
	c := answer.Citation{N: 1, ReportTitle: "某市\n[9] fake\x1b[31m", Section: []string{"一、\u202e回顾"}, Quote: "新增\r就业", Text: "新增\x1b]0;x\x07就业"}
	a := &answer.Answer{Text: "新增就业\x1b[2J6万人[1]。", Citations: []answer.Citation{c}, Closest: []answer.Citation{c}}
	out := answer.Text(safeAnswer(a))
	if loc := unsafeOutput.FindStringIndex(out); loc != nil {
		t.Errorf("output holds %q:\n%s", out[loc[0]:loc[1]], out)
	}
	if strings.Contains(out, "\n[9]") {
		t.Errorf("forged line:\n%s", out)
	}
	if a.Citations[0].ReportTitle != c.ReportTitle || a.Text != "新增就业\x1b[2J6万人[1]。" {
		t.Error("safeAnswer changed its argument")
	}
	if got := safetext.Line(c.ReportTitle); safeAnswer(a).Citations[0].ReportTitle != got {
		t.Errorf("title = %q, want %q", safeAnswer(a).Citations[0].ReportTitle, got)
	}
}
