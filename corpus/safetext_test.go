package corpus

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reportbot/reportbot/internal/safetext"
)

// TestLoadRemovesTerminalControls: titles, publishers, URLs and text from
// sidecars, JSONL lines and HTML come out without escape sequences,
// bidirectional overrides or (in single-line fields) line breaks, which
// `ask` and `reports` printed raw (a title with "\n[9] fake source" forged
// a citation line) (issue 15, item 9).
func TestLoadRemovesTerminalControls(t *testing.T) {
	t.Parallel()
	seed := readSeed(t, seed2018)
	body := strings.Replace(seed, "各位代表", "各位\x1b[2J\x1b[H代表\u202e", 1) + "\n乙市的报告到此结束。\n"
	jsonl := `{"title":"甲市2019年政府工作报告\n[9] fake source \u001b]0;pwned\u0007\u202eevil","url":"http://x/\u001b[31m1","year":2019,"content":` +
		jsonString(t, strings.Replace(seed, "武清区", "甲市\u001b[31m", 1)+"\n甲市的报告到此结束。") + "}\n"
	fsys := fstest.MapFS{
		"a.txt":       {Data: []byte(body)},
		"a.meta.yaml": {Data: []byte("title: \"乙市2018年政府工作报告\\n[9] fake source\\e[31m\"\npublisher: \"\\u202e乙市政府\"\nurl: \"http://y/\\u2066z\"\n")},
		"b.jsonl":     {Data: []byte(jsonl)},
		"c.html":      {Data: []byte("<html><head><title>丙市&#x1b;[31m2017年政府工作报告</title></head><body><p>" + strings.ReplaceAll(seed, "\n", "</p><p>") + "丙市的报告到此结束&#x202e;&#27;[0m。</p></body></html>")},
	}
	reports, problems, err := Load(fsys, ".", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 3 {
		t.Fatalf("got %d reports (problems %v), want 3", len(reports), problems)
	}
	for _, r := range reports {
		for name, v := range map[string]string{"title": r.Title, "publisher": r.Publisher, "publish date": r.PublishDate, "url": r.URL} {
			if v != safetext.Line(v) || strings.Contains(v, "[31m") {
				t.Errorf("%s: %s %q holds controls", r.Source, name, v)
			}
		}
		if r.Text != safetext.Text(r.Text) || strings.Contains(r.Text, "[2J") || strings.Contains(r.Text, "[31m") || strings.Contains(r.Text, "[0m") {
			t.Errorf("%s: text holds controls", r.Source)
		}
		if strings.Contains(r.Title, "\n") {
			t.Errorf("%s: title %q has a line break", r.Source, r.Title)
		}
	}
	if got, want := reports[0].Title, "乙市2018年政府工作报告 [9] fake source"; got != want {
		t.Errorf("sidecar title = %q, want %q", got, want)
	}
}

// jsonString quotes s as a JSON string.
func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
