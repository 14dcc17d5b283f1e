package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
	"github.com/reportbot/reportbot/openai/openaitest"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const (
	testGuild   = "100000000000000001"
	testChannel = "200000000000000001"
	testUser    = "300000000000000001"
	// testToken looks like a real bot token; it must never be printed or
	// sent anywhere but the Authorization header and IDENTIFY.
	testToken = "MTA5ODc2NTQzMjEwOTg3NjU0.GzXy9Q.s3cr3t-t0ken-value-never-logged"
)

// TestServeEndToEnd runs `reportbot serve` with the real engine (offline,
// bundled corpus) against a fake Discord: /ask, a Sources button, a
// mention, a reindex by an admin, then shutdown. Nothing it prints, logs
// or sends in a REST body may contain the token.
func TestServeEndToEnd(t *testing.T) {
	srv := discordtest.NewServer()
	defer srv.Close()
	// discordgo logs through the standard logger; capture it too.
	var stdlog lockedBuffer
	log.SetOutput(&stdlog)
	defer log.SetOutput(os.Stderr)

	llm := openaitest.NewServer()
	defer llm.Close()
	llm.Chat = quotingModel
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfgText := fmt.Sprintf(`log:
  level: debug
ops:
  listen: 127.0.0.1:0
provider:
  base_url: %s
  api_key_env: FAKE_KEY
llm:
  chat_model: fake-chat
discord:
  api_url: %s
  guild_ids: ["%s"]
  admin_roles: ["500000000000000001"]
  feedback_file: %s
  edit_interval: 250ms
  shutdown_grace: 5s
`, llm.BaseURL(), srv.URL(), testGuild, filepath.Join(dir, "feedback.jsonl"))
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return dir
		case "DISCORD_BOT_TOKEN":
			return testToken
		case "FAKE_KEY":
			return fakeKey
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", cfgPath}, &stdout, &stderr, getenv) }()

	wctx, wcancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer wcancel()
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PUT" && r.Path == "/applications/"+discordtest.AppID+"/guilds/"+testGuild+"/commands" {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("commands not registered in the guild: %v\nstderr:\n%s", err, stderr.String())
	}
	if err := srv.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}

	in, err := srv.Command(wctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": "2018年新增就业目标是多少?"},
		GuildID: testGuild, ChannelID: testChannel, UserID: testUser})
	if err != nil {
		t.Fatal(err)
	}
	var answer map[string]any
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		m, ok := v.Original(in.Token)
		_, final := m["components"]
		answer = m
		return ok && final
	}); err != nil {
		t.Fatalf("no final answer: %v\nstderr:\n%s", err, stderr.String())
	}
	msgID, _ := srv.OriginalID(in.Token)
	msg, _ := srv.Message(msgID)
	if !strings.Contains(msg.Content, "3.4万") || !strings.Contains(msg.Content, "[1]") {
		t.Errorf("answer %q lacks 3.4万 and its marker", msg.Content)
	}
	if len(msg.Embeds) == 0 || msg.Embeds[0].Title != "Sources" || !strings.Contains(msg.Embeds[0].Description, "武清区2018年政府工作报告") ||
		!strings.Contains(msg.Embeds[0].Description, "¶") {
		t.Errorf("sources embed missing or incomplete: %+v", answer["embeds"])
	}

	// The first Sources button shows the full passage.
	srcButton := ""
	if s := regexpFind(string(mustJSON(t, answer["components"])), `rb:src:1:[0-9a-f]+`); s != "" {
		srcButton = s
	}
	click, err := srv.Click(wctx, discordtest.Click{CustomID: srcButton, MessageID: msgID, GuildID: testGuild, ChannelID: testChannel, UserID: testUser})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		m, ok := v.Original(click.Token)
		return ok && strings.Contains(string(mustJSON(t, m["embeds"])), "3.4万")
	}); err != nil {
		t.Errorf("source button %q did not show the passage: %v", srcButton, err)
	}

	// The model wrote the answer, and the metrics counted it.
	if len(llm.ChatRequests()) == 0 {
		t.Error("the LLM was not asked")
	}
	opsAddr := regexpFind(stderr.String(), `serving /healthz and /metrics" addr=127\.0\.0\.1:\d+`)
	if opsAddr == "" {
		t.Fatalf("no ops server in the log:\n%s", stderr.String())
	}
	opsAddr = opsAddr[strings.LastIndex(opsAddr, "=")+1:]
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/metrics": `reportbot_answers_total{lang="zh",mode="llm",outcome="answered"} 1`,
	} {
		resp, err := http.Get("http://" + opsAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d, lacks %q:\n%.2000s", path, resp.StatusCode, want, body)
		}
	}

	// An admin reindexes; nothing changed, so nothing is embedded.
	re, err := srv.Command(wctx, discordtest.Command{Name: "reindex", GuildID: testGuild, ChannelID: testChannel, UserID: testUser, Roles: []string{"500000000000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		m, _ := v.Original(re.Token)
		c, _ := m["content"].(string)
		return strings.Contains(c, "Reindexed: 2 reports")
	}); err != nil {
		t.Errorf("reindex: %v", err)
	}
	// /reports lists the real engine's reports, with years and counts.
	rp, err := srv.Command(wctx, discordtest.Command{Name: "reports", GuildID: testGuild, ChannelID: testChannel, UserID: testUser})
	if err != nil {
		t.Fatal(err)
	}
	var listed string
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		m, _ := v.Original(rp.Token)
		listed, _ = m["content"].(string)
		return strings.Contains(listed, "passages.")
	}); err != nil {
		t.Errorf("/reports: %v", err)
	}
	for _, want := range []string{"武清区2018年政府工作报告", "2018", "year unknown", "2 reports, 84 passages."} {
		if !strings.Contains(listed, want) {
			t.Errorf("/reports %q lacks %q", listed, want)
		}
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	// The answer was journaled to the default memory file in the data
	// directory, for the next start.
	mem, _ := filepath.Glob(filepath.Join(dir, "reportbot", "*", "memory-shard0.jsonl"))
	if len(mem) != 1 {
		t.Errorf("memory files %v, want one memory-shard0.jsonl in the data directory", mem)
	} else if b, _ := os.ReadFile(mem[0]); !strings.Contains(string(b), `"message":"`+msgID+`"`) {
		t.Errorf("memory file lacks the answer message %s:\n%s", msgID, b)
	} else if strings.Contains(string(b), testToken) || strings.Contains(string(b), fakeKey) {
		t.Error("a secret leaked into the memory file")
	}

	// The token must appear nowhere: not in output, logs or REST bodies.
	all := stdout.String() + stderr.String() + stdlog.String()
	if !strings.Contains(stderr.String(), "starting discord bot") {
		t.Errorf("expected structured logs on stderr, got:\n%s", stderr.String())
	}
	for _, r := range srv.Requests() {
		all += r.Method + " " + r.Path + "?" + r.Query + "\n" + string(r.Body) + "\n"
	}
	for _, r := range llm.Requests() {
		all += r.Path + "\n" + string(r.Body) + "\n"
	}
	for _, secret := range []string{testToken, testToken[:24], "s3cr3t-t0ken", fakeKey} {
		if strings.Contains(all, secret) {
			t.Errorf("the token (or part of it) %q leaked into output, logs or REST bodies", secret)
		}
	}
}

func TestServeNeedsToken(t *testing.T) {
	t.Parallel()
	_, _, err := runCmd(t, "serve")
	if err == nil || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN is empty") {
		t.Errorf("serve without a token: %v, want an error naming DISCORD_BOT_TOKEN", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func regexpFind(s, expr string) string { return regexp.MustCompile(expr).FindString(s) }
