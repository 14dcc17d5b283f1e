package fakeembed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/internal/fakeembed"
	"github.com/reportbot/reportbot/openai"
)

func TestVector(t *testing.T) {
	t.Parallel()
	a, b := fakeembed.Vector("新增就业", 32), fakeembed.Vector("新增就业", 32)
	if len(a) != 32 {
		t.Fatalf("len = %d, want 32", len(a))
	}
	var norm float64
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("Vector is not deterministic")
		}
		norm += float64(a[i]) * float64(a[i])
	}
	if math.Abs(norm-1) > 1e-5 {
		t.Errorf("|v|² = %g, want 1", norm)
	}
	if e := fakeembed.Vector("", 8); e[0] != 1 {
		t.Errorf("Vector(\"\") = %v, want the first unit vector", e)
	}
}

// post sends body to h and decodes the reply.
func post(t *testing.T, h http.Handler, path, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := &fakeembed.Handler{Dim: 16}
	code, out := post(t, h, "/v1/embeddings", `{"model":"m","input":["a","bb","ccc"]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	data, _ := out["data"].([]any)
	if len(data) != 3 {
		t.Fatalf("got %d embeddings, want 3: %v", len(data), out)
	}
	for j, d := range data {
		e := d.(map[string]any)
		i := int(e["index"].(float64))
		if i != 2-j {
			t.Errorf("embedding %d has index %d: want reverse order", j, i)
		}
		if vec := e["embedding"].([]any); len(vec) != 16 {
			t.Errorf("embedding %d has %d numbers, want the handler's 16", i, len(vec))
		}
	}
	if _, out := post(t, h, "/v1/embeddings", `{"model":"m","input":"a","dimensions":8}`); len(out["data"].([]any)[0].(map[string]any)["embedding"].([]any)) != 8 {
		t.Errorf("dimensions not honoured: %v", out)
	}
	for _, tt := range []struct {
		path, body string
		want       int
	}{
		{"/v1/embeddings", `{"input":[1,2]}`, http.StatusBadRequest},
		{"/v1/embeddings", `{`, http.StatusBadRequest},
		{"/v1/chat/completions", `{}`, http.StatusNotFound},
	} {
		if code, _ := post(t, h, tt.path, tt.body); code != tt.want {
			t.Errorf("POST %s %s: status %d, want %d", tt.path, tt.body, code, tt.want)
		}
	}
	if n := h.Requests(); n != 3 {
		t.Errorf("Requests() = %d, want 3 (the well-formed ones)", n)
	}
}

// TestServerWithRealEmbedder indexes through the real API embedder against
// the fake, as the benchmark does, with latency and concurrency.
func TestServerWithRealEmbedder(t *testing.T) {
	t.Parallel()
	h := &fakeembed.Handler{Latency: 20 * time.Millisecond}
	srv, err := fakeembed.Start(h)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	prov, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), MaxConcurrency: 4, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := openai.NewEmbedder(t.Context(), prov, openai.EmbedderOptions{Model: "fake", Dimensions: 32, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"一", "二", "三", "四", "五", "六", "七"}
	vecs, err := emb.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		if want := fakeembed.Vector(texts[i], 32); !equal(v, want) {
			t.Errorf("vector %d is not Vector(%q): mapped by position instead of index?", i, texts[i])
		}
	}
	if n := h.Requests(); n < 3 {
		t.Errorf("%d requests for 7 texts in batches of 3, want at least 3", n)
	}

}

// TestServerSlowReply checks that a reply held back by Latency is abandoned
// when the client gives up.
func TestServerSlowReply(t *testing.T) {
	t.Parallel()
	srv, err := fakeembed.Start(&fakeembed.Handler{Latency: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.BaseURL()+"/embeddings", bytes.NewReader([]byte(`{"input":"x"}`)))
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); err == nil || time.Since(start) > 10*time.Second {
		t.Errorf("slow reply: err %v after %s, want the client's deadline", err, time.Since(start))
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}
