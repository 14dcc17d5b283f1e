package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/eval"
	"github.com/reportbot/reportbot/openai/openaitest"
)

const fakeKey = "sk-cmd-test-7d1e"

var (
	promptPassage  = regexp.MustCompile(`(?s)<passage n="(\d+)">\n[^\n]*\n(.*?)\n</passage>`)
	promptQuestion = regexp.MustCompile(`(?s)<question>(.*?)</question>\s*\n\nAnswer in`)
)

// bigrams returns the overlapping pairs of Han characters of s.
func bigrams(s string) []string {
	var out []string
	for _, run := range hanRun.FindAllString(s, -1) {
		rs := []rune(run)
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

var hanRun = regexp.MustCompile(`\p{Han}+`)

// promptDraft reads a draft line of the answer prompt: passage, quote.
var promptDraft = regexp.MustCompile(`<draft passage="(\d+)">([^<]*)</draft>`)

// promptFact reads a fact line of the answer prompt: passage, label,
// measure, value.
var promptFact = regexp.MustCompile(`<fact passage="(\d+)">([^|<]*?) \| ([^|<]*?) \| ([^|<]*?) \|`)

// quotingModel is a fake chat model that behaves like a careful one: it
// states the facts the prompt lists, each with its label and value as
// given and cited; with none, it repeats the draft the prompt gives, cited;
// with neither, it answers with the sentence of the passages
// (or clause between semicolons) that shares the most Chinese bigrams with
// the (rewritten) question, preferring one with a figure when the question
// asks for one, cited, or NOT_FOUND. It reads the real prompt, so the pipeline around it
// is what is tested.
func quotingModel(_ int, req goopenai.ChatCompletionRequest) openaitest.Reply {
	if req.ResponseFormat != nil {
		return openaitest.Reply{Content: `{"query":"","years":[],"period":""}`} // unusable: falls back
	}
	var user string
	for _, m := range req.Messages {
		if m.Role == "user" && strings.Contains(m.Content, "<passage") {
			user = m.Content
		}
	}
	if fs := promptFact.FindAllStringSubmatch(user, -1); len(fs) > 0 {
		var b strings.Builder
		for _, f := range fs {
			fmt.Fprintf(&b, "%s%s%s[%s]。", f[2], f[3], f[4], f[1])
		}
		return openaitest.Reply{Content: b.String()}
	}
	if ds := promptDraft.FindAllStringSubmatch(user, -1); len(ds) > 0 {
		var b strings.Builder
		for _, d := range ds {
			fmt.Fprintf(&b, "%s[%s]。", strings.Trim(d[2], "…"), d[1])
		}
		return openaitest.Reply{Content: b.String()}
	}
	qm := promptQuestion.FindStringSubmatch(user)
	if qm == nil {
		return openaitest.Reply{Content: "NOT_FOUND"}
	}
	want := map[string]bool{}
	for _, b := range bigrams(qm[1]) {
		want[b] = true
	}
	best, bestN, bestScore := "", 0, 1
	asksFigure := strings.ContainsAny(qm[1], "多少几率") || strings.Contains(strings.ToLower(qm[1]), "how many")
	for _, m := range promptPassage.FindAllStringSubmatch(user, -1) {
		for _, sent := range strings.FieldsFunc(m[2], func(r rune) bool { return r == '。' || r == '；' }) {
			// Distinct question bigrams the sentence holds: a long
			// sentence does not win by repeating them.
			seen := map[string]bool{}
			score := 0
			for _, b := range bigrams(sent) {
				if want[b] && !seen[b] {
					seen[b] = true
					score++
				}
			}
			if asksFigure && strings.ContainsAny(sent, "0123456789") {
				score += 2 // a careful model answers a figure question with a figure
			}
			if score > bestScore {
				best, bestScore = strings.TrimSpace(sent), score
				fmt.Sscan(m[1], &bestN)
			}
		}
	}
	if best == "" {
		return openaitest.Reply{Content: "NOT_FOUND"}
	}
	return openaitest.Reply{Content: fmt.Sprintf("%s[%d]", best, bestN)}
}

// llmConfigFile writes a config using the fake server for answers.
func llmConfigFile(t *testing.T, srv *openaitest.Server, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := fmt.Sprintf("provider:\n  base_url: %s\n  api_key_env: FAKE_KEY\n  timeout: 5s\n  max_retries: 1\nllm:\n  chat_model: fake-chat\n%s", srv.BaseURL(), extra)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runWithKey(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cache := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return cache
		case "FAKE_KEY":
			return fakeKey
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, &out, &errOut, getenv)
	return out.String(), errOut.String(), err
}

func TestAskLLMMode(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = quotingModel
	out, logs, err := runWithKey(t, "ask", "--json", "--config", llmConfigFile(t, srv, ""), "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	var a answer.Answer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Mode != "llm" || !strings.Contains(a.Text, "3.4万") || len(a.Citations) != 1 {
		t.Errorf("mode %q text %q citations %d", a.Mode, a.Text, len(a.Citations))
	}
	if got := srv.Requests()[0].Authorization; got != "Bearer "+fakeKey {
		t.Errorf("authorization %q: the key from the named env var was not used", got)
	}
	if strings.Contains(out+logs, fakeKey) {
		t.Error("the API key was printed")
	}
}

func TestAskLLMProviderDown(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = func(int, goopenai.ChatCompletionRequest) openaitest.Reply { return openaitest.Reply{Status: 503} }
	out, logs, err := runWithKey(t, "ask", "--config", llmConfigFile(t, srv, ""), "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatalf("a provider outage became a command error: %v", err)
	}
	if !strings.Contains(out, "3.4万") || !strings.Contains(out, "语言模型暂不可用") {
		t.Errorf("want the extractive answer with a notice:\n%s", out)
	}
	if strings.Contains(out, "503") || strings.Contains(out, "goroutine") {
		t.Errorf("the user sees internals:\n%s", out)
	}
	if !strings.Contains(logs, "503") {
		t.Errorf("the log lacks the full error:\n%s", logs)
	}
}

func TestEvalLLMMode(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = quotingModel
	out, _, err := runWithKey(t, "eval", "--json", "--config", llmConfigFile(t, srv, ""), "--questions", "../../testdata/questions.dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	g := rep.Overall.Grounding
	if g == nil || g.ModelAnswers != rep.Overall.Questions || g.ProviderErrors != 0 {
		t.Fatalf("grounding stats %+v for %d questions", g, rep.Overall.Questions)
	}
	llm := 0
	for _, r := range rep.Results {
		if r.Mode == "llm" {
			llm++
		}
	}
	// The fake model quotes sentences; most answers must come through the
	// model path, and retrieval is the same as offline.
	if llm < rep.Overall.Questions/2 || rep.Overall.Hit5 < 0.9 {
		t.Errorf("%d of %d answers from the model, hit@5 %.3f", llm, rep.Overall.Questions, rep.Overall.Hit5)
	}
}

// TestEvalLLMModeProvincial runs the provincial questions in LLM mode with
// the quoting model: the model sees the facts and passages, no answer
// states a figure its passages lack, and answer and refusal accuracy are at
// least the offline engine's on the same questions (measured 2026-12-06:
// 0.903 and 1.000 against 0.897 and 1.000).
func TestEvalLLMModeProvincial(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the 31 provincial reports")
	}
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = quotingModel
	dir := gunzipCorpus(t, "../../testdata/provincial/provincial-2026.jsonl.gz")
	args := []string{"--questions", "../../testdata/questions.provinces.jsonl", "--corpus", dir}
	offline := evalWithFloors(t, func(eval.Report) []floor { return nil }, append(args, "--config", int8Config(t))...)
	out, _, err := runWithKey(t, append([]string{"eval", "--json", "--config", llmConfigFile(t, srv, "store:\n  chromem:\n    vector_search: int8\n")}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	g := rep.Overall.Grounding
	if g == nil || g.ModelAnswers == 0 || g.Unsupported != 0 || g.ProviderErrors != 0 {
		t.Errorf("grounding %+v: want model answers and no unsupported figure", g)
	}
	for i, r := range rep.Results {
		if o := offline.Results[i]; o.AnswerCorrect && !r.AnswerCorrect || r.Unanswerable && o.NotFound && !r.NotFound {
			t.Logf("%s right offline, wrong in LLM mode: %q → %q", r.ID, o.Answer, r.Answer)
		}
	}
	t.Logf("offline answer %.3f; LLM mode answer %.3f (zh %.3f, en %.3f), refusal %.3f, %d model answers, %d with unsupported figures, %d retried, %d fell back",
		offline.Overall.AnswerAccuracy, rep.Overall.AnswerAccuracy, rep.ByLang["zh"].AnswerAccuracy, rep.ByLang["en"].AnswerAccuracy, rep.Overall.RefusalAccuracy,
		g.ModelAnswers, g.Unsupported, g.Retried, g.FellBack)
	if rep.Overall.RefusalAccuracy < offline.Overall.RefusalAccuracy {
		t.Errorf("LLM-mode refusal accuracy %.3f below the offline %.3f", rep.Overall.RefusalAccuracy, offline.Overall.RefusalAccuracy)
	}
	if rep.Overall.AnswerAccuracy < offline.Overall.AnswerAccuracy {
		t.Errorf("LLM-mode answer accuracy %.3f below the offline %.3f", rep.Overall.AnswerAccuracy, offline.Overall.AnswerAccuracy)
	}
}

func TestProviderConfigErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	tests := []struct {
		name, body, want string
	}{
		{"no base url", "llm:\n  chat_model: gpt-4o-mini\n", "provider.base_url is empty"},
		{"bad base url", "provider:\n  base_url: localhost:11434\nllm:\n  chat_model: m\n", "provider.base_url"},
		{"missing env var", "provider:\n  base_url: http://127.0.0.1:1/v1\n  api_key_env: NOT_SET_ANYWHERE\nllm:\n  chat_model: m\n", "NOT_SET_ANYWHERE, which is not set"},
		{"bad timeout", "provider:\n  timeout: soon\n", "soon"},
		{"short timeout", "provider:\n  timeout: 1ms\n", "provider.timeout"},
		{"azure without version", "provider:\n  azure: true\n", "provider.api_version"},
		{"openai embedder without model", "embedder:\n  kind: openai\n", "embedder.model"},
		{"unknown llm key", "llm:\n  chat_modle: m\n", "chat_modle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := runWithKey(t, "ask", "--config", write(strings.ReplaceAll(tt.name, " ", "_")+".yaml", tt.body), "q")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v; want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestIndexWithAPIEmbedder(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("provider:\n  base_url: %s\n  api_key_env: FAKE_KEY\nembedder:\n  kind: openai\n  model: fake-embed\n  dimensions: 128\n  batch_size: 16\n", srv.BaseURL())), 0o644)
	data := t.TempDir()
	out, _, err := runWithKey(t, "ask", "--config", cfg, "--data", data, "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "3.4万") {
		t.Errorf("answer over API embeddings:\n%s", out)
	}
	first := len(srv.Requests())
	if first < 3 {
		t.Errorf("%d embedding requests: want batches of 16", first)
	}
	if _, _, err := runWithKey(t, "ask", "--config", cfg, "--data", data, "2017年新增就业多少?"); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()) - first; n != 1 {
		t.Errorf("%d requests for the second question; want 1 (the question only; the index is reused)", n)
	}
}

// TestAskWithEmbeddingsDownNeedsNoProbe checks that with the API embedder
// and no embedder.dimensions, an existing index answers by keyword search
// while the embeddings API refuses connections: the vector length comes
// from the index, not from a probe request.
func TestAskWithEmbeddingsDownNeedsNoProbe(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Dim = 48
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("provider:\n  base_url: %s\n  api_key_env: FAKE_KEY\n  timeout: 5s\n  max_retries: 0\nembedder:\n  kind: openai\n  model: fake-embed\n  batch_size: 64\n", srv.BaseURL())), 0o644)
	data := t.TempDir()
	if _, _, err := runWithKey(t, "index", "--config", cfg, "--data", data); err != nil {
		t.Fatal(err)
	}
	srv.Close() // connection refused from now on
	out, logs, err := runWithKey(t, "ask", "--config", cfg, "--data", data, "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatalf("ask with the embeddings API down: %v\n%s", err, logs)
	}
	if !strings.Contains(out, "3.4万") {
		t.Errorf("want a keyword-search answer:\n%s", out)
	}
	// A new index still needs the probe, and says why it failed.
	if _, _, err := runWithKey(t, "ask", "--config", cfg, "--data", t.TempDir(), "就业"); err == nil || !strings.Contains(err.Error(), "probing the vector length") {
		t.Errorf("new index with the API down: err %v; want the probe's error", err)
	}
}

// TestAskOneDeadlineForTheQuestion checks that a provider that accepts the
// connection but never answers costs one provider.timeout for the whole
// question (rewrite and answer together, was twice), that the log names
// the setting that fired (provider.timeout, not attempt_timeout) and that
// the extractive answer is printed.
func TestAskOneDeadlineForTheQuestion(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = func(int, goopenai.ChatCompletionRequest) openaitest.Reply {
		return openaitest.Reply{Delay: time.Minute}
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := fmt.Sprintf("provider:\n  base_url: %s\n  api_key_env: FAKE_KEY\n  timeout: 1s\n  max_retries: 1\nllm:\n  chat_model: fake-chat\n  rewrite_queries: true\n", srv.BaseURL())
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, logs, err := runWithKey(t, "ask", "--config", path, "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "3.4万") {
		t.Errorf("want the extractive answer:\n%s", out)
	}
	// One provider.timeout for the whole question: the first call (the
	// rewrite) uses it up, so neither its retry nor the answer's call is
	// made (each with its own timeout there would be four).
	if n := len(srv.ChatRequests()); n > 1 {
		t.Errorf("%d chat requests; want at most 1: the question's deadline passed during the first", n)
	}
	if !strings.Contains(logs, "provider.timeout") || strings.Contains(logs, "attempt_timeout") {
		t.Errorf("the log should name provider.timeout only:\n%s", logs)
	}
	if strings.Contains(logs, msgWaitingForModel) {
		t.Errorf("progress note on a stderr that is not a terminal")
	}
}
