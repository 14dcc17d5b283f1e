package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
)

// TestSkippedFilesWarnedOncePerChange opens a corpus directory with bad
// files again and again, as commands do: the skipped files are warned of
// one by one when first seen, when the set of skipped files changes, and
// on index or --rebuild; otherwise one info line counts them.
func TestSkippedFilesWarnedOncePerChange(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report := func(city string) string {
		return city + "2021年政府工作报告\n\n二、2021年主要任务\n\n" + city + "新增就业6万人以上。\n"
	}
	write("a-2021.txt", report("甲市"))
	write("broken.txt", "\xff\x00\xfe\x00\x01")
	write("menu.html", "<ul><li>政务公开</li><li>新闻中心</li><li>办事服务</li></ul>")

	steps := []struct {
		name             string
		change           func()
		indexer, rebuild bool
		warned           []string // files warned of one by one; nil: none
		info             int      // skipped files counted in one info line; 0: no line
	}{
		{"first open", func() {}, false, false, []string{"broken.txt", "menu.html"}, 0},
		{"unchanged", func() {}, false, false, nil, 2},
		{"unchanged, index", func() {}, true, false, []string{"broken.txt", "menu.html"}, 0},
		{"unchanged, rebuild", func() {}, false, true, []string{"broken.txt", "menu.html"}, 0},
		{"a good file added", func() { write("b-2021.txt", report("乙市")) }, false, false, nil, 2},
		{"a bad file added", func() { write("empty.txt", "") }, false, false, []string{"broken.txt", "empty.txt", "menu.html"}, 0},
		{"unchanged again", func() {}, false, false, nil, 3},
		{"a bad file fixed", func() { write("menu.html", "<p>丙市新增就业5万人。</p>") }, false, false, []string{"broken.txt", "empty.txt"}, 0},
		{"a duplicate added", func() { write("c-copy.txt", report("甲市")) }, false, false, []string{"broken.txt", "c-copy.txt", "empty.txt"}, 0},
	}
	for _, st := range steps {
		st.change()
		cfg := config.Default()
		cfg.Corpus.Dir, cfg.DataDir = dir, data
		var logs bytes.Buffer
		_, err := Open(t.Context(), Options{
			Config: cfg, Log: NewLogger(&logs, config.Log{Level: "info", Format: "json"}),
			Indexer: st.indexer, Rebuild: st.rebuild,
		})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		warned, info := skipLogs(t, logs.Bytes())
		slices.Sort(warned)
		if !slices.Equal(warned, st.warned) || info != st.info {
			t.Errorf("%s: warned of %q and counted %d in an info line; want %q and %d\n%s", st.name, warned, info, st.warned, st.info, logs.String())
		}
	}
	if saved := index.ReadCorpusState(data); saved == nil || len(saved.Skipped) != 3 {
		t.Errorf("corpus state = %+v, want the three skipped files recorded", saved)
	}
}

// skipLogs returns the sources of the "skipped report file" warnings in
// JSON logs, and the count of the info line about unchanged skipped files
// (0 without one; more than one is an error).
func skipLogs(t *testing.T, logs []byte) (warned []string, info int) {
	t.Helper()
	lines := 0
	for line := range bytes.Lines(logs) {
		var rec struct {
			Level, Msg, Source, Files string
			Skipped                   int
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch {
		case rec.Level == "WARN" && rec.Msg == "skipped report file":
			warned = append(warned, rec.Source)
		case strings.Contains(rec.Msg, "skipped"):
			if rec.Level != "INFO" || rec.Skipped == 0 || !strings.Contains(rec.Msg, "reportbot index") || rec.Files == "" {
				t.Errorf("log line %s: want an info line counting and naming the skipped files", line)
			}
			info = rec.Skipped
			lines++
		}
	}
	if lines > 1 {
		t.Errorf("%d info lines about skipped files, want at most one:\n%s", lines, logs)
	}
	return warned, info
}

func TestReportSkippedNamesAFew(t *testing.T) {
	t.Parallel()
	var skipped []index.SkippedFile
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		skipped = append(skipped, index.SkippedFile{Source: name + ".txt", Reason: "binary content"})
	}
	var logs bytes.Buffer
	reportSkipped(NewLogger(&logs, config.Log{Level: "info", Format: "json"}), skipped, false)
	var rec struct {
		Level, Files string
		Skipped      int
	}
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("want one JSON line, got %q: %v", logs.String(), err)
	}
	if want := "a.txt, b.txt, c.txt, d.txt, e.txt, and 2 more"; rec.Level != "INFO" || rec.Skipped != 7 || rec.Files != want {
		t.Errorf("info line = %+v, want INFO, 7 skipped, files %q", rec, want)
	}
}
