package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// startClockedBot runs a bot whose clock is the fake Discord's manual
// clock, so that a test can pass an interaction token's 15 minutes at once.
func startClockedBot(t *testing.T, opt Options, ans Answerer, lib Library) (*testBot, *discordtest.ManualClock) {
	t.Helper()
	clock := discordtest.NewManualClock(time.Now())
	srv := discordtest.NewServer(discordtest.WithClock(clock))
	t.Cleanup(srv.Close)
	opt.Now = clock.Now
	return startBotOn(t, srv, opt, ans, lib), clock
}

// lateAnswerer passes the clock by advance when asked, as an answer that
// took that long would, then answers.
type lateAnswerer struct {
	fakeAnswerer
	clock   *discordtest.ManualClock
	advance time.Duration
}

func (l *lateAnswerer) Answer(ctx context.Context, q Question) (*Answer, error) {
	l.clock.Advance(l.advance)
	return l.fakeAnswerer.Answer(ctx, q)
}

// channelPosts returns the contents of the messages the bot created in
// channel ch (not through an interaction).
func channelPosts(reqs []Request, ch string) []string {
	var out []string
	for _, r := range reqs {
		if r.Method == "POST" && r.Path == "/channels/"+ch+"/messages" && r.Status < 300 {
			out = append(out, string(r.Body))
		}
	}
	return out
}

// TestLateAnswerGoesToTheChannel: an /ask whose answer is ready after the
// interaction token expired is posted in the channel, headed by the
// asker's display name, pinging nobody, and no call uses the dead token.
func TestLateAnswerGoesToTheChannel(t *testing.T) {
	t.Parallel()
	ans := &lateAnswerer{}
	tb, clock := startClockedBot(t, Options{}, ans, nil)
	ans.clock, ans.advance = clock, tokenLife
	tb.ask(t, channel, "2018年新增就业目标是多少?")
	var posts []string
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		posts = channelPosts(v.Requests(), channel)
		return len(posts) >= 2 && strings.Contains(strings.Join(posts, "\n"), "3.4万")
	})
	if err != nil {
		t.Fatalf("the late answer never reached the channel: %v; posts %q", err, posts)
	}
	if !strings.Contains(posts[0], "user"+user) || !strings.Contains(posts[0], "2018年新增就业目标是多少") {
		t.Errorf("the late answer's heading %s does not name the asker and the question", posts[0])
	}
	time.Sleep(100 * time.Millisecond) // the thread on it is opened now
	reqs := tb.srv.Requests()
	if bad := rejected(reqs); len(bad) > 0 {
		t.Errorf("the fake rejected %d calls:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	checkNoPings(t, reqs)
}

// TestQueueWaitEndsBeforeTheToken: a question waiting in the queue is told
// that the bot is too busy while its token still works (AnswerTimeout and
// the time to post before the 15 minutes end), not after 10 minutes
// of real time.
func TestQueueWaitEndsBeforeTheToken(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{gate: make(chan struct{})}
	defer close(ans.gate)
	tb, clock := startClockedBot(t, Options{MaxConcurrent: 1, QueueSize: 4, QueueWait: 10 * time.Minute}, ans, nil)
	tb.waitOriginal(t, tb.ask(t, channel, "就业 1"), contains("Searching"))
	in := tb.ask(t, channel, "就业 2")
	tb.waitOriginal(t, in, contains("number 1"))
	clock.Advance(tokenLife - tokenDeliver - time.Second)
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && r.Path == "/webhooks/"+discordtest.AppID+"/"+in.Token && r.Status < 300 &&
				strings.Contains(string(r.Body), "too busy to answer in time") {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("the queued asker was not told in time: %v", err)
	}
}

// gatedLibrary reindexes once its gate closes.
type gatedLibrary struct {
	fakeLibrary
	gate chan struct{}
}

func (l *gatedLibrary) Reindex(ctx context.Context) (ReindexResult, error) {
	<-l.gate
	return l.fakeLibrary.Reindex(ctx)
}

// TestReindexAnswersWithinTheToken: a reindex that outlasts the token is
// answered before the token expires, and goes on.
func TestReindexAnswersWithinTheToken(t *testing.T) {
	t.Parallel()
	lib := &gatedLibrary{gate: make(chan struct{})}
	tb, clock := startClockedBot(t, Options{AdminRoles: []string{admin}}, &fakeAnswerer{}, lib)
	var once sync.Once
	release := func() { once.Do(func() { close(lib.gate) }) }
	t.Cleanup(release) // before the bot stops, should the test fail
	in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "reindex", GuildID: guild, ChannelID: channel, UserID: user, Roles: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	tb.waitOriginal(t, in, func(string, map[string]any) bool { return true })
	clock.Advance(tokenLife - tokenDeliver)
	tb.waitOriginal(t, in, contains("still running"))
	release()
	for ctx := testCtx(t); ; testPause() {
		lib.mu.Lock()
		n := lib.reindexes
		lib.mu.Unlock()
		if n == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the reindex did not go on")
		}
	}
	if bad := rejected(tb.srv.Requests()); len(bad) > 0 {
		t.Errorf("the fake rejected %d calls:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}
