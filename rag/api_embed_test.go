package rag

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/openai/openaitest"
)

func newAPIProvider(t *testing.T, srv *openaitest.Server) *openai.Provider {
	t.Helper()
	p, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), APIKey: TestKey, Timeout: 5 * time.Second, MaxConcurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpenAIEmbedderIndexesAndSearches(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	e, err := openai.NewEmbedder(t.Context(), newAPIProvider(t, srv), openai.EmbedderOptions{Model: "emb", Dimensions: 256})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.New(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), bundled(t), index.SyncOptions{BatchSize: 32}); err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := eng.Ask(t.Context(), "2018年新增就业目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "3.4万") {
		t.Errorf("answer %q over API embeddings", a.Text)
	}
	// The provider down at query time: keyword search still answers, and
	// the answer says so.
	srv.EmbedFault = func(int) openaitest.Reply { return openaitest.Reply{Status: 503} }
	a, err = eng.Ask(t.Context(), "2018年新增就业目标是多少?")
	if err != nil || !strings.Contains(a.Text, "3.4万") || a.Notice == "" {
		t.Errorf("with embeddings down: %v, text %q, notice %q; want a keyword-search answer with a notice", err, a.Text, a.Notice)
	}
}
