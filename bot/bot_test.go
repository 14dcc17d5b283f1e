package bot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

func TestAskStreamsAndCitesThenThreadCarriesHistory(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{text: "Wuqing planned 34,000 new jobs. 其中:新增就业3.4万人。 [1]", step: 50 * time.Millisecond}
	tb := startBot(t, Options{AnswerMentions: true, FeedbackFile: filepath.Join(t.TempDir(), "fb.jsonl")}, ans, nil)

	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	m := tb.waitOriginal(t, in, final)

	cbs := callbacks(tb, in)
	if len(cbs) != 1 || cbs[0]["type"] != float64(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		t.Fatalf("callbacks %v, want exactly one deferred response", cbs)
	}
	msgID, _ := tb.srv.OriginalID(in.Token)
	msg, _ := tb.srv.Message(msgID)
	if !strings.Contains(msg.Content, "3.4万") || !strings.Contains(msg.Content, "[1]") {
		t.Errorf("answer content %q lacks the figure or the marker", msg.Content)
	}
	if len(msg.Embeds) != 1 {
		t.Fatalf("got %d embeds, want a sources embed: %v", len(msg.Embeds), m)
	}
	e := msg.Embeds[0]
	for _, want := range []string{"[1]", "武清区2018年政府工作报告", "二、2018年主要任务 › (六)", "¶40", "新增就业3.4万人。"} {
		if e.Title != "Sources" || !strings.Contains(e.Description, want) {
			t.Errorf("sources embed %q / %q lacks %q", e.Title, e.Description, want)
		}
	}
	var buttons []string
	for _, row := range msg.Components {
		for _, c := range row.(*discordgo.ActionsRow).Components {
			buttons = append(buttons, c.(*discordgo.Button).CustomID)
		}
	}
	if want := []string{"rb:src:1:" + testSource.PassageID, idHelpful, idWrong}; !slices.Equal(buttons, want) {
		t.Errorf("buttons %v, want %v", buttons, want)
	}

	// Progress came before the answer: a searching edit, and streamed edits.
	var edits []string
	for _, r := range tb.srv.Requests() {
		if r.Method == "PATCH" && strings.Contains(r.Path, in.Token) {
			var b struct{ Content string }
			_ = json.Unmarshal(r.Body, &b)
			edits = append(edits, b.Content)
		}
	}
	streamedEdits := 0
	for _, e := range edits {
		if strings.HasSuffix(e, "▍") {
			streamedEdits++
		}
	}
	if len(edits) < 3 || edits[0] != msgSearching || streamedEdits == 0 || edits[len(edits)-1] != ans.text {
		t.Errorf("edits %q: want %q first, streamed text, and the answer last", edits, msgSearching)
	}

	// The answer opened a thread; /ask there carries the conversation.
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages/"+msgID+"/threads" && r.Status == 201 {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no thread opened on the answer: %v", err)
	}
	for _, r := range tb.srv.Requests() {
		if strings.HasSuffix(r.Path, "/threads") {
			var th struct{ Name string }
			_ = json.Unmarshal(r.Body, &th)
			if th.Name != "2018年新增就业目标是多少?" {
				t.Errorf("thread name %q, want the question", th.Name)
			}
		}
	}
	// The bot remembers the thread once Discord has created it.
	threadID := tb.waitThread(t, "")
	in2 := tb.ask(t, threadID, "那2017年呢?")
	tb.waitOriginal(t, in2, final)
	qs := ans.asked()
	if len(qs) != 2 || len(qs[1].History) != 1 || qs[1].History[0].Question != "2018年新增就业目标是多少?" || qs[1].History[0].Answer != ans.text {
		t.Errorf("follow-up in the thread got history %+v, want the first turn", qs[len(qs)-1].History)
	}
	// A mention in the thread continues the same conversation.
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> 2019年呢?", GuildID: guild,
		ChannelID: threadID, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	waitAsked(t, ans, 3)
	if h := ans.asked()[2].History; len(h) != 2 {
		t.Errorf("mention in the thread got %d turns of history, want 2", len(h))
	}
	checkNoPings(t, tb.srv.Requests())
}

// waitAsked waits until the answerer has answered n questions and the bot
// has posted them.
func waitAsked(t *testing.T, ans *fakeAnswerer, n int) {
	t.Helper()
	ctx := testCtx(t)
	for len(ans.asked()) < n {
		select {
		case <-ctx.Done():
			t.Fatalf("answerer got %d questions, want %d", len(ans.asked()), n)
		default:
		}
		testPause()
	}
}

