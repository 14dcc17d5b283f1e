package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedIndexIsRefusedAndRebuilt repeats the red-team run of issue
// 15, item 7: "3.4" changed to "3.9" in 新增就业3.4万 inside index.rbx, its
// mtime restored. ask answered 新增就业3.9万; now it refuses, naming the
// damaged section and the command that fixes it, index --verify says the
// same, and index --rebuild rebuilds over the damaged file.
func TestDamagedIndexIsRefusedAndRebuilt(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	report := "甲市2018年政府工作报告\n\n一、2017年工作回顾\n\n全年新增就业3.1万人。\n\n二、2018年主要任务\n\n新增就业3.4万人，城镇登记失业率控制在3.5%以内。\n"
	if err := os.WriteFile(filepath.Join(dir, "jia-2018.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	const q = "2018年新增就业目标是多少?"
	if out, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, q); err != nil || !strings.Contains(out, "3.4万") {
		t.Fatalf("ask before the damage: %v\n%s%s", err, out, stderr)
	}
	file := filepath.Join(data, "index.rbx")
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("新增就业3.4万"))
	if i < 0 {
		t.Fatal("no 新增就业3.4万 in index.rbx")
	}
	b[i+len("新增就业3.")] = '9'
	if err := os.WriteFile(file, b, fi.Mode()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		args    []string
		ok      bool
		want    string // in stdout, or in the error
		notWant string // nowhere in stdout
	}{
		{[]string{"ask", q}, false, `section "passages"`, "3.9万"},
		{[]string{"index", "--verify"}, false, "run `reportbot index --rebuild`", ""},
		{[]string{"index"}, false, "run `reportbot index --rebuild`", ""},
		{[]string{"index", "--rebuild"}, true, "passages", ""},
		{[]string{"index", "--verify"}, true, "every checksum matches", ""},
		{[]string{"ask", q}, true, "3.4万", "3.9万"},
	}
	for _, st := range steps {
		out, stderr, err := runCmd(t, append(st.args, "--corpus", dir, "--data", data)...)
		name := strings.Join(st.args, " ")
		got := out
		if err != nil {
			got = err.Error()
		}
		if (err == nil) != st.ok || !strings.Contains(got, st.want) || (st.notWant != "" && strings.Contains(out, st.notWant)) {
			t.Errorf("%s: err %v, want ok=%v, %q in:\n%s%s", name, err, st.ok, st.want, out, stderr)
		}
	}
}
