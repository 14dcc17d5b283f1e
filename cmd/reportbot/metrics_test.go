package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/query"
)

func TestOpsEndpoints(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	m.observe(&answer.Answer{Mode: "llm", Query: query.Query{Lang: "zh"}, Grounding: &answer.Grounding{Retried: true, RemovedCitations: []int{7}}}, nil)
	m.observe(&answer.Answer{Mode: "extractive", NotFound: true, Query: query.Query{Lang: "en"}, Grounding: &answer.Grounding{ProviderError: true}}, nil)
	m.observe(nil, errors.New("bad question"))
	var healthy atomic.Bool
	healthy.Store(true)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addr, err := serveOps(ctx, "127.0.0.1:0", m, func(context.Context) error {
		if !healthy.Load() {
			return errors.New("index closed")
		}
		return nil
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/metrics")
	for _, want := range []string{
		`reportbot_answers_total{lang="zh",mode="llm",outcome="answered"} 1`,
		`reportbot_answers_total{lang="en",mode="extractive",outcome="not_found"} 1`,
		`reportbot_grounding_fixes_total{action="retried"} 1`,
		`reportbot_grounding_fixes_total{action="removed_citation"} 1`,
		`reportbot_provider_errors_total 1`,
		`reportbot_ask_errors_total 1`,
		`go_goroutines`,
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics (%d) lacks %s", code, want)
		}
	}
	if code, body := get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	healthy.Store(false)
	if code, _ := get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz when unhealthy = %d", code)
	}
}
