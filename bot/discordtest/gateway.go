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
}

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
	if err := c.send(r.Context(), map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return
	}
	var first frame
	if err := ws.ReadJSON(&first); err != nil {
		return
	}
	switch first.Op {
	case 2:
		var id struct {
			Shard []int `json:"shard"`
		}
		if json.Unmarshal(first.Data, &id) == nil && len(id.Shard) == 2 && id.Shard[1] > 0 {
			c.shard, c.shards = id.Shard[0], id.Shard[1]
		}
		s.mu.Lock()
		s.identifies = append(s.identifies, first.Data)
		code := s.CloseOnIdentify
		s.notify()
		s.mu.Unlock()
		if code != 0 {
			c.mu.Lock()
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "rejected by the fake"), time.Now().Add(time.Second))
			c.mu.Unlock()
			return
		}
		if err := s.dispatchTo(r.Context(), c, "READY", map[string]any{
			"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws://" + r.Host + "/ws",
			"user":        map[string]any{"id": BotUserID, "username": "reportbot", "discriminator": "0", "bot": true},
			"application": map[string]any{"id": AppID, "flags": 0},
			"guilds":      []any{},
		}); err != nil {
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
		if f.Op == 1 {
			if err := c.send(r.Context(), map[string]any{"op": 11}); err != nil {
				return
			}
		}
	}
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
	for c := range s.conns {
		if c.ready && c.receives(guildID) {
			conns = append(conns, c)
		}
	}
	s.mu.Unlock()
	if len(conns) == 0 {
		return fmt.Errorf("discordtest: dispatch %s: no client connected", typ)
	}
	for _, c := range conns {
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