func TestMentionIsAnsweredAsReply(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{}
	tb := startBot(t, Options{AnswerMentions: true}, ans, nil)
	id, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + ">  2018年新增就业目标是多少?",
		GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true})
	if err != nil {
		t.Fatal(err)
	}
	var replyID string
	err = tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PATCH" && strings.HasPrefix(r.Path, "/channels/"+channel+"/messages/") && strings.Contains(string(r.Body), `"embeds":[{`) {
				replyID = strings.TrimPrefix(r.Path, "/channels/"+channel+"/messages/")
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no final answer to the mention: %v", err)
	}
	if qs := ans.asked(); len(qs) != 1 || qs[0].Text != "2018年新增就业目标是多少?" {
		t.Errorf("answerer got %+v, want the question without the mention", qs)
	}
	var first struct {
		Ref struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	for _, r := range tb.srv.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" {
			_ = json.Unmarshal(r.Body, &first)
			break
		}
	}
	if first.Ref.MessageID != id {
		t.Errorf("first reply references %q, want the question %q", first.Ref.MessageID, id)
	}
	if m, _ := tb.srv.Message(replyID); m == nil || !strings.Contains(m.Content, "3.4万") {
		t.Errorf("reply %+v lacks the answer", m)
	}
	// Messages that do not mention the bot, and bots, are ignored.
	for _, m := range []discordtest.Message{
		{Content: "2018年新增就业目标是多少?", GuildID: guild, ChannelID: channel, UserID: user},
		{Content: "<@" + discordtest.BotUserID + "> hi", GuildID: guild, ChannelID: channel, UserID: "999", MentionsBot: true, Bot: true},
	} {
		if _, err := tb.srv.Say(testCtx(t), m); err != nil {
			t.Fatal(err)
		}
	}
	// A mention after them is answered; the ignored ones never reached the answerer.
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> again", GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	waitAsked(t, ans, 2)
	if qs := ans.asked(); qs[1].Text != "again" {
		t.Errorf("second question %q, want %q (ignored messages were answered)", qs[1].Text, "again")
	}
	checkNoPings(t, tb.srv.Requests())
}

func TestButtonsShowPassageAndRecordFeedback(t *testing.T) {
	t.Parallel()
	fb := filepath.Join(t.TempDir(), "feedback.jsonl")
	tb := startBot(t, Options{FeedbackFile: fb}, &fakeAnswerer{trace: "Rewritten query: 2018年新增就业目标\n1. 0.97 ¶40 `x`"}, nil)
	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	tb.waitOriginal(t, in, final)
	msgID, _ := tb.srv.OriginalID(in.Token)
	// The bot remembers the answer once Discord has acknowledged the final
	// edit, a moment after the fake shows it.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, ok := tb.bot.mem.get(msgID); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the answer was never remembered")
		}
	}

	click := func(id string) map[string]any {
		t.Helper()
		var cb map[string]any
		body := clickResponse(t, tb.srv, discordtest.Click{CustomID: id, MessageID: msgID, GuildID: guild, ChannelID: channel, UserID: "300000000000000009"})
		if err := json.Unmarshal(body, &cb); err != nil {
			t.Fatal(err)
		}
		return cb
	}

	cb := click("rb:src:1:" + testSource.PassageID)
	data, _ := cb["data"].(map[string]any)
	embeds, _ := data["embeds"].([]any)
	if cb["type"] != float64(4) || data["flags"] != float64(discordgo.MessageFlagsEphemeral) || len(embeds) != 1 {
		t.Fatalf("source click response %v, want one ephemeral embed", cb)
	}
	if d := embeds[0].(map[string]any)["description"]; d != testSource.Text {
		t.Errorf("passage shown %q, want the full passage %q", d, testSource.Text)
	}
	if cb := click("rb:src:1:0000000000000000"); !strings.Contains(cb["data"].(map[string]any)["content"].(string), "no longer in the index") {
		t.Errorf("unknown passage response %v", cb)
	}

	cb = click(idWhy)
	data, _ = cb["data"].(map[string]any)
	embeds, _ = data["embeds"].([]any)
	if data["flags"] != float64(discordgo.MessageFlagsEphemeral) || len(embeds) != 1 ||
		!strings.Contains(embeds[0].(map[string]any)["description"].(string), "Rewritten query: 2018年新增就业目标") ||
		strings.Count(embeds[0].(map[string]any)["description"].(string), "`") != 6 {
		t.Errorf("why click response %v, want the trace in one ephemeral code block", cb)
	}

	click(idWrong)
	click(idHelpful)
	f, err := os.Open(fb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []FeedbackRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r FeedbackRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("feedback line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d feedback records, want 2", len(recs))
	}
	r := recs[0]
	if r.Verdict != "wrong" || recs[1].Verdict != "helpful" || r.Question != "2018年新增就业目标是多少?" || !strings.Contains(r.Answer, "3.4万") ||
		!slices.Equal(r.PassageIDs, []string{testSource.PassageID}) || r.MessageID != msgID || r.UserID != "300000000000000009" {
		t.Errorf("feedback record %+v", r)
	}
	checkNoPings(t, tb.srv.Requests())
}

