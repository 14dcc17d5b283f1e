package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Discord's REST rate limits as the bot keeps them itself, in front of
// discordgo, whose waits ignore the request's context (it sleeps, then
// sends with an expired one) and which files every interaction's edits
// under one bucket.
const (
	// restGlobalRate and restGlobalBurst pace every request but
	// interaction endpoints (callbacks, original responses, follow-ups)
	// below Discord's global limit of 50 a second: any one-second window holds at most 50 of them (45 + 5), whatever
	// the phase of Discord's counter.
	restGlobalRate  = 45
	restGlobalBurst = 5
	// restRateLimitRetries is how many 429 answers one request is sent
	// again after (each wait still within its deadline).
	restRateLimitRetries = 5
	// restSweepEvery is how many requests pass between sweeps of the
	// routes whose windows have passed, so that the table stays bounded
	// by the routes in recent use (one per interaction).
	restSweepEvery = 1024
	// routeKeepForFinal is how many requests of a route's window an
	// intermediate edit leaves for the edits that must go.
	routeKeepForFinal = 1
)

// errRateLimited marks a request given up because of a rate limit: the
// wait would pass its deadline, or Discord kept answering 429.
var errRateLimited = errors.New("discord rate limit")

// rateLimitWaitError is a request that was not sent because the rate
// limit's wait would end after the request's deadline.
type rateLimitWaitError struct {
	Route string        // the route, without ids or tokens
	Wait  time.Duration // how long the limit still holds
}

func (e *rateLimitWaitError) Error() string {
	return fmt.Sprintf("discord rate limit on %s: the next request is allowed in %v, after this request's deadline", e.Route, e.Wait.Round(time.Millisecond))
}

func (e *rateLimitWaitError) Unwrap() error { return errRateLimited }

// restLimiter is an http.RoundTripper that keeps Discord's per-route
// buckets (one per route and major parameter: a channel, a guild, an
// interaction's webhook token) and the global limit from the
// X-RateLimit-* headers, waits for them within the request's context,
// and sends 429s again itself. It removes the rate-limit headers from the
// answers it passes on and never passes on a 429, so that discordgo's own
// limiter never sleeps.
//
// A request marked as an intermediate edit (intermediateEdit) never
// waits: it is refused with errEditSkipped when the edit budget is spent,
// its route has no more than routeKeepForFinal requests left, or the
// global limit is reached.
type restLimiter struct {
	next   http.RoundTripper
	global *rate.Limiter
	edits  *editBudget

	mu          sync.Mutex
	routes      map[string]*routeState
	globalUntil time.Time // after a global 429
	calls       int
}

// routeState is one bucket as the bot knows it.
type routeState struct {
	known     bool // headers seen
	limit     int
	remaining int // requests left in the window, less those in flight
	reset     time.Time
	inflight  int
	changed   chan struct{} // closed when an answer updates the state
}

func newRESTLimiter(next http.RoundTripper, edits *editBudget) *restLimiter {
	if next == nil {
		next = http.DefaultTransport
	}
	return &restLimiter{next: next, edits: edits, global: rate.NewLimiter(restGlobalRate, restGlobalBurst), routes: map[string]*routeState{}}
}

// RoundTrip sends req when its route and the global limit allow.
func (l *restLimiter) RoundTrip(req *http.Request) (*http.Response, error) {
	key, name, interaction := routeOf(req.Method, req.URL.Path)
	ctx := req.Context()
	intermediate := isIntermediateEdit(ctx)
	if !intermediate && req.Method == http.MethodPatch && strings.Contains(req.URL.Path, "/messages/") {
		l.edits.final()
	}
	for attempt := 0; ; attempt++ {
		if err := l.acquire(ctx, key, name, interaction, intermediate); err != nil {
			return nil, err
		}
		if attempt > 0 {
			var err error
			if req, err = rewind(req); err != nil {
				l.unreserve(key)
				return nil, err
			}
		}
		resp, err := l.next.RoundTrip(req)
		if err != nil {
			l.done(key, nil)
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			l.done(key, resp.Header)
			stripRateLimitHeaders(resp.Header)
			return resp, nil
		}
		l.limited(key, resp)
		switch {
		case intermediate: // skipped, not waited for
			return nil, fmt.Errorf("%w: %w: 429 on %s", errEditSkipped, errRateLimited, name)
		case attempt == restRateLimitRetries:
			return nil, fmt.Errorf("%w: %s still limited after %d attempts", errRateLimited, name, attempt+1)
		}
	}
}

