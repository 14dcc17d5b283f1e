package bot

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// unsafeText matches what the bot must never post: ESC and the other
// controls but tab and newline, C1 controls, bidirectional controls.
var unsafeText = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

// TestPostsHaveNoTerminalControls: an answer whose text and source title
// hold escape sequences, a bidirectional override and (in the title) a
// line break is posted without them, the title on one line (issue 15,
// item 9).
func TestPostsHaveNoTerminalControls(t *testing.T) {
	t.Parallel()
	src := testSource
	src.ReportTitle = "武清区2018年政府工作报告\n[9] fake source\x1b[31m\u202e"
	src.Quote = "新增就业\x1b]0;pwned\x073.4万人。"
	ans := &fakeAnswerer{text: "新增就业\x1b[2J3.4万人\u202e。 [1]", sources: []Source{src}}
	tb := startBot(t, Options{}, ans, nil)
	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	tb.waitOriginal(t, in, final)
	posted := 0
	for _, r := range tb.srv.Requests() {
		if (r.Method != "POST" && r.Method != "PATCH") || len(r.Body) == 0 {
			continue
		}
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			continue
		}
		posted++
		walkStrings(body, func(s string) {
			if loc := unsafeText.FindStringIndex(s); loc != nil {
				t.Errorf("%s %s posts %q in %q", r.Method, r.Path, s[loc[0]:loc[1]], s)
			}
			if strings.Contains(s, "\n[9] fake") {
				t.Errorf("%s %s posts the title on two lines: %q", r.Method, r.Path, s)
			}
		})
	}
	if posted == 0 {
		t.Fatal("nothing posted")
	}
}

// walkStrings calls f with every string in a decoded JSON value.
func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range v {
			walkStrings(e, f)
		}
	}
}
