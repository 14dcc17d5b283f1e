// Package discordtest is a fake Discord for tests, in the spirit of
// net/http/httptest: a REST API and a gateway websocket on loopback that
// the real discordgo client connects to. It records every REST call,
// keeps the messages the client sends and edits, dispatches gateway events
// (INTERACTION_CREATE, MESSAGE_CREATE) and can inject failures: HTTP 429
// with retry_after, other statuses, and dropped gateway connections.
//
// It is as strict as Discord where the bot could go wrong: every message
// create or edit is checked against Discord's documented limits (400, code
// 50035 Invalid Form Body, with the field errors), an interaction takes
// one acknowledgement within 3 s (40060, 10062), its token works only
// after it and for 15 minutes (10015 Unknown Webhook), and a route the fake
// does not know is 404 with code 0. The time comes from a Clock
// (WithClock), so a test can pass 15 minutes at once. Every answer
// carries Discord's X-RateLimit-* headers from per-route buckets and a
// global limit (WithRateLimits; 429 with retry_after past them), and
// WithLatency delays every answer. The gateway sends READY with the
// guilds (WithGuilds) unavailable and a GUILD_CREATE for each,
// THREAD_CREATE when a thread is started, message events without content
// unless the client identified with the Message Content intent (or the
// message is a DM or mentions the bot), and on request op 7 Reconnect, op
// 9 Invalid Session and no heartbeat ACKs.
//
//	srv := discordtest.NewServer()
//	defer srv.Close()
//	s, _ := srv.NewSession("token")
//	// ... open s, then:
//	srv.Command(ctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": "..."}})
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Fixed identities of the fake.
const (
	// BotUserID is the bot user's id in READY (and the application id).
	BotUserID = "900000000000000001"
	// AppID is the application id in READY.
	AppID = BotUserID
)

// Request is one recorded REST call.
type Request struct {
	Method string
	// Path is the URL path below /api/v9, for example
	// "/webhooks/APP/TOKEN/messages/@original".
	Path  string
	Query string
	// Body is the JSON body; for a multipart/form-data request (a message
	// with files), its payload_json part.
	Body []byte
	// Files are the files of a multipart request, in the order of their
	// files[n] parts.
	Files  []File
	Status int       // the status the fake answered
	Time   time.Time // when the fake received it
	// Authorized is set when the call carried an Authorization header.
	Authorized bool
}

// Fault makes the fake answer matching requests with an error status.
type Fault struct {
	Method       string // empty matches any
	PathContains string
	// Status is the HTTP status; 429 gets a rate-limit body with RetryAfter.
	Status     int
	RetryAfter time.Duration
	// Times is how many matching requests fail (default 1).
	Times int
}

// Server is a fake Discord REST API and gateway.
type Server struct {
	// CloseOnIdentify, when set before clients connect, makes the gateway
	// answer IDENTIFY by closing with this code (4004: authentication
	// failed, 4014: disallowed intents).
	CloseOnIdentify int

	srv *httptest.Server

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	reqs      []Request
	faults    []*Fault
	messages  map[string]map[string]any // message id -> latest JSON
	files     map[string][]File         // message id -> its attachments' files
	originals map[string]string         // interaction token -> original message id
	inters    map[string]*interaction   // interaction token -> its state
	clock     Clock
	heartbeat time.Duration // the heartbeat interval in HELLO
	guilds    []string      // the bot's guilds, in READY and GUILD_CREATE
	// withholdAcks stops heartbeat ACKs.
	withholdAcks bool
	// guildOf maps a channel to the guild an event placed it in.
	guildOf map[string]string
	// extra is the state of the routes in members.go and channels.go.
	extra extraState
	// pending are gateway events a REST call caused, sent once it is
	// answered.
	pending []pendingEvent
	latency time.Duration
	limits  RateLimits
	buckets map[string]*bucket // bucket hash and major parameter -> bucket
	// globalStart and globalCount count requests in the current second.
	globalStart time.Time
	globalCount int
	conns       map[*gatewayConn]bool
	identifies  []json.RawMessage
	cdn         cdnStore // attachments on the fake CDN (cdn.go)
	resumes     int
	heartbeats  int
	sessions    map[string]*session // by session id
	nextID      int64
}

// An Option configures a Server.
type Option func(*Server)

// WithClock makes the fake read the time from c (default: real time), so
// that a test can pass the 3-second and 15-minute interaction limits at
// once with a ManualClock.
func WithClock(c Clock) Option { return func(s *Server) { s.clock = c } }

