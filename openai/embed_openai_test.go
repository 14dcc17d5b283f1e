package openai

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/openai/openaitest"
)

func newTestProvider(t *testing.T, srv *openaitest.Server, retries int) *Provider {
	t.Helper()
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), APIKey: testKey, MaxRetries: retries, Timeout: 5 * time.Second, MaxConcurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpenAIEmbedderBatchesAndOrders(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Dim = 32
	e, err := NewEmbedder(t.Context(), newTestProvider(t, srv, 0), EmbedderOptions{Model: "emb", BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if e.Dim() != 32 || e.ID() != "openai/emb/32" {
		t.Fatalf("probed dim %d id %s", e.Dim(), e.ID())
	}
	texts := make([]string, 20)
	for i := range texts {
		texts[i] = strings.Repeat("新增就业", i+1)
	}
	before := len(srv.Requests())
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()) - before; n != 3 {
		t.Errorf("%d requests for 20 inputs in batches of 8; want 3", n)
	}
	for i, v := range vecs {
		want := openaitest.Vector(texts[i], 32)
		for j := range v {
			if d := v[j] - want[j]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("vector %d is not the vector of input %d (responses arrive out of order)", i, i)
			}
		}
	}
}

func TestOpenAIEmbedderDimensionsAndFaults(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	e, err := NewEmbedder(t.Context(), newTestProvider(t, srv, 2), EmbedderOptions{Model: "emb", Dimensions: 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.Requests()) != 0 {
		t.Error("a configured dimension needs no probe request")
	}
	srv.EmbedFault = func(n int) openaitest.Reply {
		if n == 1 {
			return openaitest.Reply{Status: 429, RetryAfter: "0"}
		}
		return openaitest.Reply{}
	}
	vecs, err := e.Embed(t.Context(), []string{"a", "b"})
	if err != nil || len(vecs) != 2 || len(vecs[0]) != 16 {
		t.Fatalf("after a 429: %v, %d vectors", err, len(vecs))
	}
	if got := srv.Requests()[0].Embed.Dimensions; got != 16 {
		t.Errorf("requested dimensions %d; want 16", got)
	}
	srv.EmbedFault = func(int) openaitest.Reply { return openaitest.Reply{Status: 500} }
	_, err = e.Embed(t.Context(), []string{"a"})
	if !errors.Is(err, embed.ErrProviderUnavailable) {
		t.Errorf("error %v: want ErrProviderUnavailable", err)
	}
	srv.EmbedFault = func(int) openaitest.Reply { return openaitest.Reply{Raw: `{"data":[{"index":0,"embedding":[0,0]}]}`} }
	_, err = e.Embed(t.Context(), []string{"a"})
	if err == nil {
		t.Error("a vector of the wrong length was accepted")
	}
}

const testKey = "sk-test-SECRET-4f9a2c"
