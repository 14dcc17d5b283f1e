package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// reactions returns the ids of the messages the bot reacted ⏳ to.
func reactions(reqs []Request) []string {
	var out []string
	for _, r := range reqs {
		if r.Method == "PUT" && strings.Contains(r.Path, "/reactions/") {
			parts := strings.Split(r.Path, "/")
			out = append(out, parts[4])
		}
	}
	return out
}

// TestMentionRefusalsAreReactions: 15 mentions at rate_limit 1 get one
// answer and 14 ⏳ reactions, no public refusal; in direct messages the
// refusal is explained once, then reactions.
func TestMentionRefusalsAreReactions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		guild    string
		wantText int // refusals with text
	}{
		{"mention", guild, 0},
		{"dm", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ans := &fakeAnswerer{}
			tb := startBotOn(t, memberServer(t, user), Options{RateLimit: 1, AnswerMentions: true, AnswerDMs: true}, ans, nil)
			const n = 15
			ch := channel
			if tc.guild == "" {
				ch = "700000000000000001"
			}
			for range n {
				if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> 2018年新增就业目标是多少?",
					GuildID: tc.guild, ChannelID: ch, UserID: user, MentionsBot: true}); err != nil {
					t.Fatal(err)
				}
			}
			err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool { return len(reactions(v.Requests())) >= n-1-tc.wantText })
			if err != nil {
				t.Fatalf("%d reactions: %v", len(reactions(tb.srv.Requests())), err)
			}
			time.Sleep(200 * time.Millisecond) // any further post would have come by now
			texts := 0
			for _, r := range tb.srv.Requests() {
				if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") && strings.Contains(string(r.Body), "questions in the last minute") {
					texts++
				}
			}
			if texts != tc.wantText {
				t.Errorf("%d rate-limit refusals with text, want %d", texts, tc.wantText)
			}
			if got := len(reactions(tb.srv.Requests())); got != n-1-tc.wantText {
				t.Errorf("%d reactions, want %d", got, n-1-tc.wantText)
			}
			if got := len(ans.asked()); got != 1 {
				t.Errorf("answerer got %d questions, want 1", got)
			}
		})
	}
}

// TestMentionProblemRefusalsAreLimited: refusals of bad questions count
// against the rate limit too: 15 mentions without a question at
// rate_limit 1 get one explanation and 14 ⏳ reactions.
func TestMentionProblemRefusalsAreLimited(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{RateLimit: 1, AnswerMentions: true}, ans, nil)
	const n = 15
	for range n {
		if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> @everyone",
			GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
			t.Fatal(err)
		}
	}
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool { return len(reactions(v.Requests())) >= n-1 })
	if err != nil {
		t.Fatalf("%d reactions: %v", len(reactions(tb.srv.Requests())), err)
	}
	time.Sleep(200 * time.Millisecond)
	posts := 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("%d public replies, want one explanation", posts)
	}
}
