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

// serveGateway speaks the gateway protocol: HELLO, then IDENTIFY (answered
// with READY) or RESUME (answered with RESUMED), then heartbeat ACKs.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws, shards: 1}
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.notify()
		s.mu.Unlock()
		ws.Close()
	}()
	s.mu.Lock()
	s.conns[c] = true
	s.mu.Unlock()
	if err := c.send(r.Context(), map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()}}); err != nil {
		return
	}
	var first frame
	if err := ws.ReadJSON(&first); err != nil {
		return
	}
	switch first.Op {
	case 2:
		if !s.identify(r.Context(), c, first.Data, r.Host) {
			return
		}
	case 6:
		s.mu.Lock()
		s.resumes++
		s.mu.Unlock()
		if err := s.dispatchTo(r.Context(), c, "RESUMED", map[string]any{}); err != nil {
			return
		}
	default:
		return
	}
	s.mu.Lock()
	c.ready = true
	s.notify()
	s.mu.Unlock()
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		s.mu.Lock()
		withhold := s.withholdAcks
		s.mu.Unlock()
		switch {
		case f.Op == 1 && !withhold:
			if err := c.send(r.Context(), map[string]any{"op": 11}); err != nil {
				return
			}
		case f.Op == 2: // a new session after op 9 Invalid Session
			if !s.identify(r.Context(), c, f.Data, r.Host) {
				return
			}
		}
	}
}

// identify answers an IDENTIFY on c with READY and a GUILD_CREATE per
// guild (or closes c with CloseOnIdentify), and reports whether c is
// still open.
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
	s.notify()
	s.mu.Unlock()
	if code != 0 {
		c.mu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "rejected by the fake"), time.Now().Add(time.Second))
		c.mu.Unlock()
		return false
	}
	if err := s.dispatchTo(ctx, c, "READY", map[string]any{
		"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws://" + host + "/ws",
		"user":        map[string]any{"id": BotUserID, "username": "reportbot", "discriminator": "0", "bot": true},
		"application": map[string]any{"id": AppID, "flags": 0},
		"guilds":      guilds,
	}); err != nil {
		return false
	}
	for _, g := range guilds {
		id := g.(map[string]any)["id"].(string)
		if err := s.dispatchTo(ctx, c, "GUILD_CREATE", guildObject(id)); err != nil {
			return false
		}
	}
	return true
}

// dispatchTo sends one dispatch event to c.
func (s *Server) dispatchTo(ctx context.Context, c *gatewayConn, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	return c.send(ctx, frame{Op: 0, Type: typ, Seq: seq, Data: raw})
}

// Dispatch sends a gateway event (type such as "MESSAGE_CREATE", data
// marshalled as its "d") to every connected, identified client whose shard
// receives the event's guild (data's "guild_id"), as Discord routes them.
func (s *Server) Dispatch(ctx context.Context, typ string, data any) error {
	guildID := ""
	if m, ok := data.(map[string]any); ok {
		guildID, _ = m["guild_id"].(string)
	}
	s.mu.Lock()
	var conns []*gatewayConn
	var intents []int
	for c := range s.conns {
		if c.ready && c.receives(guildID) {
			conns = append(conns, c)
			intents = append(intents, c.intents)
		}
	}
	s.mu.Unlock()
	if len(conns) == 0 {
		return fmt.Errorf("discordtest: dispatch %s: no client connected", typ)
	}
	for i, c := range conns {
		data := data
		if typ == "MESSAGE_CREATE" || typ == "MESSAGE_UPDATE" {
			data = withoutContent(intents[i], data)
		}
		if err := s.dispatchTo(ctx, c, typ, data); err != nil {
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

// Identifies returns the IDENTIFY payloads received, oldest first.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.identifies...)
}

// Resumes is the number of RESUMEs received (reconnections).
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
