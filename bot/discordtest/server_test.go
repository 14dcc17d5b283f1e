package discordtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// connect opens a discordgo session on srv and waits until it has
// identified; the session closes with the test.
func connect(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	dg, err := srv.NewSession("token")
	if err != nil {
		t.Fatal(err)
	}
	if err := dg.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dg.Close() })
	if err := srv.WaitConnected(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
}

// call sends one REST request to the fake and returns its status and
// decoded JSON body.
func call(t *testing.T, srv *discordtest.Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+"/api/v9"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

const ch = "200000000000000001"

func buttons(rows, per, label int, dupID bool) []any {
	var out []any
	for r := range rows {
		var bs []any
		for b := range per {
			id := fmt.Sprintf("b%d-%d", r, b)
			if dupID {
				id = "same"
			}
			bs = append(bs, map[string]any{"type": 2, "style": 1, "label": strings.Repeat("x", label), "custom_id": id})
		}
		out = append(out, map[string]any{"type": 1, "components": bs})
	}
	return out
}

func embeds(n int, e map[string]any) []any {
	var out []any
	for range n {
		out = append(out, e)
	}
	return out
}

// TestLimits checks that each message over one of Discord's limits gets
// 400 Invalid Form Body with an error under the field's path, on a
// channel message create, and that a message at the limit is accepted.
func TestLimits(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("é", n) }
	fields := func(n, name, value int) []any {
		var out []any
		for range n {
			out = append(out, map[string]any{"name": long(name), "value": long(value)})
		}
		return out
	}
	tests := []struct {
		name  string
		msg   map[string]any
		field string // the errors path; empty: accepted
	}{
		{"content 2000", map[string]any{"content": long(2000)}, ""},
		{"content 2001", map[string]any{"content": long(2001)}, "content"},
		{"content 5000", map[string]any{"content": long(5000)}, "content"},
		{"10 embeds", map[string]any{"embeds": embeds(10, map[string]any{"title": "t"})}, ""},
		{"11 embeds", map[string]any{"embeds": embeds(11, map[string]any{"title": "t"})}, "embeds"},
		{"title 257", map[string]any{"embeds": embeds(1, map[string]any{"title": long(257)})}, "embeds.0.title"},
		{"description 4097", map[string]any{"embeds": embeds(1, map[string]any{"description": long(4097)})}, "embeds.0.description"},
		{"26 fields", map[string]any{"embeds": embeds(1, map[string]any{"fields": fields(26, 1, 1)})}, "embeds.0.fields"},
		{"field name 257", map[string]any{"embeds": embeds(1, map[string]any{"fields": fields(1, 257, 1)})}, "embeds.0.fields.0.name"},
		{"field value 1025", map[string]any{"embeds": embeds(1, map[string]any{"fields": fields(1, 1, 1025)})}, "embeds.0.fields.0.value"},
		{"footer 2049", map[string]any{"embeds": embeds(1, map[string]any{"footer": map[string]any{"text": long(2049)}})}, "embeds.0.footer.text"},
		{"author 257", map[string]any{"embeds": embeds(1, map[string]any{"author": map[string]any{"name": long(257)}})}, "embeds.0.author.name"},
		{"embeds total 6001", map[string]any{"embeds": embeds(2, map[string]any{"description": long(3000), "title": "x"})}, "embeds"},
		{"5 rows of 5", map[string]any{"components": buttons(5, 5, 80, false)}, ""},
		{"7 rows of 6", map[string]any{"components": buttons(7, 6, 1, false)}, "components"},
		{"6 buttons", map[string]any{"components": buttons(1, 6, 1, false)}, "components.0.components"},
		{"label 200", map[string]any{"components": buttons(1, 1, 200, false)}, "components.0.components.0.label"},
		{"duplicate custom_id", map[string]any{"components": buttons(1, 2, 1, true)}, "components.0.components.1.custom_id"},
		{"custom_id 101", map[string]any{"components": []any{map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 2, "style": 1, "label": "l", "custom_id": long(101)}}}}}, "components.0.components.0.custom_id"},
		{"parse users and users", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []any{"users"}, "users": []any{"1"}}}, "allowed_mentions"},
		{"parse roles and roles", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []any{"roles"}, "roles": []any{"1"}}}, "allowed_mentions"},
		{"empty field name", map[string]any{"embeds": embeds(1, map[string]any{"fields": []any{map[string]any{"name": "", "value": "v"}}})}, "embeds.0.fields.0.name"},
		{"empty field value", map[string]any{"embeds": embeds(1, map[string]any{"fields": []any{map[string]any{"name": "n", "value": " "}}})}, "embeds.0.fields.0.value"},
		{"parse none and users", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []any{}, "users": []any{"1"}}}, ""},
	}
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, srv, "POST", "/channels/"+ch+"/messages", tt.msg)
			if tt.field == "" {
				if status != 200 {
					t.Fatalf("status %d (%v), want 200", status, body)
				}
				return
			}
			if status != 400 || body["code"] != float64(50035) || body["message"] != "Invalid Form Body" {
				t.Fatalf("got %d %v, want 400 code 50035 Invalid Form Body", status, body)
			}
			node, _ := body["errors"].(map[string]any)
			for _, k := range strings.Split(tt.field, ".") {
				node, _ = node[k].(map[string]any)
			}
			if errs, _ := node["_errors"].([]any); len(errs) == 0 {
				t.Errorf("errors %v: nothing under %s", body["errors"], tt.field)
			}
		})
	}
}