// WithGuilds makes the bot a member of guilds: READY lists them as
// unavailable and a GUILD_CREATE follows for each.
func WithGuilds(ids ...string) Option { return func(s *Server) { s.guilds = append(s.guilds, ids...) } }

// WithHeartbeatInterval sets the heartbeat interval the gateway asks for
// in HELLO (default 45 s, Discord's usual), so that a test of missed
// heartbeat ACKs runs quickly.
func WithHeartbeatInterval(d time.Duration) Option { return func(s *Server) { s.heartbeat = d } }

// NewServer starts a fake Discord on a loopback port.
func NewServer(opts ...Option) *Server {
	s := &Server{
		changed:   make(chan struct{}),
		messages:  map[string]map[string]any{},
		files:     map[string][]File{},
		originals: map[string]string{},
		inters:    map[string]*interaction{},
		clock:     realClock{},
		heartbeat: 45 * time.Second,
		guildOf:   map[string]string{},
		limits:    DefaultRateLimits,
		buckets:   map[string]*bucket{},
		conns:     map[*gatewayConn]bool{},
		sessions:  map[string]*session{},
		nextID:    1000000000000000000,
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws/", s.serveGateway)
	mux.HandleFunc("/ws", s.serveGateway)
	mux.HandleFunc(cdnPrefix, s.serveCDN)
	mux.HandleFunc("/", s.serveREST)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close drops the gateway connections and stops the server.
func (s *Server) Close() {
	s.DropConnections()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Client returns an HTTP client whose requests to discord.com (the
// endpoints discordgo computed at init) go to the fake instead.
func (s *Server) Client() *http.Client {
	target, _ := url.Parse(s.srv.URL)
	return &http.Client{Timeout: 30 * time.Second, Transport: rewrite{target: target, next: s.srv.Client().Transport}}
}

type rewrite struct {
	target *url.URL
	next   http.RoundTripper
}

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rw.target.Scheme, rw.target.Host, rw.target.Host
	return rw.next.RoundTrip(r)
}

// NewSession returns a discordgo session for token wired to the fake. It
// is not open yet.
func (s *Server) NewSession(token string) (*discordgo.Session, error) {
	dg, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, err
	}
	dg.Client = s.Client()
	return dg, nil
}

// notify wakes waiters; s.mu is held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wait blocks until cond (called with the server locked; it must not call
// other Server methods) holds, or ctx ends.
func (s *Server) Wait(ctx context.Context, cond func(v View) bool) error {
	for {
		s.mu.Lock()
		ok := cond(View{s})
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("discordtest: waiting: %w", ctx.Err())
		case <-ch:
		}
	}
}

// View is read access to the server's records inside Wait.
type View struct{ s *Server }

// Requests returns the recorded REST calls.
func (v View) Requests() []Request { return v.s.reqs }

// Original returns the content of an interaction's original response
// message, and whether there is one yet.
func (v View) Original(token string) (map[string]any, bool) {
	id, ok := v.s.originals[token]
	if !ok {
		return nil, false
	}
	m, ok := v.s.messages[id]
	return m, ok
}

// Requests returns a copy of the recorded REST calls.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Message returns the latest state of a message the client sent.
func (s *Server) Message(id string) (*discordgo.Message, bool) {
	s.mu.Lock()
	raw, ok := s.messages[id]
	var data []byte
	if ok {
		data, _ = json.Marshal(raw)
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	var m discordgo.Message
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, false
	}
	return &m, true
}

// OriginalID returns the id of an interaction's original response.
func (s *Server) OriginalID(token string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.originals[token]
	return id, ok
}

// Inject makes the next f.Times requests matching f fail.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// newID returns a fresh snowflake-like id; s.mu is held.
func (s *Server) newID() string {
	s.nextID++
	return fmt.Sprint(s.nextID)
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	files, body, err := readMultipart(r.Header.Get("Content-Type"), body)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":%q,"code":50035}`, err.Error())
		return
	}
	path := r.URL.Path
	if i := strings.Index(path, "/api/v"); i >= 0 {
		path = path[i+len("/api/v"):]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		}
	}
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	defer s.flushEvents(r.Context())
	s.mu.Lock()
	defer s.mu.Unlock()
	req := Request{Time: s.clock.Now(), Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: body, Files: files, Authorized: r.Header.Get("Authorization") != ""}
	defer func() { s.reqs = append(s.reqs, req); s.notify() }()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.Contains(path, f.PathContains) {
			if f.Times--; f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			req.Status = f.Status
			if f.Status == http.StatusTooManyRequests {
				secs := f.RetryAfter.Seconds()
				w.Header().Set("Retry-After", fmt.Sprint(max(1, int(secs))))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(f.Status)
				fmt.Fprintf(w, `{"message":"You are being rate limited.","retry_after":%g,"global":false}`, secs)
				return
			}
			w.WriteHeader(f.Status)
			fmt.Fprintf(w, `{"message":"injected failure","code":0}`)
			return
		}
	}
	if ok, resp := s.rateLimit(w.Header(), r.Method, strings.Split(strings.Trim(path, "/"), "/")); !ok {
		req.Status = http.StatusTooManyRequests
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_ = json.NewEncoder(w).Encode(resp)
		return
	}
	status, resp := s.route(r.Method, path, body, files)
	req.Status = status
	if resp == nil || status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

