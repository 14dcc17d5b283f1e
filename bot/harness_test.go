package bot

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// testParallel is how many tests run at once unless -test.parallel says.
const testParallel = 32

// TestMain runs more tests at once than the default (GOMAXPROCS): the
// bot tests mostly wait, on the fake Discord and above all in discordgo's
// Session.Close, which sleeps 1 s before closing the websocket, so a
// handful of CPUs can run dozens of them side by side. An explicit
// -test.parallel (go test -parallel) is kept.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", fmt.Sprint(max(testParallel, runtime.GOMAXPROCS(0)))); err != nil {
			fmt.Fprintln(os.Stderr, "TestMain:", err)
			os.Exit(2)
		}
	}
	os.Exit(m.Run())
}

// Test identities.
const (
	guild   = "100000000000000001"
	channel = "200000000000000001"
	other   = "200000000000000002"
	user    = "300000000000000001"
	admin   = "400000000000000001" // a role id
)

// fakeAnswerer answers every question with a fixed cited answer, streamed
// in a few pieces, and records the questions it got.
type fakeAnswerer struct {
	text    string        // answer text; default cites [1]
	sources []Source      // default: one source
	gate    chan struct{} // when set, answers wait for it to close
	delay   time.Duration // then take this long
	err     error
	panics  bool
	step    time.Duration // pause between streamed pieces
	trace   string        // the answer's trace ("Why?")
	table   *Table        // the answer's table, if any
	chart   []byte        // and its chart

	mu        sync.Mutex
	questions []Question
}

var testSource = Source{
	N: 1, PassageID: "a173d30b73d267ae", ReportTitle: "武清区2018年政府工作报告", Year: 2018,
	Section:   []string{"二、2018年主要任务", "(六)深入践行以人民为中心的发展思想"},
	Paragraph: 40, Quote: "新增就业3.4万人。",
	Text: "完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,新增就业3.4万人。",
}

func (f *fakeAnswerer) Answer(ctx context.Context, q Question) (*Answer, error) {
	f.mu.Lock()
	f.questions = append(f.questions, Question{Text: q.Text, History: q.History})
	f.mu.Unlock()
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	if f.panics {
		panic("answerer bug")
	}
	text, src := f.text, f.sources
	if text == "" {
		text = "新增就业3.4万人。 [1]"
	}
	if src == nil {
		src = []Source{testSource}
	}
	if q.OnDelta != nil {
		for _, piece := range strings.SplitAfter(text, "。") {
			q.OnDelta(piece)
			time.Sleep(f.step)
		}
	}
	return &Answer{Text: text, Sources: src, Trace: f.trace, Table: f.table, Chart: f.chart}, nil
}

func (f *fakeAnswerer) Passage(_ context.Context, id string) (*Source, error) {
	if id == testSource.PassageID {
		s := testSource
		s.N = 0
		return &s, nil
	}
	return nil, fmt.Errorf("passage %s: %w", id, ErrUnknownPassage)
}

func (f *fakeAnswerer) asked() []Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Question(nil), f.questions...)
}

// fakeLibrary serves the admin commands.
type fakeLibrary struct {
	mu        sync.Mutex
	reindexes int
}

func (l *fakeLibrary) Reports(context.Context) ([]Report, error) {
	return []Report{{ID: "wuqing-2018", Title: "武清区2018年政府工作报告", Year: 2018, Passages: 84}, {ID: "frag", Title: "武清区政府工作报告(片段)", Passages: 12}}, nil
}

func (l *fakeLibrary) Reindex(context.Context) (ReindexResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reindexes++
	return ReindexResult{Reports: 2, Passages: 96}, nil
}

// testBot is a Bot running against a fake Discord.
type testBot struct {
	srv  *discordtest.Server
	bot  *Bot
	stop func() error // stops the bot (idempotent)
}

// startBot runs a bot with opt against a fresh fake Discord and waits
// until it has connected and registered its commands.
func startBot(t *testing.T, opt Options, ans Answerer, lib Library) *testBot {
	t.Helper()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	return startBotOn(t, srv, opt, ans, lib)
}

// startBotOn runs a bot against srv, which may have served bots before
// (a restart), and waits until it has connected and registered.
func startBotOn(t *testing.T, srv *discordtest.Server, opt Options, ans Answerer, lib Library) *testBot {
	t.Helper()
	if opt.MaxQuestionRunes == 0 {
		opt.MaxQuestionRunes = testMaxRunes
	}
	registered := func(reqs []discordtest.Request) int {
		n := 0
		for _, r := range reqs {
			if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
				n++
			}
		}
		return n
	}
	before, identified := registered(srv.Requests()), len(srv.Identifies())
	s, err := srv.NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	if opt.EditInterval == 0 {
		opt.EditInterval = 10 * time.Millisecond
	}
	b, err := New(s, ans, lib, opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- b.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() { cancel(); runErr = <-errc })
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wctx, wcancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer wcancel()
	err = srv.Wait(wctx, func(v discordtest.View) bool { return registered(v.Requests()) > before })
	if err != nil {
		t.Fatalf("bot did not register its commands: %v", err)
	}
	if err := srv.WaitConnected(wctx, identified+1); err != nil {
		t.Fatalf("bot did not connect to the gateway: %v", err)
	}
	return &testBot{srv: srv, bot: b, stop: stop}
}

