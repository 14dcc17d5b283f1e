package bot

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestFeedbackOneVotePerUser: a user has one vote per answer: clicking
// the same verdict again records nothing, the other verdict changes the
// vote; another user's vote is their own. The votes survive a restart.
func TestFeedbackOneVotePerUser(t *testing.T) {
	t.Parallel()
	fb := t.TempDir() + "/feedback.jsonl"
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	tb := startBotOn(t, srv, Options{FeedbackFile: fb}, &fakeAnswerer{}, nil)
	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	tb.waitOriginal(t, in, final)
	msgID, _ := srv.OriginalID(in.Token)
	for deadline := time.Now().Add(10 * time.Second); ; testPause() {
		if _, ok := tb.bot.mem.get(msgID); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the answer was never remembered")
		}
	}
	vote := func(id, who string) string {
		t.Helper()
		var cb struct{ Data struct{ Content string } }
		body := clickResponse(t, srv, discordtest.Click{CustomID: id, MessageID: msgID, GuildID: guild, ChannelID: channel, UserID: who})
		if err := json.Unmarshal(body, &cb); err != nil {
			t.Fatal(err)
		}
		return cb.Data.Content
	}
	const other = "300000000000000009"
	steps := []struct{ id, who, want string }{
		{idHelpful, user, "recorded as helpful"},
		{idHelpful, user, "already"},
		{idWrong, user, "changed"},
		{idWrong, other, "recorded as wrong"},
	}
	for _, s := range steps {
		if got := vote(s.id, s.who); !strings.Contains(strings.ToLower(got), s.want) {
			t.Errorf("vote %s by %s: got %q, want %q", s.id, s.who, got, s.want)
		}
	}
	if err := tb.stop(); err != nil {
		t.Fatal(err)
	}
	startBotOn(t, srv, Options{FeedbackFile: fb}, &fakeAnswerer{}, nil)
	if got := vote(idWrong, other); !strings.Contains(got, "already") {
		t.Errorf("the same vote after a restart: got %q, want already recorded", got)
	}
	f, err := os.Open(fb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadFeedback(f)
	if err != nil {
		t.Fatal(err)
	}
	var verdicts []string
	for _, r := range recs {
		verdicts = append(verdicts, r.UserID[len(r.UserID)-1:]+":"+r.Verdict)
	}
	if want := []string{"1:helpful", "1:wrong", "9:wrong"}; !slices.Equal(verdicts, want) {
		t.Errorf("feedback lines %v, want %v", verdicts, want)
	}
	var latest []string
	for _, r := range LatestVotes(recs) {
		latest = append(latest, r.UserID[len(r.UserID)-1:]+":"+r.Verdict)
	}
	if want := []string{"1:wrong", "9:wrong"}; !slices.Equal(latest, want) {
		t.Errorf("latest votes %v, want %v", latest, want)
	}
}
