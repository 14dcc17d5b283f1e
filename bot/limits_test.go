package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

// refusal waits for an interaction's immediate, ephemeral response and
// returns its text.
func refusal(t *testing.T, tb *testBot, in discordtest.Interaction) string {
	t.Helper()
	m := tb.waitOriginal(t, in, func(c string, _ map[string]any) bool { return c != "" })
	cbs := callbacks(tb, in)
	if len(cbs) != 1 || cbs[0]["type"] != float64(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Fatalf("callbacks %v, want one immediate message", cbs)
	}
	if flags, _ := cbs[0]["data"].(map[string]any)["flags"].(float64); int(flags)&int(discordgo.MessageFlagsEphemeral) == 0 {
		t.Errorf("refusal %v is not ephemeral", cbs[0])
	}
	c, _ := m["content"].(string)
	return c
}

func TestRateLimitRefusesPolitely(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{RateLimit: 2}, ans, nil)
	for range 2 {
		tb.waitOriginal(t, tb.ask(t, channel, "2018年新增就业目标是多少?"), final)
	}
	got := refusal(t, tb, tb.ask(t, channel, "2018年新增就业目标是多少?"))
	if !strings.Contains(got, "asked 2 questions in the last minute") || !strings.Contains(got, "wait") {
		t.Errorf("rate-limit message %q", got)
	}
	if n := len(ans.asked()); n != 2 {
		t.Errorf("answerer got %d questions, want 2", n)
	}
}

func TestAllowListsRefuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opt   Options
		ch    string
		roles []string
		dm    bool
		want  string // "" means answered
	}{
		{name: "DMs off", opt: Options{}, ch: other, dm: true, want: "does not answer direct messages"},
		{name: "DMs on", opt: Options{AnswerDMs: true}, ch: other, dm: true},
		{name: "DMs with role allow-list", opt: Options{AnswerDMs: true, AllowedRoles: []string{"77"}}, ch: other, dm: true, want: "members with certain roles in its servers"},
		{name: "channel not allowed", opt: Options{AllowedChannels: []string{channel}}, ch: other, want: "not enabled in this channel"},
		{name: "channel allowed", opt: Options{AllowedChannels: []string{channel}}, ch: channel},
		{name: "guild not allowed", opt: Options{AllowedGuilds: []string{"1"}}, ch: channel, want: "not enabled in this server"},
		{name: "role missing", opt: Options{AllowedRoles: []string{"77"}}, ch: channel, roles: []string{"78"}, want: "certain roles"},
		{name: "role present", opt: Options{AllowedRoles: []string{"77"}}, ch: channel, roles: []string{"78", "77"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ans := &fakeAnswerer{}
			tb := startBotOn(t, memberServer(t, user), tt.opt, ans, nil)
			g := guild
			if tt.dm {
				g = ""
			}
			in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "ask", Options: map[string]string{"question": "2018年新增就业目标是多少?"},
				GuildID: g, ChannelID: tt.ch, UserID: user, Roles: tt.roles})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if c, _ := tb.waitOriginal(t, in, final)["content"].(string); !strings.Contains(c, "3.4万") {
					t.Errorf("allowed question got %q", c)
				}
				return
			}
			if got := refusal(t, tb, in); !strings.Contains(got, tt.want) {
				t.Errorf("refusal %q, want it to say %q", got, tt.want)
			}
			if n := len(ans.asked()); n != 0 {
				t.Errorf("refused question reached the answerer (%d)", n)
			}
		})
	}
}

func TestAnswerWithEveryonePingsNobody(t *testing.T) {
	t.Parallel()
	text := "@everyone @here <@300000000000000001> <@&400000000000000001> 新增就业3.4万人。 [1]"
	src := testSource
	src.Quote = "@everyone " + src.Quote
	tb := startBot(t, Options{AnswerMentions: true, FeedbackFile: t.TempDir() + "/fb.jsonl"}, &fakeAnswerer{text: text, sources: []Source{src}}, nil)
	in := tb.ask(t, channel, "who is @everyone?")
	if c, _ := tb.waitOriginal(t, in, final)["content"].(string); !strings.Contains(c, "@everyone") {
		t.Fatalf("answer %q lost its text", c)
	}
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> @everyone 就业", GuildID: guild,
		ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PATCH" && strings.HasPrefix(r.Path, "/channels/") && strings.Contains(string(r.Body), `"embeds":[{`) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	checkNoPings(t, tb.srv.Requests())
}

