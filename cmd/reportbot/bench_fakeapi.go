package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/reportbot/reportbot/rag"
)

// The fake embedding API lets bench measure indexing against an API
// embedder without the network: a loopback server speaking the OpenAI
// embeddings API (POST /v1/embeddings) that waits a fixed latency per call
// and answers with offline hash vectors. apiEmbedder is a minimal client for
// it; it lives here, in bench-only code, until the real OpenAI embedder is
// on main, and can then be swapped for it.

// fakeEmbeddingAPI serves POST /v1/embeddings after waiting latency per call.
type fakeEmbeddingAPI struct {
	latency time.Duration
	emb     rag.Embedder
	calls   atomic.Int64
}

type embeddingRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
	// EncodingFormat "base64" asks for little-endian float32 in base64,
	// which is much cheaper to encode and decode than JSON numbers.
	EncodingFormat string `json:"encoding_format,omitempty"`
}

type embeddingData struct {
	Object string `json:"object"`
	Index  int    `json:"index"`
	// Embedding is a JSON array of numbers, or a base64 string.
	Embedding json.RawMessage `json:"embedding"`
}

type embeddingResponse struct {
	Object string          `json:"object"`
	Data   []embeddingData `json:"data"`
	Model  string          `json:"model"`
}

// encodeEmbedding renders v as JSON numbers or as base64 float32s.
func encodeEmbedding(v []float32, format string) (json.RawMessage, error) {
	if format != "base64" {
		return json.Marshal(v)
	}
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return json.Marshal(base64.StdEncoding.EncodeToString(b))
}

// decodeEmbedding reads what encodeEmbedding wrote.
func decodeEmbedding(raw json.RawMessage) ([]float32, error) {
	var v []float32
	if len(raw) > 0 && raw[0] == '[' {
		err := json.Unmarshal(raw, &v)
		return v, err
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b)%4 != 0 {
		return nil, fmt.Errorf("bad base64 embedding: %v", err)
	}
	v = make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

func (f *fakeEmbeddingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
		return
	}
	var req embeddingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Input) == 0 {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	f.calls.Add(1)
	select {
	case <-time.After(f.latency):
	case <-r.Context().Done():
		return
	}
	vecs, err := f.emb.Embed(r.Context(), req.Input)
	if err != nil {
		http.Error(w, `{"error":{"message":"embedding failed"}}`, http.StatusInternalServerError)
		return
	}
	resp := embeddingResponse{Object: "list", Model: req.Model, Data: make([]embeddingData, len(vecs))}
	for i, v := range vecs {
		raw, err := encodeEmbedding(v, req.EncodingFormat)
		if err != nil {
			http.Error(w, `{"error":{"message":"encoding failed"}}`, http.StatusInternalServerError)
			return
		}
		resp.Data[i] = embeddingData{Object: "embedding", Index: i, Embedding: raw}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// startFakeEmbeddingAPI starts the fake API on loopback.
func startFakeEmbeddingAPI(latency time.Duration, dim int) (*httptest.Server, *fakeEmbeddingAPI, error) {
	emb, err := rag.NewHashEmbedder(dim)
	if err != nil {
		return nil, nil, err
	}
	f := &fakeEmbeddingAPI{latency: latency, emb: emb}
	return httptest.NewServer(f), f, nil
}

// apiEmbedder calls an OpenAI-compatible embeddings endpoint.
type apiEmbedder struct {
	baseURL, model string
	dim            int
	client         *http.Client
	timeout        time.Duration
}

func newAPIEmbedder(baseURL, model string, dim int) *apiEmbedder {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	return &apiEmbedder{baseURL: baseURL, model: model, dim: dim, client: &http.Client{Transport: tr}, timeout: 60 * time.Second}
}

// ID implements rag.Embedder.
func (a *apiEmbedder) ID() string { return fmt.Sprintf("openai-compatible/%s/%d", a.model, a.dim) }

// Dim implements rag.Embedder.
func (a *apiEmbedder) Dim() int { return a.dim }

// Embed implements rag.Embedder with one POST per call.
func (a *apiEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	body, err := json.Marshal(embeddingRequest{Model: a.model, Input: texts, EncodingFormat: "base64"})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.baseURL+"/v1/embeddings", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("embeddings API: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("embeddings API: %s", resp.Status)
	}
	var out embeddingResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("embeddings API: decode: %w", err)
	}
	vecs := make([][]float32, len(texts))
	for _, d := range out.Data {
		if d.Index < 0 || d.Index >= len(vecs) {
			return nil, fmt.Errorf("embeddings API: index %d out of range", d.Index)
		}
		v, err := decodeEmbedding(d.Embedding)
		if err != nil {
			return nil, fmt.Errorf("embeddings API: input %d: %w", d.Index, err)
		}
		vecs[d.Index] = v
	}
	for i, v := range vecs {
		if v == nil {
			return nil, fmt.Errorf("embeddings API: no embedding for input %d", i)
		}
	}
	return vecs, nil
}
