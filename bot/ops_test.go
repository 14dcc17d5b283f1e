package bot

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestLoad200AtOnce sends 200 /ask interactions at once to a bot whose
// answerer takes 250 ms per answer, so the queue drains in waves. Every
// interaction must be acknowledged before any answer is allowed to finish
// (so acknowledging never waits for answering), and every one must end
// with an answer or a busy message. Afterwards the goroutine count must
// return to its baseline.
//
// It counts every goroutine in the process, so it must not run in
// parallel with other tests: it has no t.Parallel, and sequential tests
// run before the parallel ones start.
func TestLoad200AtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("load test (~3 s)")
	}
	const n, maxRunning, queue = 200, 8, 32
	base := runtime.NumGoroutine()
	gate := make(chan struct{})
	ans := &fakeAnswerer{gate: gate, delay: 250 * time.Millisecond}
	tb := startBot(t, Options{MaxConcurrent: maxRunning, QueueSize: queue, EditInterval: time.Second}, ans, nil)

	ins := make([]discordtest.Interaction, n)
	sent := make([]time.Time, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sent[i] = time.Now()
			in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "ask", Options: map[string]string{"question": fmt.Sprintf("问题%d 就业", i)},
				GuildID: guild, ChannelID: channel, UserID: strconv.Itoa(1000 + i)})
			if err != nil {
				t.Error(err)
			}
			ins[i] = in
		})
	}
	wg.Wait()
	// All 200 deferred acknowledgements arrive while no answer can finish.
	acked := map[string]time.Time{}
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && strings.HasSuffix(r.Path, "/callback") {
				acked[strings.Split(r.Path, "/")[2]] = r.Time
			}
		}
		return len(acked) == n
	})
	if err != nil {
		t.Fatalf("%d of %d interactions acknowledged while answers were held: %v", len(acked), n, err)
	}
	var worst time.Duration
	for i, in := range ins {
		worst = max(worst, acked[in.ID].Sub(sent[i]))
	}
	t.Logf("all %d interactions acknowledged; slowest acknowledgement %v after dispatch", n, worst)
	close(gate)

	answered, busy := 0, 0
	positions := map[int]bool{}
	posRE := regexp.MustCompile(`you are number (\d+) in the queue`)
	for _, in := range ins {
		c, _ := tb.waitOriginal(t, in, final)["content"].(string)
		switch {
		case strings.Contains(c, "3.4万"):
			answered++
		case strings.Contains(c, "busy"):
			busy++
		default:
			t.Errorf("interaction ended with %q, want an answer or a busy message", c)
		}
	}
	for _, r := range tb.srv.Requests() {
		if m := posRE.FindStringSubmatch(string(r.Body)); m != nil {
			p, _ := strconv.Atoi(m[1])
			positions[p] = true
		}
	}
	if answered != maxRunning+queue || busy != n-maxRunning-queue {
		t.Errorf("answered %d, busy %d; want %d and %d", answered, busy, maxRunning+queue, n-maxRunning-queue)
	}
	for p := 1; p <= queue; p++ {
		if !positions[p] {
			t.Errorf("nobody was told they were number %d in the queue", p)
		}
	}
	if err := tb.stop(); err != nil {
		t.Fatal(err)
	}
	tb.srv.Close()
	waitGoroutines(t, base)
}

// waitGoroutines waits for the goroutine count to return to base (plus a
// little slack for the runtime), failing with a dump if it does not.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	ctx := testCtx(t)
	for runtime.NumGoroutine() > base+2 {
		select {
		case <-ctx.Done():
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d, baseline %d; leaked:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		default:
			testPause()
		}
	}
}

func TestShutdownFinishesOrTells(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	ans := &fakeAnswerer{gate: gate}
	tb := startBot(t, Options{MaxConcurrent: 1, QueueSize: 5, ShutdownGrace: 50 * time.Millisecond}, ans, nil)
	running := tb.ask(t, channel, "first")
	tb.waitOriginal(t, running, contains(msgSearching))
	queued := tb.ask(t, channel, "second")
	tb.waitOriginal(t, queued, contains("number 1"))
	if err := tb.stop(); err != nil {
		t.Fatal(err)
	}
	if c := privateReply(t, tb, running); c != "Interrupted: "+msgRestarting {
		t.Errorf("interrupted answer ended with %q", c)
	}
	if c := privateReply(t, tb, queued); c != msgRestarting {
		t.Errorf("queued question ended with %q", c)
	}
	for _, in := range []discordtest.Interaction{running, queued} {
		if !responseDeleted(tb, in) || publicSays(tb, in, msgRestarting) {
			t.Errorf("the public response was not replaced by a private one (deleted %v)", responseDeleted(tb, in))
		}
	}
	close(gate)
}

