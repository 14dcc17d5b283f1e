package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestCorpusStateLost: with the corpus state file gone (a copied data
// directory, a cleanup), the index's record of the files it was synced
// from answers for it when their contents are the same: nothing is read
// or split again and the state file is written anew; a file whose content
// changed while the state was lost is read again.
func TestCorpusStateLost(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a-2021.txt", "甲市2021年政府工作报告\n\n二、2021年主要任务\n\n甲市新增就业6万人以上。\n")
	write("b-2021.txt", "乙市2021年政府工作报告\n\n二、2021年主要任务\n\n乙市新增就业4万人。\n")
	write("broken.txt", "\xff\x00\xfe\x00\x01")
	open := func() (*App, string) {
		t.Helper()
		cfg := config.Default()
		cfg.Corpus.Dir, cfg.DataDir = dir, data
		var logs bytes.Buffer
		a, err := Open(t.Context(), Options{Config: cfg, Log: NewLogger(&logs, config.Log{Level: "info", Format: "json"})})
		if err != nil {
			t.Fatal(err)
		}
		return a, logs.String()
	}
	const rebuilt = "corpus state rebuilt from the index"
	first, _ := open()
	want := first.Engine.Index().Len()
	lose := func() {
		t.Helper()
		if err := os.Remove(filepath.Join(data, index.CorpusStateFile)); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		change  func()
		rebuilt bool // the state is rebuilt from the index, nothing re-read
		jobs    string
	}{
		{"state lost", lose, true, "6万人"},
		{"state there", func() {}, false, "6万人"},
		{"state lost, a file touched", func() {
			lose()
			now := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(dir, "a-2021.txt"), now, now); err != nil {
				t.Fatal(err)
			}
		}, true, "6万人"},
		{"state lost, a file changed", func() {
			lose()
			write("a-2021.txt", "甲市2021年政府工作报告\n\n二、2021年主要任务\n\n甲市新增就业7万人。\n")
		}, false, "7万人"},
		{"state lost again after the change", lose, true, "7万人"},
	}
	for _, st := range steps {
		st.change()
		a, logs := open()
		if got := strings.Contains(logs, rebuilt); got != st.rebuilt {
			t.Errorf("%s: state rebuilt from the index %v, want %v\n%s", st.name, got, st.rebuilt, logs)
		}
		if index.ReadCorpusState(data) == nil {
			t.Errorf("%s: no corpus state file after opening", st.name)
		}
		if a.Engine.Index().Len() != want {
			t.Errorf("%s: %d passages, want %d", st.name, a.Engine.Index().Len(), want)
		}
		ans, err := a.Engine.Ask(t.Context(), "甲市2021年新增就业目标是多少?")
		if err != nil || !strings.Contains(ans.Text, st.jobs) {
			t.Errorf("%s: answer %q (%v), want %s", st.name, ans.Text, err, st.jobs)
		}
	}
}