// acquire waits until key's bucket and the global limit allow a request,
// or fails when that would pass ctx's deadline.
func (l *restLimiter) acquire(ctx context.Context, key, name string, interaction, intermediate bool) error {
	for {
		wait, changed, err := l.reserve(key, intermediate)
		if err != nil {
			return err
		}
		if wait == 0 && changed == nil {
			break
		}
		if err := sleep(ctx, name, wait, changed); err != nil {
			return err
		}
	}
	if interaction {
		return nil // interaction endpoints are not bound by the global limit
	}
	if intermediate {
		if !l.global.Allow() {
			l.unreserve(key)
			return errEditSkipped
		}
		return nil
	}
	r := l.global.Reserve()
	if err := sleep(ctx, "the global limit", r.Delay(), nil); err != nil {
		r.Cancel()
		l.unreserve(key)
		return err
	}
	return nil
}

// sleep waits d (when positive) or until changed is closed (when not
// nil), failing at once when d would pass ctx's deadline.
func sleep(ctx context.Context, name string, d time.Duration, changed <-chan struct{}) error {
	if d <= 0 && changed == nil {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && d > 0 && time.Until(dl) < d {
		return &rateLimitWaitError{Route: name, Wait: d}
	}
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return fmt.Errorf("waiting for the discord rate limit on %s: %w", name, ctx.Err())
	case <-timer:
	case <-changed:
	}
	return nil
}

// reserve takes one request of key's bucket. When none is left it
// returns how long until the bucket resets, or (for a route whose limits
// are not known yet, with a request in flight) a channel closed when that
// request's answer arrives. An intermediate edit gets errEditSkipped
// instead of a wait.
func (l *restLimiter) reserve(key string, intermediate bool) (time.Duration, <-chan struct{}, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.calls++; l.calls%restSweepEvery == 0 {
		l.sweep(now)
	}
	if wait := l.globalUntil.Sub(now); wait > 0 {
		if intermediate {
			return 0, nil, errEditSkipped
		}
		return wait, nil, nil
	}
	r := l.routes[key]
	if r == nil {
		r = &routeState{remaining: 1, changed: make(chan struct{})}
		l.routes[key] = r
	}
	if r.known && !now.Before(r.reset) {
		r.remaining = max(r.remaining, r.limit-r.inflight, 1)
	}
	if !r.known && r.inflight == 0 {
		r.remaining = max(r.remaining, 1) // nothing to wait for
	}
	keep := 0
	if intermediate {
		keep = routeKeepForFinal
		if !r.known {
			return 0, nil, errEditSkipped
		}
	}
	if r.remaining <= keep {
		switch {
		case intermediate:
			return 0, nil, errEditSkipped
		case r.known && now.Before(r.reset):
			return r.reset.Sub(now), nil, nil
		default:
			return 0, r.changed, nil
		}
	}
	if intermediate && !l.edits.intermediate() {
		return 0, nil, errEditSkipped
	}
	r.remaining--
	r.inflight++
	return 0, nil, nil
}

// done records the end of a request on key that was sent: its answer's
// headers (nil when there was no answer).
func (l *restLimiter) done(key string, h http.Header) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.routes[key]
	if r == nil {
		return
	}
	r.inflight = max(r.inflight-1, 0)
	if h != nil {
		l.update(r, h)
	}
	if !r.known && r.inflight == 0 {
		r.remaining = max(r.remaining, 1) // the next may try
	}
	r.notify()
}

// unreserve gives back a request of key's bucket that was not sent, or
// that Discord did not count (a global 429).
func (l *restLimiter) unreserve(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.routes[key]; r != nil {
		r.inflight = max(r.inflight-1, 0)
		r.remaining++
		r.notify()
	}
}

