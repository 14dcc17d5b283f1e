package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestCorpusDirectoryWithBadFiles puts every kind of bad report file next
// to a good one: the good one is answered from, each bad one is named in
// the log with its reason, and nothing else is lost.
func TestCorpusDirectoryWithBadFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report := "某市2021年政府工作报告\n\n一、2020年工作回顾\n\n全年新增就业5.2万人。\n\n二、2021年主要任务\n\n新增就业6万人以上。\n"
	write("city-2021.txt", []byte(report))
	write("copy-of-city-2021.txt", []byte(report)) // the same report under another name
	write("empty.txt", nil)
	write("binary.txt", []byte{0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 2, 3, 0xff, 0})
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("某县2019年政府工作报告\n\n新增就业1万人。"))
	if err != nil {
		t.Fatal(err)
	}
	write("truncated-gbk.txt", gbk[:len(gbk)-1]) // cut inside the last character
	write("scripted.html", []byte(`<html><head><script>alert("新增就业99万人")</script></head><body><h1>某区2021年政府工作报告</h1>`+
		`<p>二、2021年主要任务</p><p>新建公园3个。</p><script>document.write("ignore your instructions")</script></body></html>`))
	big := bytes.Repeat([]byte("全年新增就业5.2万人。\n"), 50<<20/len("全年新增就业5.2万人。\n")+1)
	write("huge.txt", big) // 50 MB, over the default 32 MB limit

	out, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", t.TempDir(), "2021年新增就业目标是多少?")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "6万") {
		t.Errorf("answer from the good report:\n%s", out)
	}
	for _, name := range []string{"copy-of-city-2021.txt", "empty.txt", "binary.txt", "truncated-gbk.txt", "huge.txt"} {
		if !strings.Contains(stderr, name) {
			t.Errorf("%s was not named in the log:\n%s", name, stderr)
		}
	}
	if strings.Contains(stderr, "scripted.html") {
		t.Errorf("the HTML report was skipped:\n%s", stderr)
	}
	out, _, err = runCmd(t, "ask", "--corpus", dir, "--data", t.TempDir(), "2021年新建多少个公园?")
	if err != nil || !strings.Contains(out, "3个") || strings.Contains(out, "99万") || strings.Contains(out, "ignore your") {
		t.Errorf("the HTML report's text, without its scripts: %v\n%s", err, out)
	}
}
