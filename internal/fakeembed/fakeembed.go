// Package fakeembed is a fake OpenAI-compatible embeddings API: POST
// /v1/embeddings answered with deterministic vectors (Vector) over real
// HTTP, on a loopback port of its own.
//
// It is not a test helper and never reaches a real provider: the benchmark
// command (cmd/reportbench) indexes against it to measure the real API
// embedder (batching, concurrency bound, JSON decoding) with a chosen
// latency per call, and openai/openaitest answers its embedding requests
// with Respond.
package fakeembed

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultDim is the vector length when neither the request nor the
// Handler names one.
const DefaultDim = 64

// Vector is the fake's deterministic embedding of text: character bigrams
// (of the lower-cased text) hashed into dim buckets, normalised, so similar
// texts get similar vectors. An empty text gives the first unit vector.
func Vector(text string, dim int) []float32 {
	v := make([]float32, dim)
	rs := []rune(strings.ToLower(text))
	for i := range rs {
		h := fnv.New32a()
		end := min(i+2, len(rs))
		h.Write([]byte(string(rs[i:end])))
		v[h.Sum32()%uint32(dim)]++
	}
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		v[0] = 1
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// Request is the part of an embeddings request the fake reads.
type Request struct {
	// Input is a string or a list of strings, as JSON decodes them.
	Input any    `json:"input"`
	Model string `json:"model"`
	// Dimensions, when positive, is the vector length asked for.
	Dimensions int `json:"dimensions,omitempty"`
}

type embedding struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

type response struct {
	Object string      `json:"object"`
	Data   []embedding `json:"data"`
	Model  string      `json:"model"`
	Usage  struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	} `json:"usage"`
}

// Respond writes the reply to req: one Vector per input, of req.Dimensions
// numbers when positive, else dim, else DefaultDim. The vectors come in
// reverse order, each with its index, so that clients must map by index.
// An input that is not a string or a list of strings gets a 400 with an
// OpenAI-style JSON error.
func Respond(w http.ResponseWriter, req Request, dim int) {
	inputs, err := inputsOf(req.Input)
	if err != nil {
		http.Error(w, `{"error":{"message":"bad input"}}`, http.StatusBadRequest)
		return
	}
	if req.Dimensions > 0 {
		dim = req.Dimensions
	}
	if dim <= 0 {
		dim = DefaultDim
	}
	resp := response{Object: "list", Model: req.Model}
	for i := len(inputs) - 1; i >= 0; i-- {
		resp.Data = append(resp.Data, embedding{Object: "embedding", Index: i, Embedding: Vector(inputs[i], dim)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func inputsOf(in any) ([]string, error) {
	switch v := in.(type) {
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("input %d is not a string", i)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("input of type %T", in)
}

// Handler serves POST /v1/embeddings with Respond; other paths get 404.
// Set its fields before serving.
type Handler struct {
	// Dim is the vector length for requests that name none (0:
	// DefaultDim).
	Dim int
	// Latency is waited before each reply (or until the client gives up),
	// standing in for a provider's.
	Latency time.Duration

	requests atomic.Int64
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/embeddings" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, `{"error":{"message":"use POST"}}`, http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var req Request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	h.requests.Add(1)
	if h.Latency > 0 {
		t := time.NewTimer(h.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	Respond(w, req, h.Dim)
}

// Requests is the number of well-formed embedding requests received so
// far.
func (h *Handler) Requests() int { return int(h.requests.Load()) }

// Server is a Handler listening on a loopback port.
type Server struct {
	// URL is the server's root, http://127.0.0.1:PORT.
	URL string
	srv *http.Server
}

// Start serves h on a free loopback port until Close.
func Start(h *Handler) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake embeddings API: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }() // returns http.ErrServerClosed on Close
	return s, nil
}

// BaseURL is the API root to configure clients with (URL + "/v1").
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Close stops the server and drops open connections.
func (s *Server) Close() error { return s.srv.Close() }
