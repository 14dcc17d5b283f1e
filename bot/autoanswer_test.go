package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

const forum = "200000000000000009" // an auto-answer forum channel

// say dispatches a message (as a map, so that any field can be set).
func dispatchMessage(t *testing.T, srv *discordtest.Server, fields map[string]any) {
	t.Helper()
	ev := map[string]any{
		"guild_id": guild, "type": 0, "mentions": []any{},
		"author": map[string]any{"id": user, "username": "user" + user, "discriminator": "0"},
		"member": map[string]any{"roles": []any{}},
	}
	for k, v := range fields {
		ev[k] = v
	}
	if err := srv.Dispatch(testCtx(t), "MESSAGE_CREATE", ev); err != nil {
		t.Fatal(err)
	}
}

// waitBody waits until the bot sent a request whose path has prefix and
// whose body contains s.
func waitBody(t *testing.T, srv *discordtest.Server, prefix, s string) {
	t.Helper()
	err := srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if strings.HasPrefix(r.Path, prefix) && r.Status < 300 && strings.Contains(string(r.Body), s) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no request to %s… with %q: %v", prefix, s, err)
	}
}

// TestAutoAnswer: in an auto-answer channel a person's post is answered
// without a mention, in a thread opened on it; in an auto-answer forum a
// new post is answered in its thread; bots, system messages, stickers and
// attachment-only posts, and later messages in a forum thread, are not.
func TestAutoAnswer(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithGuilds(guild))
	t.Cleanup(srv.Close)
	ans := &fakeAnswerer{}
	tb := startBotOn(t, srv, Options{AutoAnswerChannels: []string{channel}, AutoAnswerForums: []string{forum}, AnswerMentions: true}, ans, nil)

	dispatchMessage(t, srv, map[string]any{"id": "500000000000000001", "channel_id": channel, "content": "2018年新增就业目标是多少?"})
	waitBody(t, srv, "/channels/"+channel+"/messages/500000000000000001/threads", "2018年新增就业目标是多少")
	threadID := tb.waitThread(t, "")
	waitBody(t, srv, "/channels/"+threadID+"/messages", "3.4万")

	// Not questions: a bot's post, a pin notice, a sticker, an attachment.
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000002", "channel_id": channel, "content": "bot 1",
		"author": map[string]any{"id": "300000000000000002", "username": "other", "bot": true}})
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000003", "channel_id": channel, "content": "", "type": 6})
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000004", "channel_id": channel, "content": "",
		"sticker_items": []any{map[string]any{"id": "600000000000000001", "name": "wave", "format_type": 1}}})
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000005", "channel_id": channel, "content": "",
		"attachments": []any{map[string]any{"id": "600000000000000002", "filename": "a.png", "size": 1, "url": "https://x/a.png", "proxy_url": "https://x/a.png"}}})

	// A forum post: THREAD_CREATE, then its starter message, whose id is
	// the thread's.
	const post = "500000000000000010"
	if err := srv.Dispatch(testCtx(t), "THREAD_CREATE", map[string]any{"id": post, "guild_id": guild, "parent_id": forum, "type": 11,
		"name": "就业", "owner_id": user, "newly_created": true,
		"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false}}); err != nil {
		t.Fatal(err)
	}
	dispatchMessage(t, srv, map[string]any{"id": post, "channel_id": post, "content": "蓝领实训中心建成了吗?"})
	waitBody(t, srv, "/channels/"+post+"/messages", "3.4万")
	// A later message in the forum thread is no new post.
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000011", "channel_id": post, "content": "谢谢"})
	// A marker: once a later post is answered, the ones before were seen.
	dispatchMessage(t, srv, map[string]any{"id": "500000000000000012", "channel_id": channel, "content": "2019年呢?"})
	for ctx := testCtx(t); len(ans.asked()) < 3; testPause() {
		if ctx.Err() != nil {
			t.Fatalf("asked %+v", ans.asked())
		}
	}
	time.Sleep(100 * time.Millisecond)
	var got []string
	for _, q := range ans.asked() {
		got = append(got, q.Text)
	}
	if want := "2018年新增就业目标是多少?|蓝领实训中心建成了吗?|2019年呢?"; strings.Join(got, "|") != want {
		t.Errorf("answered %q, want %q", strings.Join(got, "|"), want)
	}
	reqs := srv.Requests()
	for _, r := range reqs {
		if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" {
			t.Errorf("an auto-answer was posted in the channel, not a thread: %s", r.Body)
		}
	}
	if bad := rejected(reqs); len(bad) > 0 {
		t.Errorf("the fake rejected %d calls:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	checkNoPings(t, reqs)
}

// TestAutoAnswerRespectsAllowLists: an auto-answer channel outside
// allowed_channels is not answered.
func TestAutoAnswerRespectsAllowLists(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{AutoAnswerChannels: []string{channel, other}, AllowedChannels: []string{other}}, ans, nil)
	dispatchMessage(t, tb.srv, map[string]any{"id": "500000000000000001", "channel_id": channel, "content": "2018年新增就业目标是多少?"})
	dispatchMessage(t, tb.srv, map[string]any{"id": "500000000000000002", "channel_id": other, "content": "2019年呢?"})
	for ctx := testCtx(t); len(ans.asked()) < 1; testPause() {
		if ctx.Err() != nil {
			t.Fatal("the allowed channel's post was not answered")
		}
	}
	time.Sleep(100 * time.Millisecond)
	if qs := ans.asked(); len(qs) != 1 || qs[0].Text != "2019年呢?" {
		t.Errorf("asked %+v, want only the allowed channel's post", qs)
	}
}

// TestAutoAnswerRateLimit: posts beyond the rate limit get a ⏳ reaction,
// no thread and no public reply.
func TestAutoAnswerRateLimit(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{AutoAnswerChannels: []string{channel}, RateLimit: 1}, ans, nil)
	for _, id := range []string{"500000000000000001", "500000000000000002", "500000000000000003"} {
		dispatchMessage(t, tb.srv, map[string]any{"id": id, "channel_id": channel, "content": "2018年新增就业目标是多少?"})
	}
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool { return len(reactions(v.Requests())) >= 2 })
	if err != nil {
		t.Fatalf("%d reactions: %v", len(reactions(tb.srv.Requests())), err)
	}
	tb.waitThread(t, "")
	time.Sleep(100 * time.Millisecond)
	threads := 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/threads") {
			threads++
		}
		if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" {
			t.Errorf("a public reply in the channel: %s", r.Body)
		}
	}
	if threads != 1 || len(ans.asked()) != 1 {
		t.Errorf("%d threads, %d questions answered; want 1 and 1", threads, len(ans.asked()))
	}
}

// TestAutoAnswerForumPostBeforeItsThread: a forum post whose THREAD_CREATE
// has not reached the bot is still answered: the bot asks Discord for the
// thread's forum.
func TestAutoAnswerForumPostBeforeItsThread(t *testing.T) {
	t.Parallel()
	const post = "500000000000000020"
	srv := discordtest.NewServer(discordtest.WithGuilds(guild), discordtest.WithThread(post, forum, guild))
	t.Cleanup(srv.Close)
	ans := &fakeAnswerer{}
	tb := startBotOn(t, srv, Options{AutoAnswerForums: []string{forum}}, ans, nil)
	dispatchMessage(t, srv, map[string]any{"id": post, "channel_id": post, "content": "蓝领实训中心建成了吗?"})
	waitBody(t, srv, "/channels/"+post+"/messages", "3.4万")
	if id := tb.waitThread(t, ""); id != post {
		t.Errorf("remembered thread %s, want the post's %s", id, post)
	}
}
