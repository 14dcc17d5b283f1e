package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

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
		{"lost", followUpAttempts, true},
		{"down", 1000, false},
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
			if tc.failures >= followUpAttempts {
				if tc.wantNote {
					if c := privateReply(t, tb, in); !strings.Contains(c, "Only 1 of the ") {
						t.Errorf("note to the asker %q, want how many messages are missing", c)
					}
				}
				err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
					m, _ := v.Original(in.Token)
					return strings.Contains(fmt.Sprint(m["components"]), idWrong)
				})
				if err != nil {
					t.Errorf("the answer's buttons never reached its first message: %v", err)
				}
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

// privateReply waits for an ephemeral follow-up to in, or an ephemeral
// immediate response, and returns its content.
func privateReply(t *testing.T, tb *testBot, in discordtest.Interaction) string {
	t.Helper()
	got := ""
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			var b struct {
				Content string
				Flags   int
				Type    int
				Data    *struct {
					Content string
					Flags   int
				}
			}
			_ = json.Unmarshal(r.Body, &b)
			switch {
			case r.Method == "POST" && r.Path == "/interactions/"+in.ID+"/"+in.Token+"/callback" && b.Type == 4 && b.Data != nil && b.Data.Flags&64 != 0:
				got = b.Data.Content
				return true
			case r.Method == "POST" && strings.HasPrefix(r.Path, "/webhooks/") && strings.HasSuffix(r.Path, "/"+in.Token) && b.Flags&64 != 0:
				got = b.Content
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no private reply to the asker: %v", err)
	}
	return got
}

// publicSays reports whether the public response to in ever said s.
func publicSays(tb *testBot, in discordtest.Interaction, s string) bool {
	for _, r := range tb.srv.Requests() {
		if strings.Contains(r.Path, in.Token) && !strings.Contains(string(r.Body), `"flags":64`) && strings.Contains(string(r.Body), s) {
			return true
		}
	}
	return false
}

// responseDeleted waits a few seconds for the bot to delete in's public
// response and reports whether it did.
func responseDeleted(tb *testBot, in discordtest.Interaction) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return tb.srv.Wait(ctx, func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "DELETE" && strings.HasSuffix(r.Path, "/"+in.Token+"/messages/@original") {
				return true
			}
		}
		return false
	}) == nil
}

// TestBusyIsPrivate: a /ask the queue cannot take is refused at once,
// visible to the asker only, with no public acknowledgement first.
func TestBusyIsPrivate(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	defer close(gate)
	tb := startBot(t, Options{MaxConcurrent: 1, QueueSize: -1}, &fakeAnswerer{gate: gate}, nil)
	running := tb.ask(t, channel, "first")
	tb.waitOriginal(t, running, contains(msgSearching))
	in := tb.ask(t, channel, "second")
	if c := privateReply(t, tb, in); !strings.Contains(c, "busy") {
		t.Errorf("private reply %q, want the busy message", c)
	}
	for _, cb := range callbacks(tb, in) {
		if cb["type"] == float64(5) {
			t.Error("the busy /ask was acknowledged in public first")
		}
	}
	if publicSays(tb, in, "busy") {
		t.Error("the busy message was public")
	}
}
