package discordtest

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// RateLimits are the fake's rate limits. Each route has buckets of
// PerRoute requests per Window, one per major parameter (a channel, an
// interaction webhook's id and token); all requests but interaction
// endpoints (callbacks, original responses, follow-ups) share Global
// requests per second. Every answer carries
// Discord's X-RateLimit-* headers; a request over a limit is answered 429
// with retry_after (and X-RateLimit-Global for the global limit).
type RateLimits struct {
	PerRoute int
	Window   time.Duration
	Global   int
}

// DefaultRateLimits are generous enough for tests that do not test rate
// limits.
var DefaultRateLimits = RateLimits{PerRoute: 1000, Window: time.Second, Global: 10000}

// DiscordRateLimits are Discord's numbers for message routes (5 per 5 s
// per channel or webhook) and its global limit (50 per second), for
// benchmarks and tests of the bot's pacing.
var DiscordRateLimits = RateLimits{PerRoute: 5, Window: 5 * time.Second, Global: 50}

// WithRateLimits sets the fake's rate limits (default DefaultRateLimits).
func WithRateLimits(l RateLimits) Option { return func(s *Server) { s.limits = l } }

// WithLatency makes the fake wait d before answering each REST request.
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// bucket is one rate-limit bucket.
type bucket struct {
	remaining int
	reset     time.Time
}

// snowflake matches a path segment that is an id (or @original): minor
// ids are replaced by a placeholder in the route's bucket hash.
var snowflake = regexp.MustCompile(`^\d{15,20}$|^@original$`)

// bucketKey returns the route template with its minor ids replaced (the
// bucket's hash) and the major parameter (the bucket instance).
func bucketKey(method string, parts []string) (route, major string) {
	route = method
	for i, p := range parts {
		switch {
		case i == 1 && (parts[0] == "channels" || parts[0] == "guilds"):
			major = p
			p = ":major"
		case (i == 1 || i == 2) && (parts[0] == "webhooks" || parts[0] == "interactions"):
			major += "/" + p
			p = ":major"
		case snowflake.MatchString(p):
			p = ":id"
		}
		route += "/" + p
	}
	return route, major
}

// rateLimit counts a request against its bucket and the global limit,
// sets the X-RateLimit headers on h and reports whether the request may
// go on; when not, it returns the 429 body. s.mu is held.
func (s *Server) rateLimit(h http.Header, method string, parts []string) (bool, any) {
	now := s.clock.Now()
	// Interaction endpoints (the callback, and the original response and
	// follow-ups under the interaction's webhook token) are not bound by
	// the global limit (Discord's Receiving and Responding, Endpoints).
	interaction := len(parts) > 0 && parts[0] == "interactions" || len(parts) >= 3 && parts[0] == "webhooks"
	if !interaction {
		if now.Sub(s.globalStart) >= time.Second {
			s.globalStart, s.globalCount = now, 0
		}
		if s.globalCount >= s.limits.Global {
			after := s.globalStart.Add(time.Second).Sub(now).Seconds()
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
			h.Set("Retry-After", strconv.Itoa(max(1, int(after+0.999))))
			h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", after))
			return false, map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": true, "code": 0}
		}
		s.globalCount++
	}
	route, major := bucketKey(method, parts)
	f := fnv.New64a()
	f.Write([]byte(route))
	hash := fmt.Sprintf("%016x", f.Sum64())
	key := hash + ":" + major
	b, ok := s.buckets[key]
	if !ok || !now.Before(b.reset) {
		b = &bucket{remaining: s.limits.PerRoute, reset: now.Add(s.limits.Window)}
		s.buckets[key] = b
	}
	after := b.reset.Sub(now).Seconds()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limits.PerRoute))
	h.Set("X-RateLimit-Bucket", hash)
	h.Set("X-RateLimit-Reset", fmt.Sprintf("%.3f", float64(b.reset.UnixMilli())/1000))
	h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", after))
	if b.remaining <= 0 {
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Scope", "user")
		h.Set("Retry-After", strconv.Itoa(max(1, int(after+0.999))))
		return false, map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": false, "code": 0}
	}
	b.remaining--
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining))
	return true, nil
}
