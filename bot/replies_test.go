package bot

import (
	"reflect"
	"testing"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// answerMessage waits until the bot remembers its answer to question and
// returns the answer message's id.
func (tb *testBot) answerMessage(t *testing.T, question string) string {
	t.Helper()
	for ctx := testCtx(t); ; testPause() {
		tb.bot.mem.mu.Lock()
		for id, r := range tb.bot.mem.byMsg {
			if r.question == question {
				tb.bot.mem.mu.Unlock()
				return id
			}
		}
		tb.bot.mem.mu.Unlock()
		if ctx.Err() != nil {
			t.Fatalf("the bot never remembered its answer to %q", question)
		}
	}
}

// replyTo dispatches a message mentioning the bot that replies to message
// ref and waits until the answerer got its question, which it returns.
func (tb *testBot) replyTo(t *testing.T, ans *fakeAnswerer, ref, question string) Question {
	t.Helper()
	n := len(ans.asked())
	ev := map[string]any{
		"id": "500000000000000" + question[len(question)-3:], "channel_id": channel, "guild_id": guild, "type": 19,
		"content":           "<@" + discordtest.BotUserID + "> " + question,
		"author":            map[string]any{"id": user, "username": "user" + user, "discriminator": "0"},
		"member":            map[string]any{"roles": []any{}},
		"mentions":          []any{map[string]any{"id": discordtest.BotUserID, "username": "reportbot", "bot": true}},
		"message_reference": map[string]any{"message_id": ref, "channel_id": channel, "guild_id": guild},
	}
	if err := tb.srv.Dispatch(testCtx(t), "MESSAGE_CREATE", ev); err != nil {
		t.Fatal(err)
	}
	for ctx := testCtx(t); len(ans.asked()) <= n; testPause() {
		if ctx.Err() != nil {
			t.Fatalf("the reply %q was not answered", question)
		}
	}
	return ans.asked()[n]
}

// TestReplyCarriesTheConversation: a reply to one of the bot's answers
// (outside its thread) is asked with that conversation as history,
// following the reply chain through the bot's answers; a reply to any
// other message carries none.
func TestReplyCarriesTheConversation(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{text: "新增就业3.4万人。 [1]"}
	tb := startBot(t, Options{AnswerMentions: true}, ans, nil)
	const q1 = "2018年新增就业目标是多少?"
	if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> " + q1,
		GuildID: guild, ChannelID: channel, UserID: user, MentionsBot: true}); err != nil {
		t.Fatal(err)
	}
	a1 := tb.answerMessage(t, q1)
	q := tb.replyTo(t, ans, a1, "那2019年呢? 001")
	want := []Turn{{Question: q1, Answer: "新增就业3.4万人。 [1]"}}
	if !reflect.DeepEqual(q.History, want) {
		t.Errorf("a reply to the answer had history %+v, want %+v", q.History, want)
	}
	a2 := tb.answerMessage(t, "那2019年呢? 001")
	q = tb.replyTo(t, ans, a2, "2020年呢? 002")
	want = append(want, Turn{Question: "那2019年呢? 001", Answer: "新增就业3.4万人。 [1]"})
	if !reflect.DeepEqual(q.History, want) {
		t.Errorf("a reply down the chain had history %+v, want %+v", q.History, want)
	}
	if q = tb.replyTo(t, ans, "500000000000000999", "别的问题 003"); len(q.History) != 0 {
		t.Errorf("a reply to a person's message had history %+v", q.History)
	}
}

// TestReplyDepthIsBounded: a reply chain contributes at most
// maxReplyDepth turns, and a loop in it ends.
func TestReplyDepthIsBounded(t *testing.T) {
	t.Parallel()
	b := &Bot{mem: newAnswers()}
	for i := range 10 {
		prev := ""
		if i > 0 {
			prev = string(rune('a' + i - 1))
		}
		b.mem.put(string(rune('a'+i)), answerRecord{question: "q", answer: "a", replyTo: prev})
	}
	if got := b.replyHistory("j"); len(got) != maxReplyDepth {
		t.Errorf("history of a chain of 10 has %d turns, want %d", len(got), maxReplyDepth)
	}
	b.mem.put("x", answerRecord{question: "q", answer: "a", replyTo: "y"})
	b.mem.put("y", answerRecord{question: "q", answer: "a", replyTo: "x"})
	if got := b.replyHistory("x"); len(got) != 2 {
		t.Errorf("history of a loop has %d turns, want 2", len(got))
	}
}
