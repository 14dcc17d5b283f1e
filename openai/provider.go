// Package openai talks to any OpenAI-compatible API: chat completions
// (Chat, a chat.Model) and embeddings (Embedder, an embed.Embedder), through
// one Provider that bounds concurrency, retries with backoff and redacts
// secrets from errors. It is the only package that imports go-openai.
package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/internal/backoff"
	goopenai "github.com/sashabaranov/go-openai"
)

// ProviderOptions configure a connection to an OpenAI-compatible API
// (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server, OpenRouter...).
type ProviderOptions struct {
	// BaseURL is the API root, for example https://api.goopenai.com/v1 or
	// http://localhost:11434/v1 (Ollama).
	BaseURL string
	// APIKey is the secret; empty for servers that need none. It is never
	// logged and is scrubbed from error messages.
	APIKey string
	// Azure selects Azure OpenAI (api-key header, deployments in the path);
	// APIVersion is then required.
	Azure      bool
	APIVersion string
	// Timeout bounds one call (all its retries included) when the caller's
	// context has no earlier deadline.
	Timeout time.Duration
	// AttemptTimeout bounds how long one attempt waits for the response
	// headers (a stream's body may take longer, within Timeout); an attempt
	// that times out is retried. Default (0): Timeout, that is no retry of
	// a slow attempt, since a non-streamed reply's headers come only after
	// the whole reply is generated and a cancelled attempt may be billed.
	AttemptTimeout time.Duration
	// MaxRetries is how often a 429, 5xx, timeout or connection failure is
	// retried, with exponential backoff and jitter, honouring Retry-After.
	MaxRetries int
	// MaxConcurrency bounds the calls in flight at once (default 4).
	MaxConcurrency int
	// Log receives one line per retry; nil discards.
	Log *slog.Logger
	// Transport overrides the HTTP transport (tests); nil uses a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
}

// Provider is a client of an OpenAI-compatible API with retries, a
// concurrency bound and deadlines. It is safe for concurrent use.
type Provider struct {
	client  *goopenai.Client
	opt     ProviderOptions
	slots   chan struct{}
	secrets []string
}

// Backoff bounds for retries without a Retry-After header.
const (
	retryBase = 500 * time.Millisecond
	retryMax  = 8 * time.Second
	// retryAfterMax caps a server's Retry-After: a longer wait fails the
	// call so the user gets the offline answer instead of silence.
	retryAfterMax = 30 * time.Second
)

// NewProvider returns a Provider. BaseURL must be set.
func NewProvider(opt ProviderOptions) (*Provider, error) {
	if opt.BaseURL == "" {
		return nil, errors.New("provider: base URL is empty")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	if opt.MaxConcurrency <= 0 {
		opt.MaxConcurrency = 4
	}
	if opt.MaxRetries < 0 {
		opt.MaxRetries = 0
	}
	if opt.AttemptTimeout <= 0 || opt.AttemptTimeout > opt.Timeout {
		opt.AttemptTimeout = opt.Timeout
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	tr := opt.Transport
	if tr == nil {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	var cfg goopenai.ClientConfig
	if opt.Azure {
		cfg = goopenai.DefaultAzureConfig(opt.APIKey, opt.BaseURL)
		if opt.APIVersion != "" {
			cfg.APIVersion = opt.APIVersion
		}
	} else {
		cfg = goopenai.DefaultConfig(opt.APIKey)
		cfg.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	}
	p := &Provider{opt: opt, slots: make(chan struct{}, opt.MaxConcurrency)}
	if opt.APIKey != "" {
		p.secrets = []string{opt.APIKey}
	}
	cfg.HTTPClient = &retryingDoer{client: &http.Client{Transport: tr}, p: p}
	p.client = goopenai.NewClientWithConfig(cfg)
	return p, nil
}

// acquire takes a concurrency slot, or fails when ctx ends first.
func (p *Provider) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.slots <- struct{}{}:
		return func() { <-p.slots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a provider slot: %w", context.Cause(ctx))
	}
}

// withDeadline applies the provider timeout unless ctx ends sooner; when it
// fires, the cause names the setting.
func (p *Provider) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, p.opt.Timeout,
		fmt.Errorf("%w: no reply within provider.timeout (%s)", context.DeadlineExceeded, p.opt.Timeout))
}

// redact wraps err so that its message never holds a secret (some providers
// echo the API key in 401 messages). errors.Is/As still see the cause.
func (p *Provider) redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, s := range p.secrets {
		clean = scrub(clean, s)
	}
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

// minSecretRun is the shortest run of a secret's characters that scrub
// removes: a provider echoing the key cut short (sk-abc…xyz, or all but its
// last characters) must not leak most of it, while common 7-letter words
// of an error message stay.
const minSecretRun = 8