// ctx returns a context that fails a stuck test instead of hanging it.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ask dispatches /ask in the test guild and channel.
func (tb *testBot) ask(t *testing.T, ch, question string, roles ...string) discordtest.Interaction {
	t.Helper()
	in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "ask", Options: map[string]string{"question": question},
		GuildID: guild, ChannelID: ch, UserID: user, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// waitOriginal waits until the original response of an interaction
// satisfies done and returns it.
func (tb *testBot) waitOriginal(t *testing.T, in discordtest.Interaction, done func(content string, m map[string]any) bool) map[string]any {
	t.Helper()
	var got map[string]any
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		m, ok := v.Original(in.Token)
		if !ok {
			return false
		}
		c, _ := m["content"].(string)
		if done(c, m) {
			got = m
			return true
		}
		return false
	})
	if err != nil {
		m, _ := tb.srv.OriginalID(in.Token)
		msg, _ := tb.srv.Message(m)
		t.Fatalf("original response never became final: %v; last state %+v", err, msg)
	}
	return got
}

// final reports whether a response is final: it has its embeds or
// components set, or it is a plain message that is not progress.
func final(c string, m map[string]any) bool {
	if _, ok := m["components"]; ok {
		return true
	}
	return c != "" && !strings.HasPrefix(c, "🔎") && !strings.HasSuffix(c, "▍") && !strings.Contains(c, "you are number")
}

// contains is a done func for waitOriginal.
func contains(s string) func(string, map[string]any) bool {
	return func(c string, _ map[string]any) bool { return strings.Contains(c, s) }
}

// callbacks returns the interaction callbacks recorded for in, decoded.
func callbacks(tb *testBot, in discordtest.Interaction) []map[string]any {
	var out []map[string]any
	for _, r := range tb.srv.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/interactions/"+in.ID+"/") {
			var m map[string]any
			_ = json.Unmarshal(r.Body, &m)
			out = append(out, m)
		}
	}
	return out
}

// checkNoPings fails t unless every message body the bot sent carries
// allowed_mentions with an empty parse list and no users or roles.
func checkNoPings(t *testing.T, reqs []Request) {
	t.Helper()
	checked := 0
	for _, r := range reqs {
		if (r.Method != "POST" && r.Method != "PATCH") || len(r.Body) == 0 || strings.HasSuffix(r.Path, "/threads") {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Errorf("%s %s: body is not JSON: %v", r.Method, r.Path, err)
			continue
		}
		if d, ok := body["data"].(map[string]any); ok && strings.HasPrefix(r.Path, "/interactions/") {
			body = d
		}
		am, ok := body["allowed_mentions"].(map[string]any)
		parse, isList := am["parse"].([]any)
		if !ok || !isList || len(parse) != 0 || am["users"] != nil || am["roles"] != nil || am["replied_user"] == true {
			t.Errorf("%s %s: allowed_mentions %v, want {parse: []}", r.Method, r.Path, body["allowed_mentions"])
		}
		checked++
	}
	if checked == 0 {
		t.Error("no message bodies checked")
	}
}

// Request is the fake's recorded request, named here for brevity.
type Request = discordtest.Request

var errTest = errors.New("test failure")

// testPause yields briefly while polling something without a change
// notification.
func testPause() { time.Sleep(5 * time.Millisecond) }

// clickResponse dispatches a button click and returns the body of the
// bot's interaction response to it.
func clickResponse(t *testing.T, srv *discordtest.Server, c discordtest.Click) []byte {
	t.Helper()
	ci, err := srv.Click(testCtx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	var body []byte
	err = srv.Wait(testCtx(t), func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "POST" && strings.HasPrefix(r.Path, "/interactions/"+ci.ID+"/") {
				body = r.Body
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("click %s got no response: %v", c.CustomID, err)
	}
	return body
}

// waitThread waits until the bot remembers a thread it opened (and, when
// msgID is set, that answer message too) and returns the thread's id.
func (tb *testBot) waitThread(t *testing.T, msgID string) string {
	t.Helper()
	ctx := testCtx(t)
	for {
		threadID := ""
		tb.bot.conv.mu.Lock()
		for id := range tb.bot.conv.byID {
			threadID = id
		}
		tb.bot.conv.mu.Unlock()
		if _, ok := tb.bot.mem.get(msgID); threadID != "" && (ok || msgID == "") {
			return threadID
		}
		select {
		case <-ctx.Done():
			t.Fatal("the bot did not remember its thread")
		default:
			testPause()
		}
	}
}