// TestEmptyMessage checks that a new message with nothing to show is 400
// code 50006, while an edit may clear the content.
func TestEmptyMessage(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	for _, msg := range []map[string]any{{}, {"content": ""}, {"content": "  ", "embeds": []any{}, "components": []any{}}} {
		status, body := call(t, srv, "POST", "/channels/"+ch+"/messages", msg)
		if status != 400 || body["code"] != float64(50006) {
			t.Errorf("POST %v: got %d %v, want 400 code 50006", msg, status, body)
		}
	}
	status, body := call(t, srv, "POST", "/channels/"+ch+"/messages", map[string]any{"content": "x"})
	if status != 200 {
		t.Fatalf("got %d %v, want 200", status, body)
	}
	if status, body := call(t, srv, "PATCH", "/channels/"+ch+"/messages/"+body["id"].(string), map[string]any{"content": "", "embeds": []any{map[string]any{"title": "t"}}}); status != 200 {
		t.Errorf("edit: got %d %v, want 200", status, body)
	}
}

// TestThreadName checks the 1–100 length of a thread name.
func TestThreadName(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name string
		want int
	}{{"", 400}, {strings.Repeat("n", 100), 201}, {strings.Repeat("n", 101), 400}, {strings.Repeat("n", 300), 400}} {
		status, body := call(t, srv, "POST", "/channels/"+ch+"/messages/1/threads", map[string]any{"name": tt.name})
		if status != tt.want {
			t.Errorf("name of %d: got %d %v, want %d", len(tt.name), status, body, tt.want)
		}
		if status == 400 && body["code"] != float64(50035) {
			t.Errorf("name of %d: got code %v, want 50035", len(tt.name), body["code"])
		}
	}
}

// TestUnknownRoute checks that a route the fake does not know is 404 with
// code 0, as Discord answers.
func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	for _, r := range [][2]string{{"GET", "/nowhere"}, {"DELETE", "/channels/" + ch}, {"PATCH", "/channels/" + ch + "/messages/404"}} {
		status, body := call(t, srv, r[0], r[1], map[string]any{"content": "x"})
		if status != 404 {
			t.Errorf("%s %s: got %d %v, want 404", r[0], r[1], status, body)
		}
	}
	status, body := call(t, srv, "GET", "/nowhere", nil)
	if body["code"] != float64(0) || body["message"] != "404: Not Found" {
		t.Errorf("got %d %v, want 404 code 0", status, body)
	}
}

