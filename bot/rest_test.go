package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

// hangGuard is how long returns waits for a call that should return at
// once. It is no timing assert: a correct call returns within
// milliseconds, a wrong one sleeps on an hour-long rate limit.
const hangGuard = 20 * time.Second

// returns runs f and returns its error, failing t when f does not return
// (it sleeps on a rate limit, as discordgo does, past its deadline).
func returns(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(hangGuard):
		t.Fatalf("%s did not return: it sleeps on a rate limit that resets in an hour", what)
		return nil
	}
}

// limitedBot starts a bot against a fake whose routes allow perRoute
// requests an hour, asks two questions whose answers are held (each
// interaction's response has been edited once, to the progress note),
// and returns the bot and replies for both.
func limitedBot(t *testing.T, perRoute int, opt Options) (*testBot, [2]*interactionReply, [2]discordtest.Interaction) {
	t.Helper()
	srv := discordtest.NewServer(discordtest.WithRateLimits(discordtest.RateLimits{PerRoute: perRoute, Window: time.Hour, Global: 10000}))
	t.Cleanup(srv.Close)
	gate := make(chan struct{})
	opt.ShutdownGrace = 50 * time.Millisecond
	tb := startBotOn(t, srv, opt, &fakeAnswerer{gate: gate}, nil)
	t.Cleanup(func() { close(gate) })
	var rs [2]*interactionReply
	var ins [2]discordtest.Interaction
	for k := range ins {
		ins[k] = tb.ask(t, channel, "就业")
		tb.waitOriginal(t, ins[k], contains(msgSearching))
		rs[k] = &interactionReply{b: tb.bot, i: &discordgo.Interaction{ID: ins[k].ID, AppID: discordtest.AppID, Token: ins[k].Token}}
	}
	return tb, rs, ins
}

// patches counts the edits of in's response that reached the fake.
func patches(tb *testBot, in discordtest.Interaction) int {
	n := 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "PATCH" && strings.Contains(r.Path, "/"+in.Token+"/messages/@original") {
			n++
		}
	}
	return n
}

// TestEditsOfOneInteractionDoNotWaitForAnother is issue 16's defect 1:
// discordgo filed every interaction's edits under one bucket, so when
// one interaction's edits were spent, every other answer waited for its
// reset. Discord limits them per interaction.
func TestEditsOfOneInteractionDoNotWaitForAnother(t *testing.T) {
	t.Parallel()
	tb, rs, ins := limitedBot(t, 2, Options{})
	ctx := testCtx(t)
	if _, err := rs[0].edit(ctx, outMessage{Content: "A's second edit"}); err != nil {
		t.Fatal(err) // A's bucket is now spent for an hour
	}
	err := returns(t, "an edit of another interaction", func() error {
		_, err := rs[1].edit(ctx, outMessage{Content: "B's second edit"})
		return err
	})
	if err != nil {
		t.Fatalf("B's edit: %v", err)
	}
	if n := patches(tb, ins[1]); n != 2 {
		t.Errorf("B's response was edited %d times, want 2", n)
	}
}

// TestRateLimitWaitHonoursDeadline is issue 16's defect 7: discordgo
// slept for the rate limit whatever the request's deadline, then sent
// with an expired context. A wait past the deadline is an error at once,
// errRateLimited, and nothing is sent.
func TestRateLimitWaitHonoursDeadline(t *testing.T) {
	t.Parallel()
	tb, rs, ins := limitedBot(t, 2, Options{RESTTimeout: 2 * time.Second})
	ctx := testCtx(t)
	if _, err := rs[0].edit(ctx, outMessage{Content: "second edit"}); err != nil {
		t.Fatal(err)
	}
	err := returns(t, "an edit past the rate limit", func() error {
		_, err := rs[0].edit(ctx, outMessage{Content: "third edit"})
		return err
	})
	var wait *rateLimitWaitError
	if !errors.Is(err, errRateLimited) || !errors.As(err, &wait) || wait.Wait < 30*time.Minute {
		t.Errorf("edit past the limit: %v; want a rate-limit wait error of about an hour", err)
	}
	if strings.Contains(err.Error(), ins[0].Token) {
		t.Errorf("the error shows the interaction token: %v", err)
	}
	if n := patches(tb, ins[0]); n != 2 {
		t.Errorf("%d edits reached Discord, want 2 (the third is not sent)", n)
	}
}

// TestIntermediateEditLeavesRoomForFinal checks the priority of edits
// that must go: an intermediate edit is skipped, not sent, when its
// message's bucket has only the request the final edit needs; the final
// edit then goes.
func TestIntermediateEditLeavesRoomForFinal(t *testing.T) {
	t.Parallel()
	tb, rs, ins := limitedBot(t, 3, Options{})
	ctx := testCtx(t)
	if _, err := rs[0].edit(intermediateEdit(ctx), outMessage{Content: "streamed ▍"}); err != nil {
		t.Fatalf("first intermediate edit, 2 of 3 left: %v", err)
	}
	if _, err := rs[0].edit(intermediateEdit(ctx), outMessage{Content: "more ▍"}); !errors.Is(err, errEditSkipped) {
		t.Fatalf("intermediate edit with 1 of 3 left: %v, want errEditSkipped", err)
	}
	if _, err := rs[0].edit(ctx, outMessage{Content: "final"}); err != nil {
		t.Fatalf("final edit: %v", err)
	}
	if n := patches(tb, ins[0]); n != 3 {
		t.Errorf("%d edits reached Discord, want 3 (progress, one streamed, final)", n)
	}
}