// notify wakes the requests waiting for r's state to change; l.mu is
// held.
func (r *routeState) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// update reads a bucket's X-RateLimit headers into r; l.mu is held.
func (l *restLimiter) update(r *routeState, h http.Header) {
	rem, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if err1 != nil || err2 != nil {
		if !r.known {
			r.remaining = max(r.remaining, 1) // no limits on this route
		}
		return
	}
	r.known = true
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil {
		r.limit = n
	}
	r.remaining = max(rem-r.inflight, 0)
	r.reset = time.Now().Add(seconds(after))
}

// limited records a 429 answer on key (the route's or the global limit)
// and closes its body.
func (l *restLimiter) limited(key string, resp *http.Response) {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&body)
	_ = resp.Body.Close()
	after := seconds(body.RetryAfter)
	if after <= 0 {
		s, _ := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
		after = seconds(s)
	}
	global := body.Global || resp.Header.Get("X-RateLimit-Global") != ""
	if global {
		l.mu.Lock()
		l.globalUntil = time.Now().Add(after)
		l.mu.Unlock()
		l.unreserve(key) // not counted against the route
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.routes[key]; r != nil {
		r.inflight = max(r.inflight-1, 0)
		r.known, r.remaining, r.reset = true, 0, time.Now().Add(after)
		r.limit = max(r.limit, 1)
		r.notify()
	}
}

// sweep forgets the routes with nothing in flight whose window has
// passed; l.mu is held.
func (l *restLimiter) sweep(now time.Time) {
	for k, r := range l.routes {
		if r.inflight == 0 && !now.Before(r.reset) {
			delete(l.routes, k)
		}
	}
}

// seconds converts Discord's fractional seconds to a Duration.
func seconds(s float64) time.Duration {
	if s <= 0 || math.IsNaN(s) || s > 1e6 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// rewind returns req with its body ready to be sent again.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("%w: the request cannot be sent again", errRateLimited)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r.Body = body
	return r, nil
}

// stripRateLimitHeaders removes the headers discordgo's limiter reads.
func stripRateLimitHeaders(h http.Header) {
	for _, k := range []string{"X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Global", "Retry-After"} {
		h.Del(k)
	}
}

// routeOf returns a request's bucket key (the route with its major
// parameter, an interaction token only as a hash), its name for messages
// (no ids, no token), and whether it is an interaction endpoint (the
// callback, or the webhook routes of an interaction's token: its original
// response and follow-ups), which Discord does not count against the
// global limit ("Interaction endpoints are not bound to the bot's Global
// Rate Limit", Receiving and Responding, Endpoints). The bot sends no
// other webhook requests.
func routeOf(method, path string) (key, name string, interaction bool) {
	if i := strings.Index(path, "/api/v"); i >= 0 {
		path = path[i+len("/api/v"):]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var k, n strings.Builder
	k.WriteString(method)
	n.WriteString(method + " ")
	for i, p := range parts {
		kp, np := p, p
		switch {
		case i == 1 && (parts[0] == "channels" || parts[0] == "guilds"):
			np = ":" + strings.TrimSuffix(parts[0], "s")
		case i == 1 && (parts[0] == "webhooks" || parts[0] == "interactions"):
			np = ":id"
		case i == 2 && (parts[0] == "webhooks" || parts[0] == "interactions"):
			sum := sha256.Sum256([]byte(p))
			kp, np = hex.EncodeToString(sum[:8]), ":token"
		case i > 0 && parts[i-1] == "reactions":
			kp, np = ":emoji", ":emoji"
		case isSnowflake(p):
			kp, np = ":id", ":id"
		}
		k.WriteString("/" + kp)
		n.WriteString("/" + np)
	}
	callback := len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback"
	interactionWebhook := len(parts) >= 3 && parts[0] == "webhooks"
	return k.String(), n.String(), callback || interactionWebhook
}

// isSnowflake reports whether a path segment is a Discord id.
func isSnowflake(s string) bool {
	if len(s) < 15 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// installREST puts a restLimiter, with a fresh edit budget, in front of
// the session's HTTP transport.
func (b *Bot) installREST() {
	c := http.Client{}
	if b.s.Client != nil {
		c = *b.s.Client
	}
	c.Transport = newRESTLimiter(c.Transport, newEditBudget())
	b.s.Client = &c
}
