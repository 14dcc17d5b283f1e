// Package openaitest is a fake OpenAI-compatible API server for tests, in the
// spirit of net/http/httptest: embeddings, chat completions and streamed
// chat completions over real HTTP on loopback, with scripted faults (status
// codes with Retry-After, slow replies, malformed bodies) and a record of
// every request. It never reaches a real provider. Embeddings are those of
// internal/fakeembed, which serves them without httptest.
package openaitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/reportbot/reportbot/internal/fakeembed"
)

// Reply is what the fake answers to one request.
type Reply struct {
	// Content is the chat reply (streamed in small chunks when the request
	// asks for a stream).
	Content string
	// Status, when not 0 or 200, is sent with an OpenAI-style JSON error.
	Status int
	// RetryAfter is sent as the Retry-After header.
	RetryAfter string
	// Delay is waited before answering (or until the client gives up).
	Delay time.Duration
	// Raw, when set, is sent as the body instead of a well-formed reply
	// (malformed JSON, an HTML error page...).
	Raw string
	// ChunkDelay is waited between streamed chunks.
	ChunkDelay time.Duration
}

// Request is one recorded request.
type Request struct {
	Path          string
	Authorization string
	Body          []byte
	Chat          *goopenai.ChatCompletionRequest
	Embed         *goopenai.EmbeddingRequest
}

// Server is a fake OpenAI API. Set the hooks before use; the zero hooks
// give a chat reply of "NOT_FOUND" and deterministic embeddings.
type Server struct {
	*httptest.Server
	// Chat answers chat completion requests; n counts chat requests from 1.
	Chat func(n int, req goopenai.ChatCompletionRequest) Reply
	// EmbedFault, when set, may fail embedding request n (from 1): a Reply
	// with Status, Delay or Raw set is used instead of real vectors.
	EmbedFault func(n int) Reply
	// Dim is the embedding length (default 64).
	Dim int
	// Latency is added to every request.
	Latency time.Duration

	mu       sync.Mutex
	requests []Request
	chatN    int
	embedN   int
}

// NewServer starts a fake API; close it with Close. Its BaseURL (URL +
// "/v1") is what a client is configured with.
func NewServer() *Server {
	s := &Server{Dim: 64}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	s.Server = httptest.NewServer(mux)
	return s
}

// BaseURL is the API root to configure clients with.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ChatRequests returns the chat requests received so far.
func (s *Server) ChatRequests() []goopenai.ChatCompletionRequest {
	var out []goopenai.ChatCompletionRequest
	for _, r := range s.Requests() {
		if r.Chat != nil {
			out = append(out, *r.Chat)
		}
	}
	return out
}

func (s *Server) record(r *http.Request, body []byte, rec Request) {
	rec.Path, rec.Authorization, rec.Body = r.URL.Path, r.Header.Get("Authorization"), body
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
}

// wait sleeps d or until the client goes away; it reports false then.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// fault writes a scripted failure and reports whether it did.
func fault(w http.ResponseWriter, rep Reply) bool {
	if rep.RetryAfter != "" {
		w.Header().Set("Retry-After", rep.RetryAfter)
	}
	if rep.Raw != "" {
		if rep.Status != 0 {
			w.WriteHeader(rep.Status)
		}
		_, _ = io.WriteString(w, rep.Raw)
		return true
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": fmt.Sprintf("fake error %d", rep.Status), "type": "fake_error", "code": rep.Status,
		}})
		return true
	}
	return false
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req goopenai.ChatCompletionRequest
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	s.record(r, body, Request{Chat: &req})
	//lint:ignore SA1019 the fake refuses both limits together, as OpenAI does
	if req.MaxTokens > 0 && req.MaxCompletionTokens > 0 {
		// As OpenAI answers (code invalid_parameter_combination).
		fault(w, Reply{Status: http.StatusBadRequest})
		return
	}
	s.mu.Lock()
	s.chatN++
	n := s.chatN
	s.mu.Unlock()
	rep := Reply{Content: "NOT_FOUND"}
	if s.Chat != nil {
		rep = s.Chat(n, req)
	}
	if !wait(r, s.Latency+rep.Delay) || fault(w, rep) {
		return
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(goopenai.ChatCompletionResponse{
			ID: fmt.Sprintf("chat-%d", n), Object: "chat.completion", Model: req.Model,
			Choices: []goopenai.ChatCompletionChoice{{Message: goopenai.ChatCompletionMessage{Role: "assistant", Content: rep.Content}, FinishReason: "stop"}},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fl, _ := w.(http.Flusher)
	for _, piece := range chunks(rep.Content, 4) {
		if !wait(r, rep.ChunkDelay) || r.Context().Err() != nil {
			return
		}
		data, _ := json.Marshal(goopenai.ChatCompletionStreamResponse{
			ID: fmt.Sprintf("chat-%d", n), Object: "chat.completion.chunk", Model: req.Model,
			Choices: []goopenai.ChatCompletionStreamChoice{{Delta: goopenai.ChatCompletionStreamChoiceDelta{Content: piece}}},
		})
		fmt.Fprintf(w, "data: %s\n\n", data)
		if fl != nil {
			fl.Flush()
		}
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// chunks cuts s into pieces of n runes.
func chunks(s string, n int) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); i += n {
		out = append(out, string(rs[i:min(i+n, len(rs))]))
	}
	return out
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req goopenai.EmbeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	s.record(r, body, Request{Embed: &req})
	s.mu.Lock()
	s.embedN++
	n := s.embedN
	s.mu.Unlock()
	var rep Reply
	if s.EmbedFault != nil {
		rep = s.EmbedFault(n)
	}
	if !wait(r, s.Latency+rep.Delay) || fault(w, rep) {
		return
	}
	fakeembed.Respond(w, fakeembed.Request{Input: req.Input, Model: string(req.Model), Dimensions: req.Dimensions}, s.Dim)
}

// Vector is the fake's deterministic embedding of text: character bigrams
// hashed into dim buckets, normalised, so similar texts get similar
// vectors. It is fakeembed.Vector, which the server answers with.
func Vector(text string, dim int) []float32 { return fakeembed.Vector(text, dim) }
