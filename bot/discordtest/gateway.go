package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayConn is one client connection to the fake gateway.
type gatewayConn struct {
	ws    *websocket.Conn
	mu    sync.Mutex // serialises writes
	ready bool       // identified or resumed
	// shard and shards are the [shard_id, num_shards] the client
	// identified with (0 and 1 when it sent none).
	shard, shards int
	// intents are the intents the client identified with.
	intents int
	// sess is the session the connection serves, once it has
	// identified or resumed (guarded by Server.mu).
	sess *session
}

// intentMessageContent is the privileged Message Content intent.
const intentMessageContent = 1 << 15

// ShardOf is the shard that receives guildID's events out of shards, by
// Discord's rule (guild_id >> 22) % num_shards; events without a guild
// (DMs) go to shard 0.
func ShardOf(guildID string, shards int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if shards <= 1 || err != nil {
		return 0
	}
	return int((id >> 22) % uint64(shards))
}

// receives reports whether c's shard gets guildID's events.
func (c *gatewayConn) receives(guildID string) bool {
	return c.shards <= 1 || ShardOf(guildID, c.shards) == c.shard
}

func (c *gatewayConn) send(ctx context.Context, v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Second)
	}
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return err
	}
	return c.ws.WriteJSON(v)
}

type frame struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d,omitempty"`
	Seq  int64           `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
}

// serveGateway speaks the gateway protocol: HELLO, then IDENTIFY
// (answered with READY and a new session) or RESUME (the session's missed
// events, then RESUMED; op 9 for an unknown session), then heartbeat
// ACKs. A session ends when its client closes normally (1000: Discord
// then invalidates it, and a RESUME gets op 9) or identifies anew; a
// dropped connection, or a close with another code (op 7's 1012), leaves
// it to be resumed.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws, shards: 1}
	var readErr error
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		ss := c.sess
		if ss != nil && websocket.IsCloseError(readErr, websocket.CloseNormalClosure) {
			delete(s.sessions, ss.id)
		}
		s.notify()
		s.mu.Unlock()
		if ss != nil {
			ss.detach(c)
		}
		ws.Close()
	}()
	s.mu.Lock()
	s.conns[c] = true
	s.mu.Unlock()
	if err := c.send(r.Context(), map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()}}); err != nil {
		return
	}
	for {
		var f frame
		if readErr = ws.ReadJSON(&f); readErr != nil {
			return
		}
		s.mu.Lock()
		withhold, ready := s.withholdAcks, c.ready
		if f.Op == 1 {
			s.heartbeats++
			s.notify()
		}
		s.mu.Unlock()
		switch {
		case f.Op == 1 && ready && !withhold:
			if err := c.send(r.Context(), map[string]any{"op": 11}); err != nil {
				return
			}
		case f.Op == 2: // IDENTIFY, also a new session after op 9 Invalid Session
			if !s.identify(r.Context(), c, f.Data, r.Host) {
				return
			}
		case f.Op == 6 && !ready:
			if !s.resume(r.Context(), c, f.Data) {
				return
			}
		}
	}
}

// resume answers a RESUME on c: the session's events after the client's
// sequence number and RESUMED, or op 9 Invalid Session (not resumable)
// for a session the fake does not know. It reports whether c is still
// open.
func (s *Server) resume(ctx context.Context, c *gatewayConn, data json.RawMessage) bool {
	var res struct {
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	_ = json.Unmarshal(data, &res)
	s.mu.Lock()
	s.resumes++
	ss := s.sessions[res.SessionID]
	s.notify()
	s.mu.Unlock()
	if ss == nil {
		return c.send(ctx, map[string]any{"op": 9, "d": false}) == nil
	}
	if !ss.resume(ctx, c, res.Seq) {
		return false
	}
	s.mu.Lock()
	c.sess, c.ready = ss, true
	c.shard, c.shards, c.intents = ss.shard, ss.shards, ss.intents
	s.notify()
	s.mu.Unlock()
	return true
}

// identify answers an IDENTIFY on c with a new session, READY and a
// GUILD_CREATE per guild (or closes c with CloseOnIdentify), and reports
// whether c is still open.
func (s *Server) identify(ctx context.Context, c *gatewayConn, data json.RawMessage, host string) bool {
	var id struct {
		Shard   []int `json:"shard"`
		Intents int   `json:"intents"`
	}
	_ = json.Unmarshal(data, &id)
	s.mu.Lock()
	if len(id.Shard) == 2 && id.Shard[1] > 0 {
		c.shard, c.shards = id.Shard[0], id.Shard[1]
	}
	c.intents = id.Intents
	s.identifies = append(s.identifies, data)
	code := s.CloseOnIdentify
	guilds := s.unavailableGuilds(c)
	old := c.sess
	if old != nil {
		delete(s.sessions, old.id)
	}
	ss := &session{id: fmt.Sprintf("fake-session-%d", len(s.identifies)), shard: c.shard, shards: c.shards, intents: c.intents}
	s.notify()
	s.mu.Unlock()
	if old != nil {
		old.detach(c)
	}
	if code != 0 {
		c.mu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "rejected by the fake"), time.Now().Add(time.Second))
		c.mu.Unlock()
		return false
	}
	ready := map[string]any{
		"v": 9, "session_id": ss.id, "resume_gateway_url": "ws://" + host + "/ws",
		"user":        map[string]any{"id": BotUserID, "username": "reportbot", "discriminator": "0", "bot": true},
		"application": map[string]any{"id": AppID, "flags": 0},
		"guilds":      guilds,
	}
	// The session is locked before it is published, so that no event
	// is dispatched on it before READY.
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s.mu.Lock()
	s.sessions[ss.id] = ss
	c.sess, c.ready = ss, true
	s.notify()
	s.mu.Unlock()
	return ss.start(ctx, c, ready, guilds)
}

// Dispatch sends a gateway event (type such as "MESSAGE_CREATE", data
// marshalled as its "d") to every session whose shard receives the
// event's guild (data's "guild_id"), as Discord routes them: on its live
// connection, or, while the session has none, when its client resumes.
// It fails when no client has identified.
func (s *Server) Dispatch(ctx context.Context, typ string, data any) error {
	guildID := ""
	if m, ok := data.(map[string]any); ok {
		guildID, _ = m["guild_id"].(string)
	}
	s.mu.Lock()
	var sessions []*session
	for _, ss := range s.sessions {
		if ss.receives(guildID) {
			sessions = append(sessions, ss)
		}
	}
	s.mu.Unlock()
	if len(sessions) == 0 {
		return fmt.Errorf("discordtest: dispatch %s: no client connected", typ)
	}
	for _, ss := range sessions {
		data := data
		if typ == "MESSAGE_CREATE" || typ == "MESSAGE_UPDATE" {
			data = withoutContent(ss.intents, data)
		}
		if err := ss.dispatch(ctx, typ, data); err != nil {
			return fmt.Errorf("discordtest: dispatch %s: %w", typ, err)
		}
	}
	return nil
}

// WaitConnected waits until n clients in total have identified or resumed
// and at least one is connected.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.Wait(ctx, func(v View) bool {
		ready := 0
		for c := range v.s.conns {
			if c.ready {
				ready++
			}
		}
		return ready > 0 && len(v.s.identifies)+v.s.resumes >= n
	})
}

// Heartbeats is the number of heartbeats received on all connections.
// A test that drops a connection should wait for the first: discordgo
// v0.29 starts its heartbeat goroutine after connecting, and one that
// first writes on a connection already dropped closes the session's next
// connection with code 1000, which (at Discord and here) ends the
// session, so the RESUME fails and missed events are lost.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heartbeats
}

// Identifies returns the IDENTIFY payloads received, oldest first.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.identifies...)
}

// Resumes is the number of RESUMEs received (reconnections), whether the
// session could be resumed or not.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// DropConnections closes every gateway connection abruptly, as a network
// failure would; discordgo then reconnects and resumes.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make([]*gatewayConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
}

// withoutContent returns a message event as a connection with intents
// sees it: without the
// Message Content intent, Discord blanks content, embeds, attachments and
// components, except in DMs and in messages that mention the bot.
func withoutContent(intents int, data any) any {
	m, ok := data.(map[string]any)
	if !ok || intents&intentMessageContent != 0 {
		return data
	}
	if g, _ := m["guild_id"].(string); g == "" {
		return data
	}
	if mentions, _ := m["mentions"].([]any); len(mentions) > 0 {
		for _, u := range mentions {
			if um, _ := u.(map[string]any); um["id"] == BotUserID {
				return data
			}
		}
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	out["content"], out["embeds"], out["attachments"], out["components"] = "", []any{}, []any{}, []any{}
	return out
}

// unavailableGuilds are the guilds of READY for c: unavailable guild
// objects, as Discord sends them before each guild's GUILD_CREATE. s.mu
// is held.
func (s *Server) unavailableGuilds(c *gatewayConn) []any {
	out := []any{}
	for _, g := range s.guilds {
		if c.receives(g) {
			out = append(out, map[string]any{"id": g, "unavailable": true})
		}
	}
	return out
}

// guildObject is the GUILD_CREATE of guild id.
func guildObject(id string) map[string]any {
	return map[string]any{
		"id": id, "name": "guild " + id, "owner_id": "1", "unavailable": false, "member_count": 1,
		"roles": []any{}, "channels": []any{}, "threads": []any{}, "members": []any{}, "emojis": []any{},
		"features": []any{}, "joined_at": "2026-01-01T00:00:00+00:00",
	}
}

// SendReconnect sends op 7 Reconnect to every connection: the client
// should close and resume.
func (s *Server) SendReconnect(ctx context.Context) error {
	return s.sendOp(ctx, map[string]any{"op": 7, "d": nil})
}

// SendInvalidSession sends op 9 Invalid Session to every connection; the
// client may resume if resumable, and must identify anew otherwise.
func (s *Server) SendInvalidSession(ctx context.Context, resumable bool) error {
	return s.sendOp(ctx, map[string]any{"op": 9, "d": resumable})
}

// WithholdHeartbeatACKs stops (or resumes) answering heartbeats, as a
// zombied connection does: the client should notice and reconnect.
func (s *Server) WithholdHeartbeatACKs(withhold bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.withholdAcks = withhold
}

func (s *Server) sendOp(ctx context.Context, v any) error {
	s.mu.Lock()
	conns := make([]*gatewayConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	if len(conns) == 0 {
		return fmt.Errorf("discordtest: send op: no client connected")
	}
	for _, c := range conns {
		if err := c.send(ctx, v); err != nil {
			return fmt.Errorf("discordtest: send op: %w", err)
		}
	}
	return nil
}

// pendingEvent is a gateway event waiting for its REST call's answer.
type pendingEvent struct {
	typ  string
	data map[string]any
}

// flushEvents dispatches the pending events; a failure (no client
// connected) is not the REST caller's concern and is dropped.
func (s *Server) flushEvents(ctx context.Context) {
	s.mu.Lock()
	evs := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, e := range evs {
		_ = s.Dispatch(ctx, e.typ, e.data)
	}
}