func TestQuestionOfOnlyMentionsGetsClearMessage(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{AnswerMentions: true}, ans, nil)
	if got := refusal(t, tb, tb.ask(t, channel, " @everyone ")); got != msgEmpty {
		t.Errorf("/ask @everyone got %q, want %q", got, msgEmpty)
	}
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "@everyone <@" + discordtest.BotUserID + ">", GuildID: guild,
		ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			var b struct{ Content string }
			_ = json.Unmarshal(r.Body, &b)
			if strings.HasPrefix(r.Path, "/channels/"+channel+"/messages") && b.Content == msgEmpty {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Errorf("mention of only @everyone got no clear message: %v", err)
	}
	if n := len(ans.asked()); n != 0 {
		t.Errorf("answerer got %d empty questions", n)
	}
	checkNoPings(t, tb.srv.Requests())
}

func TestAdminCommandsCheckRoles(t *testing.T) {
	t.Parallel()
	lib := &fakeLibrary{}
	tb := startBot(t, Options{AdminRoles: []string{admin}}, &fakeAnswerer{}, lib)
	var names []string
	for _, r := range tb.srv.Requests() {
		if r.Method == "PUT" {
			var cmds []struct{ Name string }
			_ = json.Unmarshal(r.Body, &cmds)
			for _, c := range cmds {
				names = append(names, c.Name)
			}
		}
	}
	if strings.Join(names, ",") != "ask,reports,reindex" {
		t.Errorf("registered %v, want ask, reports, reindex", names)
	}
	run := func(name string, roles ...string) discordtest.Interaction {
		in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: name, GuildID: guild, ChannelID: channel, UserID: user, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	if got := refusal(t, tb, run("reindex", "123")); !strings.Contains(got, "admin role") {
		t.Errorf("non-admin reindex got %q", got)
	}
	lib.mu.Lock()
	n := lib.reindexes
	lib.mu.Unlock()
	if n != 0 {
		t.Fatalf("a non-admin reindexed")
	}
	if c := tb.waitOriginal(t, run("reindex", admin), contains("Reindexed")); !strings.Contains(c["content"].(string), "2 reports, 96 passages") {
		t.Errorf("reindex result %q", c["content"])
	}
	c := tb.waitOriginal(t, run("reports"), contains("passages."))["content"].(string)
	for _, want := range []string{"武清区2018年政府工作报告 — 84 passages", "(year unknown) — 12 passages", "2 reports, 96 passages."} {
		if !strings.Contains(c, want) {
			t.Errorf("/reports %q lacks %q", c, want)
		}
	}
}

func TestIntentsFollowOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt            Options
		messages, priv bool
	}{
		{opt: Options{}, messages: false, priv: false},
		{opt: Options{AnswerMentions: true}, messages: true, priv: false},
		{opt: Options{ThreadReplies: true}, messages: true, priv: true},
	}
	for _, tt := range tests {
		in := tt.opt.Intents()
		if got := in&discordgo.IntentsGuildMessages != 0; got != tt.messages {
			t.Errorf("%+v: guild messages intent %v, want %v", tt.opt, got, tt.messages)
		}
		if got := in&discordgo.IntentMessageContent != 0; got != tt.priv {
			t.Errorf("%+v: message content intent %v, want %v", tt.opt, got, tt.priv)
		}
	}
	tb := startBot(t, Options{AnswerMentions: true}, &fakeAnswerer{}, nil)
	var id struct {
		Intents discordgo.Intent `json:"intents"`
		Token   string           `json:"token"`
	}
	if ids := tb.srv.Identifies(); len(ids) != 1 || json.Unmarshal(ids[0], &id) != nil {
		t.Fatalf("identifies %s", ids)
	}
	if id.Intents != (Options{AnswerMentions: true}).Intents() || id.Token != "Bot test-token" {
		t.Errorf("identified with intents %d token %q", id.Intents, id.Token)
	}
}

// TestLongAnswerIsCut checks that an answer far over any honest length
// (200,000 runes: a model that ignored its token limit) is posted as at
// most maxAnswerMessages text messages, the last ending with the cut note,
// instead of a hundred follow-ups.
func TestLongAnswerIsCut(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("新增就业3.4万人。 [1]", 200000/15)
	tb := startBot(t, Options{}, &fakeAnswerer{text: text}, nil)
	in := tb.ask(t, channel, "就业")
	tb.waitOriginal(t, in, final)
	var posts int
	var last string
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		posts, last = 0, ""
		for _, r := range v.Requests() {
			if r.Method == "POST" && strings.HasPrefix(r.Path, "/webhooks/") {
				posts++
				var m map[string]any
				_ = json.Unmarshal(r.Body, &m)
				if c, _ := m["content"].(string); c != "" {
					last = c
				}
			}
		}
		return strings.HasSuffix(last, cutNote)
	})
	if err != nil {
		t.Fatalf("no message ends with the cut note (%d follow-ups): %v", posts, err)
	}
	time.Sleep(100 * time.Millisecond) // any further follow-up would arrive now
	posts = 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/webhooks/") {
			posts++
		}
	}
	// The first message is the edited response; sources may add one.
	if posts > maxAnswerMessages {
		t.Errorf("%d follow-up messages; want at most %d", posts, maxAnswerMessages)
	}
}
