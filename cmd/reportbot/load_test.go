package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/reportbot/reportbot/bot/discordtest"
	"github.com/reportbot/reportbot/openai/openaitest"
)

// TestServeLoad200WithSlowModel sends 200 /ask at once to the real serve
// command (real engine, real discordgo client, fake Discord) whose model
// answers only once every question has been admitted or turned away: every
// interaction is acknowledged, each ends with an answer (4 running, 16
// queued) or a busy message, none is lost, and memory and goroutines come
// back down.
func TestServeLoad200WithSlowModel(t *testing.T) {
	// turnedAway is in the busy message of a question the full queue
	// refuses (a queued question's message says "busy" too).
	const turnedAway = "places in the queue are taken"
	if testing.Short() {
		t.Skip("load test")
	}
	const n = 200
	srv := discordtest.NewServer()
	defer srv.Close()
	llm := openaitest.NewServer()
	defer llm.Close()
	// The model holds every answer until all 200 questions have been
	// admitted or turned away, so that exactly 4 run and 16 wait, however
	// slowly the questions arrive.
	release := make(chan struct{})
	var releaseOnce sync.Once
	open := func() { releaseOnce.Do(func() { close(release) }) }
	defer open()
	llm.Chat = func(i int, req goopenai.ChatCompletionRequest) openaitest.Reply {
		<-release
		return quotingModel(i, req)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`provider:
  base_url: %s
  api_key_env: FAKE_KEY
  max_concurrency: 4
llm:
  chat_model: fake-chat
  rewrite_queries: false
discord:
  api_url: %s
  guild_ids: ["%s"]
  max_concurrent: 4
  queue_size: 16
  rate_limit: 5
  feedback: false
`, llm.BaseURL(), srv.URL(), testGuild)), 0o644)
	getenv := func(k string) string {
		return map[string]string{"XDG_CACHE_HOME": dir, "DISCORD_BOT_TOKEN": testToken, "FAKE_KEY": fakeKey}[k]
	}
	baseG := runtime.NumGoroutine()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", cfgPath}, &stdout, &stderr, getenv) }()
	wctx, wcancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer wcancel()
	if err := srv.WaitConnected(wctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}

	ins := make([]discordtest.Interaction, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in, err := srv.Command(wctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": "2018年新增就业目标是多少?"},
				GuildID: testGuild, ChannelID: testChannel, UserID: strconv.Itoa(310000000000000000 + i)})
			if err != nil {
				t.Error(err)
			}
			ins[i] = in
		})
	}
	wg.Wait()
	busyCount := func(v discordtest.View) int {
		busy := 0
		for _, in := range ins {
			if m, ok := v.Original(in.Token); ok {
				if c, _ := m["content"].(string); strings.Contains(c, turnedAway) {
					busy++
				}
			}
		}
		return busy
	}
	bctx, bcancel := context.WithTimeout(wctx, time.Minute)
	_ = srv.Wait(bctx, func(v discordtest.View) bool { return busyCount(v) >= n-20 })
	bcancel()
	open()

	// Each interaction ends with an answer (4 running + 16 queued) or a
	// busy message; none is left without a final message.
	answered, busy := 0, 0
	err := srv.Wait(wctx, func(v discordtest.View) bool {
		answered, busy = 0, 0
		for _, in := range ins {
			m, ok := v.Original(in.Token)
			if !ok {
				return false
			}
			c, _ := m["content"].(string)
			_, final := m["components"]
			switch {
			case strings.Contains(c, "3.4万") && final:
				answered++
			case strings.Contains(c, turnedAway):
				busy++
			}
		}
		return answered+busy == n
	})
	if err != nil {
		t.Fatalf("answered %d, busy %d of %d: %v", answered, busy, n, err)
	}
	if answered != 20 || busy != n-20 {
		t.Errorf("answered %d, busy %d; want 20 and %d", answered, busy, n-20)
	}
	// Each interaction is acknowledged once: deferred when it is taken,
	// an immediate ephemeral refusal when the queue is full.
	deferred, refused := 0, 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/callback") {
			switch b := string(r.Body); {
			case strings.Contains(b, `"type":5`):
				deferred++
			case strings.Contains(b, `"type":4`) && strings.Contains(b, `"flags":64`):
				refused++
			}
		}
	}
	if deferred != answered || refused != busy {
		t.Errorf("%d deferred acknowledgements and %d ephemeral refusals; want %d and %d", deferred, refused, answered, busy)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	srv.Close()
	llm.Close()
	var after runtime.MemStats
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		runtime.GC()
		runtime.ReadMemStats(&after)
		if runtime.NumGoroutine() <= baseG+4 || time.Now().After(deadline) {
			break
		}
	}
	if g := runtime.NumGoroutine(); g > baseG+4 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d after serve stopped, %d before:\n%s", g, baseG, buf[:runtime.Stack(buf, true)])
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Errorf("heap grew by %d MiB over the run and stayed", grew>>20)
	}
	t.Logf("answered %d, busy %d; heap before %d MiB, after %d MiB", answered, busy, before.HeapAlloc>>20, after.HeapAlloc>>20)
}
