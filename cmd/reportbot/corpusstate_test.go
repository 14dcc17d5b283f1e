package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/index"
)

// TestCorpusStateDetectsChanges runs `index` over a corpus directory after
// each change and checks what it embedded and removed: an unchanged
// directory is not re-read, any change to a file's size, time or presence is.
func TestCorpusStateDetectsChanges(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	report := func(city, target string) string {
		return city + "2021年政府工作报告\n\n一、2020年工作回顾\n\n全年新增就业5.2万人。\n\n二、2021年主要任务\n\n新增就业" + target + "万人以上。\n"
	}
	a := filepath.Join(dir, "a-2021.txt")
	mtime := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	write := func(path, text string, at time.Time) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name             string
		change           func()
		embedded, remove int // -1: some
	}{
		{"first index", func() { write(a, report("甲市", "6"), mtime) }, -1, 0},
		{"unchanged", func() {}, 0, 0},
		{"edited", func() { write(a, report("甲市", "7"), mtime.Add(time.Second)) }, 1, 1},
		{"file added", func() { write(filepath.Join(dir, "b-2021.txt"), report("乙市", "8"), mtime) }, -1, 0},
		{"hidden file added", func() { write(filepath.Join(dir, ".notes.txt"), "x", mtime) }, 0, 0},
		{"file removed", func() { os.Remove(filepath.Join(dir, "b-2021.txt")) }, 0, -1},
		{"touched, same content", func() { write(a, report("甲市", "7"), mtime.Add(time.Hour)) }, 0, 0},
		{"touched again, one byte changed", func() { write(a, report("甲市", "8"), mtime.Add(2*time.Hour)) }, 1, 1},
	}
	re := regexp.MustCompile(`\((\d+) embedded, \d+ unchanged, (\d+) removed\)`)
	for _, st := range steps {
		st.change()
		out, stderr, err := runCmd(t, "index", "--corpus", dir, "--data", data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", st.name, err, stderr)
		}
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("%s: unexpected output %q", st.name, out)
		}
		// Only a touch is settled by the content hashes, without re-reading.
		if hashed := strings.Contains(stderr, "content is unchanged; not re-read"); hashed != strings.HasPrefix(st.name, "touched,") {
			t.Errorf("%s: settled by content hashes = %v; stderr:\n%s", st.name, hashed, stderr)
		}
		emb, _ := strconv.Atoi(m[1])
		rem, _ := strconv.Atoi(m[2])
		if (st.embedded < 0 && emb == 0) || (st.embedded >= 0 && emb != st.embedded) ||
			(st.remove < 0 && rem == 0) || (st.remove >= 0 && rem != st.remove) {
			t.Errorf("%s: got %d embedded, %d removed; want %d, %d (-1: some)", st.name, emb, rem, st.embedded, st.remove)
		}
	}
	if _, err := os.Stat(filepath.Join(data, index.CorpusStateFile)); err != nil {
		t.Errorf("no corpus state saved: %v", err)
	}
}

// TestCorpusStateSkipsReading checks that an unchanged directory is not
// read: a file rewritten with the same size and time keeps the old index
// (the documented limit of a stat check), and the skipped files are named
// again from the saved state, in one line rather than a warning each.
func TestCorpusStateSkipsReading(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(dir, "c-2021.txt")
	os.WriteFile(path, []byte("丙市2021年政府工作报告\n\n二、2021年主要任务\n\n新增就业6万人以上。\n"), 0o644)
	os.Chtimes(path, at, at)
	os.WriteFile(filepath.Join(dir, "broken.txt"), []byte{0xff, 0x00, 0xfe, 0x00, 0x01}, 0o644)
	if _, _, err := runCmd(t, "index", "--corpus", dir, "--data", data); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("丙市2021年政府工作报告\n\n二、2021年主要任务\n\n新增就业9万人以上。\n"), 0o644)
	os.Chtimes(path, at, at)
	out, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, "2021年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`6万`).MatchString(out) {
		t.Errorf("the corpus was re-read although its stamps did not change:\n%s", out)
	}
	if !regexp.MustCompile(`broken\.txt`).MatchString(stderr) {
		t.Errorf("skipped file not reported again; stderr:\n%s", stderr)
	}
}
