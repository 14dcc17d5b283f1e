package bot

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// longAnswer is an answer that needs several messages.
var longAnswer = strings.Repeat("完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,新增就业3.4万人。 [1]\n", 120)

// webhookPosts returns the contents of the follow-ups the fake got.
func webhookPosts(reqs []Request) []string {
	var out []string
	for _, r := range reqs {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/webhooks/") && r.Status < 300 {
			var b struct{ Content string }
			_ = json.Unmarshal(r.Body, &b)
			out = append(out, b.Content)
		}
	}
	return out
}

// TestFailedFollowUpKeepsTheAnswer: when a later part of a long answer
// cannot be posted, the part already shown stays, the missing part is
// retried, and the bot still remembers the answer and opens its thread.
func TestFailedFollowUpKeepsTheAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		failures int
		wantNote bool
	}{
		{"retried", 1, false},
		{"lost", 1000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := startBot(t, Options{FeedbackFile: t.TempDir() + "/fb.jsonl"}, &fakeAnswerer{text: longAnswer}, nil)
			tb.srv.Inject(discordtest.Fault{Method: "POST", PathContains: "/webhooks/", Status: http.StatusInternalServerError, Times: tc.failures})
			in := tb.ask(t, channel, "就业")
			msgID := ""
			for msgID == "" {
				msgID, _ = tb.srv.OriginalID(in.Token)
				testPause()
			}
			threadID := tb.waitThread(t, msgID)
			if threadID == "" {
				t.Fatal("no thread opened")
			}
			first, _ := tb.srv.Message(msgID)
			if !strings.HasPrefix(first.Content, "完善就业") {
				t.Errorf("the first message became %q, want the answer's first part", first.Content)
			}
			if tc.wantNote {
				return
			}
			posts := webhookPosts(tb.srv.Requests())
			all := strings.Join(append([]string{first.Content}, posts...), "\n")
			if all != strings.TrimSpace(longAnswer) {
				t.Errorf("after a retried follow-up the messages do not add up to the answer (%d follow-ups)", len(posts))
			}
		})
	}
}