// TestEditBudgetPutsFinalsFirst checks the bot-wide edit budget: edits
// that must go are counted but never refused, and intermediate edits are
// refused while they have spent it.
func TestEditBudgetPutsFinalsFirst(t *testing.T) {
	t.Parallel()
	e := newEditBudget()
	if !e.intermediate() {
		t.Fatal("a fresh budget refuses an intermediate edit")
	}
	for range editBurst + 5 {
		e.final()
	}
	if e.intermediate() {
		t.Error("an intermediate edit went ahead of final edits that spent the budget")
	}
}

func TestRouteOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		wantName     string
		callback     bool
	}{
		{"PATCH", "/api/v9/webhooks/900000000000000001/tok-secret/messages/@original", "PATCH /webhooks/:id/:token/messages/@original", true},
		{"POST", "/api/v9/interactions/1000000000000000001/tok-secret/callback", "POST /interactions/:id/:token/callback", true},
		{"POST", "/api/v9/channels/200000000000000001/messages", "POST /channels/:channel/messages", false},
		{"PATCH", "/api/v9/channels/200000000000000001/messages/1000000000000000005", "PATCH /channels/:channel/messages/:id", false},
		{"PUT", "/api/v9/channels/200000000000000001/messages/1000000000000000005/reactions/%E2%8F%B3/@me", "PUT /channels/:channel/messages/:id/reactions/:emoji/@me", false},
	}
	for _, tt := range tests {
		t.Run(tt.wantName, func(t *testing.T) {
			t.Parallel()
			key, name, cb := routeOf(tt.method, tt.path)
			if name != tt.wantName || cb != tt.callback {
				t.Errorf("got %q callback %v, want %q %v", name, cb, tt.wantName, tt.callback)
			}
			if strings.Contains(key, "tok-secret") || strings.Contains(name, "tok-secret") {
				t.Errorf("the token is in the route: key %q, name %q", key, name)
			}
		})
	}
	// Two interactions, two buckets; two messages of one channel, one.
	k1, _, _ := routeOf("PATCH", "/api/v9/webhooks/1/tok-a/messages/@original")
	k2, _, _ := routeOf("PATCH", "/api/v9/webhooks/1/tok-b/messages/@original")
	k3, _, _ := routeOf("PATCH", "/api/v9/channels/200000000000000001/messages/1000000000000000005")
	k4, _, _ := routeOf("PATCH", "/api/v9/channels/200000000000000001/messages/1000000000000000006")
	if k1 == k2 || k3 != k4 {
		t.Errorf("buckets: interactions %q and %q, one channel's messages %q and %q", k1, k2, k3, k4)
	}
}

// TestSkippedEditIsRetried checks that the streamer sends a skipped
// intermediate edit's text again soon, and that its first text edit is
// not intermediate (it must go).
func TestSkippedEditIsRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var calls []bool // whether each edit was intermediate
	var texts []string
	edited := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(calls)
	}
	s := newStreamer(t.Context(), 40*time.Millisecond, func(ctx context.Context, text string) error {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, isIntermediateEdit(ctx))
		texts = append(texts, text)
		if len(calls) == 2 {
			return errEditSkipped
		}
		return nil
	})
	s.Update("a")
	for edited() < 1 {
		testPause()
	}
	s.Update("ab")
	for edited() < 3 {
		testPause()
	}
	s.Stop()
	mu.Lock()
	defer mu.Unlock()
	if calls[0] || !calls[1] || !calls[2] || texts[2] != "ab" {
		t.Errorf("edits (intermediate?) %v with %q; want false, true (skipped), true again with \"ab\"", calls, texts)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	// As discordgo returns it: the http client's error itself.
	err := redactURL(&url.Error{Op: "Patch", URL: "https://discord.com/api/v9/webhooks/900000000000000001/tok-secret/messages/@original", Err: context.DeadlineExceeded})
	got := fmt.Errorf("discord: edit: %w", err).Error()
	if strings.Contains(got, "tok-secret") || !strings.Contains(got, "/webhooks/:id/:token/messages/@original") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %q", got)
	}
}

// TestGlobalLimitIsWaitedFor sends more messages than the global limit
// allows in a second: the 429s with X-RateLimit-Global hold every route
// until retry_after, and every message is sent in the end.
func TestGlobalLimitIsWaitedFor(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithRateLimits(discordtest.RateLimits{PerRoute: 1000, Window: time.Second, Global: 2}))
	t.Cleanup(srv.Close)
	tb := startBotOn(t, srv, Options{}, &fakeAnswerer{}, nil)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			opt, cancel := tb.bot.rest(testCtx(t))
			defer cancel()
			ch := fmt.Sprintf("2000000000000001%02d", i) // a route each
			if _, err := tb.bot.s.ChannelMessageSend(ch, "hello", opt); err != nil {
				t.Errorf("send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	sent, global := 0, 0
	for _, r := range srv.Requests() {
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") && r.Status == 200:
			sent++
		case r.Status == 429:
			global++
		}
	}
	if sent != 6 {
		t.Errorf("%d of 6 messages sent", sent)
	}
	t.Logf("%d answered 429 on the way", global)
}

// failingTransport fails every request as a broken network would.
type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused")
}

// TestCallbackKeepsTheTokenOut: a failed interaction callback's error,
// which discordgo builds from the callback URL, does not hold the token.
func TestCallbackKeepsTheTokenOut(t *testing.T) {
	t.Parallel()
	s, err := discordgo.New("Bot test")
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: failingTransport{}}
	s.MaxRestRetries = 0
	b := &Bot{s: s}
	i := &discordgo.Interaction{ID: "900000000000000001", AppID: "900000000000000002", Token: "tok-secret"}
	err = b.callback(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if err == nil || strings.Contains(err.Error(), "tok-secret") {
		t.Errorf("callback error %v: want an error without the token", err)
	}
}
