package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestThreadRepliesIgnoreNonQuestions: with ThreadReplies, stickers,
// attachment-only posts and system messages (a pin) in the bot's thread
// are not questions and get no "please ask a question" reply; a reply
// message with text is answered.
func TestThreadRepliesIgnoreNonQuestions(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{ThreadReplies: true}, ans, nil)
	tb.waitOriginal(t, tb.ask(t, channel, "2018年新增就业目标是多少?"), final)
	threadID := tb.waitThread(t, "")
	author := map[string]any{"id": user, "username": "asker", "discriminator": "0"}
	member := map[string]any{"roles": []string{}}
	events := []map[string]any{
		{"id": "910000000000000001", "type": 0, "content": "", "sticker_items": []any{map[string]any{"id": "1", "name": "wave", "format_type": 1}}},
		{"id": "910000000000000002", "type": 0, "content": "", "attachments": []any{map[string]any{"id": "2", "filename": "a.png", "size": 10, "url": "https://x/a.png", "proxy_url": "https://x/a.png"}}},
		{"id": "910000000000000003", "type": 6, "content": ""},
		{"id": "910000000000000004", "type": 19, "content": "那2017年呢?", "message_reference": map[string]any{"message_id": "910000000000000001", "channel_id": threadID}},
	}
	for _, ev := range events {
		ev["channel_id"], ev["guild_id"], ev["author"], ev["member"], ev["mentions"] = threadID, guild, author, member, []any{}
		if err := tb.srv.Dispatch(testCtx(t), "MESSAGE_CREATE", ev); err != nil {
			t.Fatal(err)
		}
	}
	// The reply with text is a question and is answered.
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && r.Path == "/channels/"+threadID+"/messages" && strings.Contains(string(r.Body), "910000000000000004") {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("the reply with text was not answered: %v", err)
	}
	// The answerer is called after the progress post: wait for it, then
	// give a reply to the other posts time to come (none must).
	for deadline := time.Now().Add(30 * time.Second); len(ans.asked()) < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	for _, r := range tb.srv.Requests() {
		if r.Path == "/channels/"+threadID+"/messages" && strings.Contains(string(r.Body), "Please ask a question") {
			t.Errorf("the bot nagged in its thread: %s", r.Body)
		}
	}
	if n := len(ans.asked()); n != 2 {
		t.Errorf("the answerer got %d questions, want 2", n)
	}
}
