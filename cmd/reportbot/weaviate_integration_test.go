package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
	"github.com/reportbot/reportbot/eval"
	"github.com/reportbot/reportbot/internal/weaviatetest"
)

// These tests run reportbot against real weaviate-server processes on
// loopback; they are skipped unless REPORTBOT_WEAVIATE_BIN names the binary.

// weaviateConfig writes a config file selecting the Weaviate store.
func weaviateConfigFile(t *testing.T, urls []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := fmt.Sprintf("store:\n  kind: weaviate\n  weaviate:\n    urls: [%s]\n    collection: Reportbot\n    refresh_interval: 1s\n", strings.Join(urls, ", "))
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func evalReport(t *testing.T, args ...string) eval.Report {
	t.Helper()
	out, stderr, err := runCmd(t, append([]string{"eval", "--questions", "../../testdata/questions.dev.jsonl", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("eval %v: %v\n%s", args, err, stderr)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestWeaviateEvalMatchesChromem indexes the bundled reports into Weaviate
// with `reportbot index` and runs the dev eval through the real engine on
// both stores: the numbers must agree within one question.
func TestWeaviateEvalMatchesChromem(t *testing.T) {
	c := weaviatetest.Start(t, weaviatetest.Bin(t), 1)
	cfg := weaviateConfigFile(t, c.URLs)
	if _, _, err := runCmd(t, "ask", "--config", cfg, "2018年新增就业目标是多少?"); err == nil || !strings.Contains(err.Error(), "reportbot index") {
		t.Errorf("ask before any index: err = %v, want one saying to run reportbot index", err)
	}
	out, stderr, err := runCmd(t, "index", "--config", cfg)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, stderr)
	}
	out2, _, err := runCmd(t, "index", "--config", cfg)
	if err != nil || !strings.Contains(out2, "(0 embedded") {
		t.Errorf("second index run changed something: %v\n%s%s", err, out, out2)
	}
	// A collection of an older layout (format 2) is rebuilt, with a
	// warning, by the next `reportbot index`; the eval below runs on the
	// rebuilt one.
	setManifestFormat(t, c.URLs[0], "ReportbotMeta", 2)
	if _, _, err := runCmd(t, "ask", "--config", cfg, "2018年新增就业目标是多少?"); err == nil || !strings.Contains(err.Error(), "reportbot index") {
		t.Errorf("ask on a format 2 collection: err = %v, want one saying to run reportbot index", err)
	}
	out3, stderr, err := runCmd(t, "index", "--config", cfg)
	if err != nil || !strings.Contains(stderr, "older format") || strings.Contains(out3, "(0 embedded") {
		t.Errorf("index of a format 2 collection: %v, want a rebuild with a warning\n%s%s", err, out3, stderr)
	}
	emb := evalReport(t)
	wv := evalReport(t, "--config", cfg)
	const oneQuestion = 1.0/30 + 1e-9
	rows := []struct {
		name       string
		chromem, w float64
		tolerance  float64
	}{
		{"hit@1", emb.Overall.Hit1, wv.Overall.Hit1, 2 * oneQuestion},
		{"hit@5", emb.Overall.Hit5, wv.Overall.Hit5, oneQuestion},
		{"mrr@10", emb.Overall.MRR10, wv.Overall.MRR10, 2 * oneQuestion},
		{"answer", emb.Overall.AnswerAccuracy, wv.Overall.AnswerAccuracy, oneQuestion},
		{"citation", emb.Overall.CitationAccuracy, wv.Overall.CitationAccuracy, oneQuestion},
		{"refusal", emb.Overall.RefusalAccuracy, wv.Overall.RefusalAccuracy, 0},
	}
	for _, r := range rows {
		t.Logf("%-9s chromem %.3f  weaviate %.3f", r.name, r.chromem, r.w)
		if math.Abs(r.chromem-r.w) > r.tolerance {
			t.Errorf("%s: weaviate %.3f, chromem %.3f: more than %.3f apart", r.name, r.w, r.chromem, r.tolerance)
		}
	}
	t.Logf("latency p50/p95 ms: chromem %.1f/%.1f, weaviate %.1f/%.1f", emb.Overall.LatencyP50, emb.Overall.LatencyP95, wv.Overall.LatencyP50, wv.Overall.LatencyP95)
	if wv.Overall.Errors > 0 || wv.Overall.FalseRefusals > emb.Overall.FalseRefusals+1 {
		t.Errorf("weaviate eval: %d errors, %d false refusals", wv.Overall.Errors, wv.Overall.FalseRefusals)
	}
}

// setManifestFormat rewrites the format recorded in the manifest object of
// the meta class over Weaviate's REST API, as an older reportbot would have
// left it.
func setManifestFormat(t *testing.T, baseURL, metaClass string, format int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	call := func(method, url string, body any, out any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, url, rd)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s %s: %s: %s", method, url, resp.Status, b)
		}
		if out != nil {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatal(err)
			}
		}
	}
	var list struct {
		Objects []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"objects"`
	}
	call(http.MethodGet, baseURL+"/v1/objects?class="+metaClass+"&limit=100", nil, &list)
	for _, o := range list.Objects {
		if _, ok := o.Properties["format"]; ok {
			call(http.MethodPatch, baseURL+"/v1/objects/"+metaClass+"/"+o.ID, map[string]any{"class": metaClass, "properties": map[string]any{"format": format}}, nil)
			return
		}
	}
	t.Fatalf("no manifest object in %s", metaClass)
}

// TestWeaviateSeparateIndexerProcess runs `reportbot index` as its own
// process, twice (first one report, then both), while this process answers
// from the shared Weaviate through a follower, as `reportbot serve` would.
func TestWeaviateSeparateIndexerProcess(t *testing.T) {
	c := weaviatetest.Start(t, weaviatetest.Bin(t), 1)
	cfg := weaviateConfigFile(t, c.URLs)
	bin := filepath.Join(t.TempDir(), "reportbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fragment := t.TempDir()
	src, err := os.ReadFile("../../corpus/reports/wuqing-later-report-fragment.txt")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(fragment, "fragment.txt"), src, 0o644)
	cache := t.TempDir()
	indexProc := func(ctx context.Context, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"index", "--config", cfg}, args...)...)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache)
		return cmd
	}
	if out, err := indexProc(t.Context(), "--corpus", fragment).CombinedOutput(); err != nil {
		t.Fatalf("first index process: %v\n%s", err, out)
	}

	var errOut bytes.Buffer
	env := &environment{stdout: &bytes.Buffer{}, stderr: &errOut, getenv: func(string) string { return "" }}
	a, err := openApp(t.Context(), env, &commonFlags{config: cfg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Follower == nil {
		t.Fatal("a reading app on weaviate has no follower")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go a.Follower.Run(ctx, a.Config.Store.Weaviate.RefreshInterval) // every second, as configured
	ask := a.Follower

	var asked, bad atomic.Int64
	var firstBad atomic.Value
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		for ctx.Err() == nil {
			ans, err := ask.Engine().Ask(ctx, "计划新增多少所养老服务综合体?")
			if ctx.Err() != nil {
				return
			}
			asked.Add(1)
			if err != nil || !strings.Contains(ans.Text, "4所") {
				bad.Add(1)
				firstBad.CompareAndSwap(nil, fmt.Sprint(err, ans))
			}
		}
	}()
	if out, err := indexProc(t.Context()).CombinedOutput(); err != nil {
		t.Fatalf("second index process: %v\n%s", err, out)
	}
	// The follower picks up the new commit within a few refresh intervals.
	var got string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		ans, err := ask.Engine().Ask(t.Context(), "2018年新增就业目标是多少?")
		if err == nil && strings.Contains(ans.Text, "3.4万") {
			got = ans.Text
			break
		}
	}
	cancel()
	<-loopDone
	if got == "" {
		t.Errorf("the answering process never saw the report indexed by the other process")
	}
	if asked.Load() == 0 || bad.Load() > 0 {
		t.Errorf("%d of %d answers while the other process indexed were wrong; first: %v", bad.Load(), asked.Load(), firstBad.Load())
	}

	// A third process answers from the shared index without any corpus.
	out, err := exec.Command(bin, "ask", "--config", cfg, "--corpus", filepath.Join(t.TempDir(), "none"), "What was Wuqing's 2018 employment target?").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3.4万") {
		t.Errorf("ask process: %v\n%s", err, out)
	}
}

// TestWeaviateServeFollowsIndexer runs `reportbot serve` on a shared
// Weaviate against the fake Discord: it answers from what one index run
// committed, then, after another index run adds a report, from the new
// index without a restart.
func TestWeaviateServeFollowsIndexer(t *testing.T) {
	c := weaviatetest.Start(t, weaviatetest.Bin(t), 1)
	srv := discordtest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfgText := fmt.Sprintf("store:\n  kind: weaviate\n  weaviate:\n    urls: [%s]\n    refresh_interval: 1s\n"+
		"discord:\n  api_url: %s\n  guild_ids: [\"%s\"]\n  feedback: false\n  edit_interval: 250ms\n  shutdown_grace: 2s\n",
		strings.Join(c.URLs, ", "), srv.URL(), testGuild)
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return dir
		case "DISCORD_BOT_TOKEN":
			return testToken
		}
		return ""
	}
	fragment := t.TempDir()
	src, err := os.ReadFile("../../corpus/reports/wuqing-later-report-fragment.txt")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(fragment, "fragment.txt"), src, 0o644)
	var out, errOut lockedBuffer
	if err := run(t.Context(), []string{"index", "--config", cfgPath, "--corpus", fragment}, &out, &errOut, getenv); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", cfgPath}, &stdout, &stderr, getenv) }()
	wctx, wcancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer wcancel()
	if err := srv.WaitConnected(wctx, 1); err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
	}
	ask := func(q string) string {
		t.Helper()
		in, err := srv.Command(wctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": q},
			GuildID: testGuild, ChannelID: testChannel, UserID: testUser})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Wait(wctx, func(v discordtest.View) bool {
			m, ok := v.Original(in.Token)
			_, final := m["components"]
			return ok && final
		}); err != nil {
			t.Fatalf("no final answer to %s: %v\nstderr:\n%s", q, err, stderr.String())
		}
		id, _ := srv.OriginalID(in.Token)
		msg, _ := srv.Message(id)
		return msg.Content
	}
	if got := ask("计划新增多少所养老服务综合体?"); !strings.Contains(got, "4所") {
		t.Errorf("answer from the first index: %q", got)
	}
	if err := run(t.Context(), []string{"index", "--config", cfgPath}, &out, &errOut, getenv); err != nil {
		t.Fatalf("second index: %v\n%s", err, errOut.String())
	}
	var got string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if got = ask("2018年新增就业目标是多少?"); strings.Contains(got, "3.4万") {
			break
		}
	}
	if !strings.Contains(got, "3.4万") {
		t.Errorf("serve never answered from the new index: %q\nstderr:\n%s", got, stderr.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestWeaviateServeShards runs two `reportbot serve` processes as shards 0
// and 1 of 2 over one Weaviate index, written once by `reportbot index`:
// neither process has a corpus or an index of its own, and each answers
// its guild's question from the shared store.
func TestWeaviateServeShards(t *testing.T) {
	c := weaviatetest.Start(t, weaviatetest.Bin(t), 1)
	store := fmt.Sprintf("store:\n  kind: weaviate\n  weaviate:\n    urls: [%s]\n    collection: ReportbotShards\n", strings.Join(c.URLs, ", "))
	cfg := filepath.Join(t.TempDir(), "index.yaml")
	if err := os.WriteFile(cfg, []byte(store), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := runCmd(t, "index", "--config", cfg); err != nil {
		t.Fatalf("index: %v\n%s", err, stderr)
	}
	serveShards(t, store)
}
