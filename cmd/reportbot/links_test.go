package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpusLinksOutside: a corpus directory of links to reports kept
// elsewhere (as the evaluation corpora are) is refused by default, each
// link named with the fix; --follow-links reads it, and an edit to a
// linked report is noticed by the next command over the same index (only
// the link was fingerprinted, and the edit never was) (issue 15, item 5).
func TestCorpusLinksOutside(t *testing.T) {
	t.Parallel()
	dir, store, data := t.TempDir(), t.TempDir(), t.TempDir()
	report := filepath.Join(store, "city-2021.txt")
	write := func(text string, at time.Time) {
		t.Helper()
		if err := os.WriteFile(report, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(report, at, at); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now().Add(-time.Hour)
	write("某市2021年政府工作报告\n\n二、2021年主要任务\n\n新增就业6万人以上，城镇调查失业率控制在5.5%以内。\n", at)
	if err := os.Symlink(report, filepath.Join(dir, "city-2021.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.txt")); err != nil {
		t.Fatal(err)
	}
	const question = "2021年新增就业目标是多少?"

	_, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, question)
	if err == nil || !strings.Contains(err.Error(), "no usable reports") {
		t.Fatalf("ask over links outside = %v, want no usable reports", err)
	}
	for _, want := range []string{"city-2021.txt", "passwd.txt", "/etc/passwd", "corpus.follow_links: outside (or --follow-links)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("log lacks %q:\n%s", want, stderr)
		}
	}

	out, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, "--follow-links", question)
	if err != nil || !strings.Contains(out, "6万") {
		t.Fatalf("ask --follow-links = %v\n%s\n%s", err, out, stderr)
	}
	// Same size, a later time: only reading the target tells the change.
	write("某市2021年政府工作报告\n\n二、2021年主要任务\n\n新增就业8万人以上，城镇调查失业率控制在5.5%以内。\n", at.Add(time.Minute))
	out, stderr, err = runCmd(t, "ask", "--corpus", dir, "--data", data, "--follow-links", question)
	if err != nil || !strings.Contains(out, "8万") {
		t.Errorf("after editing the linked report: %v\n%s\n%s", err, out, stderr)
	}
}
