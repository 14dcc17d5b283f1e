package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

// rejected returns the REST calls the fake rejected with a status other
// than 429 (which the client retries).
func rejected(reqs []discordtest.Request) []string {
	var out []string
	for _, r := range reqs {
		if r.Status >= 400 && r.Status != 429 {
			out = append(out, fmt.Sprintf("%d %s %s %.200s", r.Status, r.Method, r.Path, r.Body))
		}
	}
	return out
}

// TestStrictFakeAcceptsLargeAnswers sends an answer at every limit the
// bot renders (many sources with long titles, sections and quotes, a
// long text) and checks that Discord, as the strict fake enforces it,
// accepts every message.
func TestStrictFakeAcceptsLargeAnswers(t *testing.T) {
	t.Parallel()
	var sources []Source
	var text strings.Builder
	for i := 1; i <= 40; i++ {
		sources = append(sources, Source{
			N: i, PassageID: fmt.Sprintf("p%03d-%s", i, strings.Repeat("x", 120)),
			ReportTitle: strings.Repeat("国民经济和社会发展统计公报", 30), Year: 2024,
			Section: []string{strings.Repeat("第一部分", 100), strings.Repeat("综合", 200)}, Paragraph: i,
			Quote: strings.Repeat("新增就业3.4万人", 200), Text: strings.Repeat("全文", 3000),
			URL: "https://example.org/" + strings.Repeat("r", 300),
		})
		fmt.Fprintf(&text, "第%d条，新增就业3.4万人。 [%d]\n", i, i)
	}
	text.WriteString(strings.Repeat("长", 9000))
	tb := startBot(t, Options{AnswerMentions: true, FeedbackFile: t.TempDir() + "/fb.jsonl"}, &fakeAnswerer{text: text.String(), sources: sources}, nil)
	in := tb.ask(t, channel, strings.Repeat("就业", 400))
	m := tb.waitOriginal(t, in, final)
	// The buttons come with the last message of the answer.
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if strings.HasPrefix(r.Path, "/webhooks/") && strings.Contains(string(r.Body), `"custom_id"`) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	// Click every button on every message of the answer (ids are
	// sequential in the fake).
	first, _ := tb.srv.OriginalID(in.Token)
	var n0 int64
	fmt.Sscan(first, &n0)
	clicks := 0
	for n := n0; n < n0+50; n++ {
		id := fmt.Sprint(n)
		msg, ok := tb.srv.Message(id)
		if !ok || len(msg.Components) == 0 {
			continue
		}
		for _, c := range msg.Components {
			row, ok := c.(*discordgo.ActionsRow)
			if !ok {
				continue
			}
			for _, b := range row.Components {
				if btn, ok := b.(*discordgo.Button); ok && btn.CustomID != "" {
					clickResponse(t, tb.srv, discordtest.Click{CustomID: btn.CustomID, MessageID: id, GuildID: guild, ChannelID: channel, UserID: user})
					clicks++
				}
			}
		}
	}
	if clicks == 0 {
		t.Errorf("no buttons on the answer: %v", m["components"])
	}
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> " + strings.Repeat("就业", 400),
		GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	// The mention is answered in the channel.
	err = tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // its follow-ups arrive now
	if bad := rejected(tb.srv.Requests()); len(bad) > 0 {
		t.Errorf("the fake rejected %d calls:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// TestDiscordRateLimitsAndLatency answers several questions at once
// against Discord's own rate limits and 30 ms of latency per call: every
// answer must become final and no call may be rejected (a 429 is retried
// by discordgo and allowed).
func TestDiscordRateLimitsAndLatency(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithRateLimits(discordtest.DiscordRateLimits), discordtest.WithLatency(30*time.Millisecond))
	t.Cleanup(srv.Close)
	tb := startBotOn(t, srv, Options{EditInterval: time.Second}, &fakeAnswerer{step: 200 * time.Millisecond}, nil)
	var ins []discordtest.Interaction
	for i := range 8 {
		ins = append(ins, tb.ask(t, channel, fmt.Sprintf("就业 %d", i)))
	}
	for _, in := range ins {
		tb.waitOriginal(t, in, final)
	}
	n429 := 0
	for _, r := range srv.Requests() {
		if r.Status == 429 {
			n429++
			t.Logf("429 %s %s", r.Method, r.Path)
		}
	}
	t.Logf("%d calls, %d answered 429", len(srv.Requests()), n429)
	if bad := rejected(srv.Requests()); len(bad) > 0 {
		t.Errorf("the fake rejected %d calls:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// TestInvalidSessionAndMissedHeartbeats checks that the bot answers after
// Discord invalidates its session (op 9: it identifies again) and after
// heartbeat ACKs stop coming (it reconnects and resumes).
func TestInvalidSessionAndMissedHeartbeats(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithHeartbeatInterval(300 * time.Millisecond))
	t.Cleanup(srv.Close)
	tb := startBotOn(t, srv, Options{}, &fakeAnswerer{}, nil)
	if err := srv.SendInvalidSession(testCtx(t), false); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConnected(testCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	tb.waitOriginal(t, tb.ask(t, channel, "就业"), final)
	srv.WithholdHeartbeatACKs(true)
	for deadline := time.Now().Add(20 * time.Second); srv.Resumes() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the bot did not reconnect without heartbeat ACKs")
		}
	}
	srv.WithholdHeartbeatACKs(false)
	if err := srv.WaitConnected(testCtx(t), 3); err != nil {
		t.Fatal(err)
	}
	tb.waitOriginal(t, tb.ask(t, channel, "就业"), final)
}
