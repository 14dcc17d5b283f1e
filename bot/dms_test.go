package bot

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// memberServer is a fake Discord where the bot is in the test guild and
// userID is a member of it with roles.
func memberServer(t *testing.T, userID string, roles ...string) *discordtest.Server {
	t.Helper()
	srv := discordtest.NewServer(discordtest.WithGuilds(guild), discordtest.WithMember(guild, userID, roles...))
	t.Cleanup(srv.Close)
	return srv
}

// TestDMPolicy: with AnswerDMs, a direct message is answered only for a
// member of an allowed guild (the bot's guilds when none is listed) who
// holds an allowed role when roles are listed; anyone else is told why.
func TestDMPolicy(t *testing.T) {
	t.Parallel()
	const (
		dm       = "700000000000000001"
		stranger = "300000000000000009"
	)
	tests := []struct {
		name  string
		opt   Options
		from  string
		roles []string // the member's roles in the guild
		want  string   // "" means answered
	}{
		{name: "member", opt: Options{}, from: user},
		{name: "not a member", opt: Options{}, from: stranger, want: "only for members of the servers it serves"},
		{name: "member of another guild", opt: Options{AllowedGuilds: []string{"100000000000000002"}}, from: user, want: "only for members of the servers"},
		{name: "member without the role", opt: Options{AllowedRoles: []string{"77"}}, from: user, roles: []string{"78"}, want: "members with certain roles"},
		{name: "member with the role", opt: Options{AllowedRoles: []string{"77"}}, from: user, roles: []string{"78", "77"}},
		{name: "channel list does not apply", opt: Options{AllowedChannels: []string{channel}}, from: user},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ans := &fakeAnswerer{}
			tt.opt.AnswerDMs = true
			tb := startBotOn(t, memberServer(t, user, tt.roles...), tt.opt, ans, nil)
			if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "2018年新增就业目标是多少?", ChannelID: dm, UserID: tt.from}); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == "" {
				want = "3.4万"
			}
			err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
				for _, r := range v.Requests() {
					if strings.HasPrefix(r.Path, "/channels/"+dm+"/messages") && strings.Contains(string(r.Body), want) {
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatalf("no DM reply saying %q: %v", want, err)
			}
			if n := len(ans.asked()); tt.want != "" && n != 0 {
				t.Errorf("a refused DM reached the answerer (%d)", n)
			}
		})
	}
}

// TestDMBurstChecksOnce: a burst of DMs from one user asks Discord about
// their membership once, not once per message (the calls would queue in
// one rate-limit bucket past the check's deadline).
func TestDMBurstChecksOnce(t *testing.T) {
	t.Parallel()
	const dm = "700000000000000001"
	ans := &fakeAnswerer{}
	tb := startBotOn(t, memberServer(t, user), Options{AnswerDMs: true}, ans, nil)
	const n = 10
	for i := range n {
		if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "就业 " + string(rune('a'+i)), ChannelID: dm, UserID: user}); err != nil {
			t.Fatal(err)
		}
	}
	for ctx := testCtx(t); len(ans.asked()) < n; testPause() {
		if ctx.Err() != nil {
			t.Fatalf("%d of %d DMs answered", len(ans.asked()), n)
		}
	}
	checks := 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "GET" && strings.Contains(r.Path, "/members/") {
			checks++
		}
	}
	if checks != 1 {
		t.Errorf("%d membership checks for one user, want 1", checks)
	}
}