// route answers a REST call; s.mu is held.
func (s *Server) route(method, path string, body []byte, files []File) (int, any) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	switch {
	case method == "GET" && (path == "/gateway" || path == "/gateway/bot"):
		return 200, map[string]any{"url": "ws://" + s.srv.Listener.Addr().String() + "/ws", "shards": 1}
	case method == "POST" && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		return s.callback(parts[1], parts[2], in)
	case len(parts) >= 3 && parts[0] == "webhooks" && parts[1] == AppID:
		return s.webhook(method, parts[2:], in, files)
	case method == "POST" && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		if isEmpty(in, files) {
			return 400, emptyMessage
		}
		if e := validateMessage(in); e != nil {
			return 400, e
		}
		return s.storeWithFiles(s.newID(), parts[1], in, files)
	case method == "PATCH" && len(parts) == 4 && parts[0] == "channels" && parts[2] == "messages":
		if _, ok := s.messages[parts[3]]; !ok {
			return 404, &apiError{Code: 10008, Message: "Unknown Message"}
		}
		if e := validateMessage(in); e != nil {
			return 400, e
		}
		return s.storeWithFiles(parts[3], parts[1], in, files)
	case method == "POST" && len(parts) == 5 && parts[0] == "channels" && parts[4] == "threads":
		if e := validateThread(in); e != nil {
			return 400, e
		}
		name, _ := in["name"].(string)
		th := map[string]any{
			"id": s.newID(), "type": 11, "parent_id": parts[1], "name": name, "owner_id": BotUserID,
			"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": in["auto_archive_duration"], "locked": false},
		}
		if g := s.guildOf[parts[1]]; g != "" {
			th["guild_id"] = g
			s.guildOf[th["id"].(string)] = g
		}
		ev := make(map[string]any, len(th)+1)
		for k, v := range th {
			ev[k] = v
		}
		ev["newly_created"] = true
		s.pending = append(s.pending, pendingEvent{"THREAD_CREATE", ev})
		return 201, th
	case method == "PUT" && len(parts) >= 3 && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		var cmds []map[string]any
		_ = json.Unmarshal(body, &cmds)
		for _, c := range cmds {
			c["id"] = s.newID()
			c["application_id"] = parts[1]
		}
		return 200, cmds
	case method == "GET" && path == "/users/@me":
		return 200, map[string]any{"id": BotUserID, "username": "reportbot", "bot": true}
	}
	if status, resp, ok := s.routeExtra(method, parts); ok {
		return status, resp
	}
	return 404, &apiError{Code: 0, Message: "404: Not Found"}
}

// store merges fields into message id and returns its JSON form; s.mu is
// held.
func (s *Server) store(id, channelID string, fields map[string]any) map[string]any {
	m, ok := s.messages[id]
	if !ok {
		m = map[string]any{"id": id, "channel_id": channelID, "type": 0, "author": map[string]any{"id": BotUserID, "username": "reportbot", "bot": true}}
		s.messages[id] = m
	}
	for k, v := range fields {
		switch k {
		case "allowed_mentions", "message_reference", "flags", "tts", "sticker_ids", "attachments":
			continue
		}
		m[k] = v
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// URL is the fake's base URL (http://127.0.0.1:PORT), for clients
// configured with an API base URL instead of Client.
func (s *Server) URL() string { return s.srv.URL }