func TestLongAnswerIsSplitAcrossMessages(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,新增就业3.4万人。 [1]\n", 120)
	tb := startBot(t, Options{}, &fakeAnswerer{text: long}, nil)
	in := tb.ask(t, channel, "就业")
	tb.waitOriginal(t, in, final)
	var parts []string
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		parts = parts[:0]
		done := false
		for _, r := range v.Requests() {
			if r.Method == "POST" && strings.HasPrefix(r.Path, "/webhooks/") {
				var b struct{ Content string }
				_ = json.Unmarshal(r.Body, &b)
				parts = append(parts, b.Content)
				done = strings.Contains(string(r.Body), `"embeds":[{`)
			}
		}
		return done
	})
	if err != nil {
		t.Fatalf("follow-ups %d: %v", len(parts), err)
	}
	msgID, _ := tb.srv.OriginalID(in.Token)
	first, _ := tb.srv.Message(msgID)
	all := append([]string{first.Content}, parts...)
	if len(all) < 3 {
		t.Fatalf("got %d messages for %d runes, want several", len(all), utf8.RuneCountInString(long))
	}
	for i, p := range all {
		if n := utf8.RuneCountInString(p); n > maxContent {
			t.Errorf("message %d has %d runes, over Discord's %d", i, n, maxContent)
		}
		if !strings.HasSuffix(p, "[1]") {
			t.Errorf("message %d ends %q: cut inside a sentence or before its citation", i, p[max(0, len(p)-20):])
		}
	}
	if strings.Join(all, "\n") != strings.TrimSpace(long) {
		t.Error("the messages do not add up to the answer")
	}
	checkNoPings(t, tb.srv.Requests())
}

// TestDirectMessages checks that a plain direct message (no guild, no
// mention) is answered when AnswerDMs is on and ignored when it is off.
func TestDirectMessages(t *testing.T) {
	t.Parallel()
	const dm = "700000000000000001"
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("AnswerDMs=%v", on), func(t *testing.T) {
			t.Parallel()
			ans := &fakeAnswerer{}
			tb := startBotOn(t, memberServer(t, user), Options{AnswerDMs: on, AnswerMentions: true}, ans, nil)
			if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "2018年新增就业目标是多少?", ChannelID: dm, UserID: user}); err != nil {
				t.Fatal(err)
			}
			if !on {
				// A mention after the DM is a marker: once it is answered,
				// the DM (dispatched first) has been seen and must have
				// been ignored.
				if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> 蓝领实训中心",
					GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
					t.Fatal(err)
				}
				if err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool { return len(ans.asked()) > 0 }); err != nil {
					t.Fatal(err)
				}
				if qs := ans.asked(); len(qs) != 1 || qs[0].Text != "蓝领实训中心" {
					t.Errorf("answerer was asked %+v; want only the mention (AnswerDMs off)", qs)
				}
				for _, r := range tb.srv.Requests() {
					if strings.HasPrefix(r.Path, "/channels/"+dm+"/") {
						t.Errorf("the bot wrote to the DM channel with AnswerDMs off: %s %s", r.Method, r.Path)
					}
				}
				return
			}
			err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
				for _, r := range v.Requests() {
					if r.Method == "PATCH" && strings.HasPrefix(r.Path, "/channels/"+dm+"/messages/") && strings.Contains(string(r.Body), "3.4万") {
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatalf("no answer in the DM channel: %v", err)
			}
			checkNoPings(t, tb.srv.Requests())
		})
	}
}