// TestInteractionRules checks the acknowledgement and token rules on an
// injected clock: one acknowledgement within 3 s, edits only after it and
// for 15 minutes.
func TestInteractionRules(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := discordtest.NewServer(discordtest.WithClock(clock))
	t.Cleanup(srv.Close)
	connect(t, srv)
	cmd := func() discordtest.Interaction {
		in, err := srv.Command(t.Context(), discordtest.Command{Name: "ask", ChannelID: ch, UserID: "3"})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	cb := func(in discordtest.Interaction) string {
		return "/interactions/" + in.ID + "/" + in.Token + "/callback"
	}
	orig := func(in discordtest.Interaction) string {
		return "/webhooks/" + discordtest.AppID + "/" + in.Token + "/messages/@original"
	}
	follow := func(in discordtest.Interaction) string { return "/webhooks/" + discordtest.AppID + "/" + in.Token }
	deferred := map[string]any{"type": 5}
	edit := map[string]any{"content": "answer"}
	type step struct {
		advance      time.Duration
		method, path string
		body         any
		status, code int
	}
	a, b, c, d := cmd(), cmd(), cmd(), cmd()
	steps := []step{
		{0, "PATCH", orig(a), edit, 404, 10015},  // edit before acknowledging
		{0, "POST", follow(a), edit, 404, 10015}, // follow-up before acknowledging
		{0, "POST", cb(a), deferred, 204, -1},    // acknowledged
		{0, "POST", cb(a), deferred, 400, 40060}, // twice
		{0, "PATCH", orig(a), edit, 200, -1},     // edit works
		{0, "POST", follow(a), edit, 200, -1},    // follow-up works
		{0, "POST", cb(discordtest.Interaction{ID: "1", Token: "nope"}), deferred, 404, 10062},
		{0, "POST", cb(discordtest.Interaction{ID: "1", Token: b.Token}), deferred, 404, 10062}, // another id
		{0, "POST", cb(b), map[string]any{"type": 4, "data": map[string]any{"content": " "}}, 400, 50006},
		{0, "POST", cb(b), map[string]any{"type": 4, "data": map[string]any{"content": strings.Repeat("x", 2001)}}, 400, 50035},
		{0, "POST", cb(b), map[string]any{"type": 4, "data": map[string]any{"content": "ok"}}, 204, -1},
		{2 * time.Second, "POST", cb(c), deferred, 204, -1},    // within 3 s
		{2 * time.Second, "POST", cb(d), deferred, 404, 10062}, // 4 s: too late
		{14 * time.Minute, "PATCH", orig(a), edit, 200, -1},    // 14 min 4 s after a
		{time.Minute, "PATCH", orig(a), edit, 404, 10015},      // past 15 minutes
		{0, "POST", follow(a), edit, 404, 10015},               // likewise
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		status, body := call(t, srv, s.method, s.path, s.body)
		if status != s.status || (s.code >= 0 && body["code"] != float64(s.code)) {
			t.Errorf("step %d %s %s: got %d %v, want %d code %d", i, s.method, s.path, status, body, s.status, s.code)
		}
	}
}

// callHeaders is call returning the response headers too.
func callHeaders(t *testing.T, srv *discordtest.Server, method, path string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+"/api/v9"+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, resp.Header, out
}

// TestRateLimits checks the per-route buckets, their headers and the 429
// when one is empty, and the global limit.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := discordtest.NewServer(discordtest.WithClock(clock), discordtest.WithRateLimits(discordtest.RateLimits{PerRoute: 2, Window: 5 * time.Second, Global: 6}))
	t.Cleanup(srv.Close)
	msg := map[string]any{"content": "x"}
	a, b := "/channels/200000000000000001/messages", "/channels/200000000000000002/messages"
	type step struct {
		advance   time.Duration
		path      string
		status    int
		remaining string
	}
	var hash string
	for i, s := range []step{
		{0, a, 200, "1"},
		{0, a, 200, "0"},
		{0, a, 429, "0"},
		{0, b, 200, "1"}, // another channel, another bucket
		{5 * time.Second, a, 200, "1"},
	} {
		clock.Advance(s.advance)
		status, h, body := callHeaders(t, srv, "POST", s.path, msg)
		if status != s.status || h.Get("X-RateLimit-Remaining") != s.remaining || h.Get("X-RateLimit-Limit") != "2" {
			t.Errorf("step %d: got %d remaining %q limit %q, want %d remaining %s limit 2", i, status, h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Limit"), s.status, s.remaining)
		}
		if hash == "" {
			hash = h.Get("X-RateLimit-Bucket")
		}
		if got := h.Get("X-RateLimit-Bucket"); got == "" || got != hash {
			t.Errorf("step %d: bucket %q, want %q (one route, one hash)", i, got, hash)
		}
		if h.Get("X-RateLimit-Reset") == "" || h.Get("X-RateLimit-Reset-After") == "" {
			t.Errorf("step %d: no reset headers: %v", i, h)
		}
		if status == 429 && (body["retry_after"] != float64(5) || body["global"] != false || h.Get("X-RateLimit-Scope") != "user") {
			t.Errorf("step %d: 429 body %v scope %q, want retry_after 5, not global, scope user", i, body, h.Get("X-RateLimit-Scope"))
		}
	}
	// In a new second six requests to six channels pass and the seventh
	// hits the global limit.
	clock.Advance(time.Second)
	for i := range 6 {
		if status, _, body := callHeaders(t, srv, "POST", fmt.Sprintf("/channels/20000000000000%04d/messages", i), msg); status != 200 {
			t.Fatalf("request %d: got %d %v, want 200", i, status, body)
		}
	}
	status, h, body := callHeaders(t, srv, "POST", "/channels/200000000000000099/messages", msg)
	if status != 429 || h.Get("X-RateLimit-Global") != "true" || body["global"] != true {
		t.Errorf("got %d global %q %v, want 429 with X-RateLimit-Global", status, h.Get("X-RateLimit-Global"), body)
	}
}

// TestLatency checks that WithLatency delays each answer.
func TestLatency(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithLatency(50 * time.Millisecond))
	t.Cleanup(srv.Close)
	start := time.Now()
	call(t, srv, "GET", "/users/@me", nil)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered in %v, want at least 50ms", d)
	}
}