func TestShutdownLetsRunningAnswerFinish(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	ans := &fakeAnswerer{gate: gate}
	tb := startBot(t, Options{ShutdownGrace: time.Minute}, ans, nil)
	in := tb.ask(t, channel, "first")
	tb.waitOriginal(t, in, contains(msgSearching))
	stopped := make(chan error, 1)
	go func() { stopped <- tb.stop() }()
	close(gate) // the answer finishes during the grace period
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if c, _ := tb.waitOriginal(t, in, final)["content"].(string); !strings.Contains(c, "3.4万") {
		t.Errorf("answer finished during shutdown ended with %q", c)
	}
}

func TestRESTRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	tb := startBot(t, Options{}, &fakeAnswerer{}, nil)
	tb.srv.Inject(discordtest.Fault{Method: "PATCH", PathContains: "/messages/@original", Status: http.StatusTooManyRequests, RetryAfter: 50 * time.Millisecond, Times: 2})
	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	if c, _ := tb.waitOriginal(t, in, final)["content"].(string); !strings.Contains(c, "3.4万") {
		t.Errorf("answer after 429s: %q", c)
	}
	limited := 0
	for _, r := range tb.srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 2 {
		t.Errorf("%d requests were rate limited, want 2 (the fault was not hit)", limited)
	}
}

// TestGatewayReconnectResumes drops the gateway connection and asks at
// once, before the bot has resumed: Discord keeps the interactions for
// the session and replays them on RESUME (the fake too), and the bot must
// answer every one. (The fake used to send events to whichever connection
// looked ready, the dying one included, which lost them at random.)
func TestGatewayReconnectResumes(t *testing.T) {
	t.Parallel()
	tb := startBot(t, Options{}, &fakeAnswerer{}, nil)
	// discordgo's first heartbeat must be out (see Server.Heartbeats).
	for tb.srv.Heartbeats() == 0 {
		testPause()
	}
	tb.srv.DropConnections()
	ins := []discordtest.Interaction{tb.ask(t, channel, "2018年新增就业目标是多少?"), tb.ask(t, channel, "就业")}
	for _, in := range ins {
		if c, _ := tb.waitOriginal(t, in, final)["content"].(string); !strings.Contains(c, "3.4万") {
			t.Errorf("answer after reconnecting: %q", c)
		}
	}
	if tb.srv.Resumes() == 0 {
		t.Error("the bot did not resume")
	}
	if n := len(tb.srv.Identifies()); n != 1 {
		t.Errorf("%d identifies, want 1 (the session was resumed, not started anew)", n)
	}
}

func TestAnswererErrorsAreShownSafely(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		panics bool
		want   string
	}{
		{name: "panic", panics: true, want: msgFailed},
		{name: "bad question", err: fmt.Errorf("%w: the question is empty", ErrBadQuestion), want: "I cannot answer that: the question is empty"},
		{name: "internal error hidden", err: fmt.Errorf("store: %w at /secret/path", errTest), want: msgFailed},
		{name: "timeout", err: context.DeadlineExceeded, want: msgTooSlow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := startBot(t, Options{}, &fakeAnswerer{err: tt.err, panics: tt.panics}, nil)
			in := tb.ask(t, channel, "q")
			if c := privateReply(t, tb, in); c != tt.want {
				t.Errorf("got %q, want %q", c, tt.want)
			}
			if !responseDeleted(tb, in) || publicSays(tb, in, tt.want) {
				t.Error("the failure was shown in public")
			}
		})
	}
}

func TestConnectFailureExplainsCloseCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		want string
	}{
		{code: 4004, want: "Reset Token"},
		{code: 4014, want: "Message Content Intent"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer()
			defer srv.Close()
			srv.CloseOnIdentify = tt.code
			s, err := srv.NewSession("bad-token")
			if err != nil {
				t.Fatal(err)
			}
			s.ShouldReconnectOnError = false
			b, err := New(s, &fakeAnswerer{}, nil, Options{ThreadReplies: true})
			if err != nil {
				t.Fatal(err)
			}
			err = b.Run(testCtx(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), strconv.Itoa(tt.code)) {
				t.Errorf("Run = %v, want an error with code %d explaining %q", err, tt.code, tt.want)
			}
			if strings.Contains(fmt.Sprint(err), "bad-token") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}