// scrub replaces in msg the secret and every run of minSecretRun or more
// bytes of it (a prefix, a suffix, any part) with "[redacted]". A secret
// shorter than minSecretRun is replaced only whole.
func scrub(msg, secret string) string {
	if len(secret) < minSecretRun {
		return strings.ReplaceAll(msg, secret, "[redacted]")
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		n := 0
		for i+n < len(msg) && n < len(secret) && strings.Contains(secret, msg[i:i+n+1]) {
			n++
		}
		if n >= minSecretRun {
			b.WriteString("[redacted]")
			i += n
			continue
		}
		b.WriteByte(msg[i])
		i++
	}
	return b.String()
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// providerError wraps a failed call: it is ErrProviderUnavailable and keeps
// the cause. When ctx ended with a cause (a deadline naming its setting),
// the message names it.
func (p *Provider) providerError(ctx context.Context, what string, err error) error {
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() && !errors.Is(err, cause) {
		return fmt.Errorf("%s: %w: %w: %w", what, embed.ErrProviderUnavailable, cause, p.redact(err))
	}
	return fmt.Errorf("%s: %w: %w", what, embed.ErrProviderUnavailable, p.redact(err))
}

// retryingDoer sends a request, retrying transient failures: 408, 409, 429
// and 5xx answers, connection errors and per-attempt timeouts. It honours
// Retry-After (seconds or an HTTP date) up to retryAfterMax, and otherwise
// backs off exponentially with full jitter. The request's context bounds
// everything.
type retryingDoer struct {
	client *http.Client
	p      *Provider
}

func (d *retryingDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("retry: %w", err)
				}
				r = req.Clone(ctx)
				r.Body = body
			} else if req.Body != nil {
				return nil, errors.New("retry: request body cannot be replayed")
			}
		}
		resp, err := d.attempt(r)
		retry, wait := d.shouldRetry(ctx, resp, err, attempt)
		if !retry {
			return resp, err
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		d.p.opt.Log.Warn("provider call failed; retrying", "path", req.URL.Path, "status", status,
			"attempt", attempt+1, "wait", wait, "err", d.p.redact(err))
		if cerr := backoff.Sleep(ctx, wait); cerr != nil {
			if err == nil {
				err = fmt.Errorf("HTTP %d", status)
			}
			return nil, fmt.Errorf("%w (after %d attempts; last: %w)", cerr, attempt+1, d.p.redact(err))
		}
	}
}

// errAttemptTimeout ends an attempt whose response headers did not arrive
// within the provider's AttemptTimeout.
var errAttemptTimeout = errors.New("no response within the attempt timeout")

// attempt sends r once. If the response headers do not arrive within
// AttemptTimeout the attempt is cancelled and fails with a timeout error
// (which shouldRetry retries); once they have arrived, the body may be read
// for as long as the request's own context allows.
func (d *retryingDoer) attempt(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(r.Context())
	timer := time.AfterFunc(d.p.opt.AttemptTimeout, func() { cancel(errAttemptTimeout) })
	if d.p.opt.AttemptTimeout >= d.p.opt.Timeout {
		timer.Stop() // off: the call's deadline (provider.timeout) is the only one
	}
	resp, err := d.client.Do(r.WithContext(ctx))
	if !timer.Stop() && errors.Is(context.Cause(ctx), errAttemptTimeout) && r.Context().Err() == nil {
		if resp != nil {
			resp.Body.Close()
		}
		cancel(nil)
		return nil, &attemptTimeoutError{after: d.p.opt.AttemptTimeout}
	}
	if err != nil {
		cancel(nil)
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { cancel(nil) }}
	if n, ok := r.Context().Value(bodyLimitKey{}).(int64); ok {
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: n}
	}
	return resp, nil
}

// bodyLimitKey is the context key of a call's response body bound.
type bodyLimitKey struct{}

// withBodyLimit bounds the bytes read from the responses of calls made
// with the returned context: past n bytes a read fails with
// errBodyTooLarge.
func withBodyLimit(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, bodyLimitKey{}, n)
}

// errBodyTooLarge ends the reading of a response past its bound.
var errBodyTooLarge = fmt.Errorf("%w: reply longer than its bound", embed.ErrProviderUnavailable)

// limitedBody reads at most left more bytes, then fails.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (l *limitedBody) Read(b []byte) (int, error) {
	if l.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.ReadCloser.Read(b)
	l.left -= int64(n)
	return n, err
}

// attemptTimeoutError is a net.Error whose Timeout is true, so that it is
// retried like a transport timeout.
type attemptTimeoutError struct{ after time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("provider: no response within provider.attempt_timeout (%s)", e.after)
}
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }

// cancelOnClose releases an attempt's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel func()
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// shouldRetry decides whether attempt failed transiently and how long to
// wait before the next one.
func (d *retryingDoer) shouldRetry(ctx context.Context, resp *http.Response, err error, attempt int) (bool, time.Duration) {
	if attempt >= d.p.opt.MaxRetries || ctx.Err() != nil {
		return false, 0
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return true, backoff.Delay(attempt, retryBase, retryMax)
		}
		return false, 0
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout,
		resp.StatusCode == http.StatusConflict, resp.StatusCode >= 500:
	default:
		return false, 0
	}
	wait := backoff.Delay(attempt, retryBase, retryMax)
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if ra > retryAfterMax {
			return false, 0
		}
		wait = ra
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		// Waiting would outlive the caller: fail now with the real error.
		return false, 0
	}
	return true, wait
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}
