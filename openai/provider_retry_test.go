package openai

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reportbot/reportbot/openai/openaitest"
)

// TestProviderRetriesSlowAttempt checks that an attempt whose response does
// not start within AttemptTimeout is abandoned and retried, and that the
// retry's answer is used, all within one call's Timeout.
func TestProviderRetriesSlowAttempt(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Dim = 16
	srv.EmbedFault = func(n int) openaitest.Reply {
		if n == 2 { // request 1 probes the dimension
			return openaitest.Reply{Delay: time.Minute} // until the client gives up
		}
		return openaitest.Reply{}
	}
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), MaxRetries: 2, Timeout: 30 * time.Second, AttemptTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEmbedder(t.Context(), p, EmbedderOptions{Model: "emb"})
	if err != nil {
		t.Fatal(err)
	}
	vecs, err := e.Embed(t.Context(), []string{"新增就业3.4万人"})
	if err != nil {
		t.Fatalf("Embed after a slow attempt: %v (want the retry's answer)", err)
	}
	if len(vecs) != 1 || len(vecs[0]) != 16 {
		t.Fatalf("got %d vectors", len(vecs))
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests; want 3 (probe, slow attempt, retry)", n)
	}
}

// TestProviderHonoursRetryAfter checks that a 429's Retry-After is waited
// before the next attempt: the retry never arrives earlier than asked.
func TestProviderHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	var at []time.Time
	srv.EmbedFault = func(n int) openaitest.Reply {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
		if n == 2 {
			return openaitest.Reply{Status: 429, RetryAfter: "1"}
		}
		return openaitest.Reply{}
	}
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), MaxRetries: 1, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEmbedder(t.Context(), p, EmbedderOptions{Model: "emb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(t.Context(), []string{"新增就业"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(at) != 3 {
		t.Fatalf("%d requests; want 3 (probe, 429, retry)", len(at))
	}
	if gap := at[2].Sub(at[1]); gap < time.Second {
		t.Errorf("retry came %s after a 429 with Retry-After: 1; want at least 1s", gap)
	}
}

// TestProviderBoundsConcurrency checks that no more than MaxConcurrency
// calls are in flight at the server, however many callers there are.
func TestProviderBoundsConcurrency(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv.EmbedFault = func(n int) openaitest.Reply {
		if n == 1 {
			return openaitest.Reply{} // the dimension probe
		}
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := peak.Load()
			if cur <= old || peak.CompareAndSwap(old, cur) {
				break
			}
		}
		<-release
		return openaitest.Reply{}
	}
	const limit = 3
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), MaxConcurrency: limit, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEmbedder(t.Context(), p, EmbedderOptions{Model: "emb", BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Go(func() {
			_, err := e.Embed(t.Context(), []string{strings.Repeat("就业", i+1)})
			errs <- err
		})
	}
	// Let the callers pile up, then release the server one request at a
	// time until all are done.
	for range 10 {
		time.Sleep(20 * time.Millisecond)
		release <- struct{}{}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := peak.Load(); got > limit || got < 1 {
		t.Errorf("peak %d requests in flight; want 1..%d", got, limit)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{now.Add(3 * time.Second).Format(time.RFC1123), 3 * time.Second, true},
		{now.Add(-3 * time.Second).Format(time.RFC1123), 0, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-1", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(strings.Replace(tt.in, "UTC", "GMT", 1), now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
