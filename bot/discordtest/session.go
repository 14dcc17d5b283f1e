package discordtest

import (
	"context"
	"encoding/json"
	"sync"
)

// maxReplay is how many recent events a session keeps for replay.
const maxReplay = 1000

// session is one gateway session, begun by an IDENTIFY. It outlives its
// connections, as Discord's do: its dispatches are numbered, sent to its
// live connection only, and kept, so that a client that resumes after a
// dropped connection gets the events past its last sequence number
// before RESUMED (an event sent to a connection that was dying is not
// lost).
type session struct {
	id            string
	shard, shards int
	intents       int

	mu   sync.Mutex // serialises dispatches, starts and resumes
	seq  int64
	log  []frame
	conn *gatewayConn // the live connection; nil while disconnected
}

// receives reports whether the session's shard gets guildID's events.
func (ss *session) receives(guildID string) bool {
	return ss.shards <= 1 || ShardOf(guildID, ss.shards) == ss.shard
}

// dispatch numbers an event, keeps it and sends it to the live
// connection, if any. A failed send is not an error: the client gets the
// event when it resumes.
func (ss *session) dispatch(ctx context.Context, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.send(ctx, frame{Op: 0, Type: typ, Data: raw}, true)
	return nil
}

// send numbers f, keeps it when replay is set, and sends it on the live
// connection; ss.mu is held. It reports whether the send succeeded.
func (ss *session) send(ctx context.Context, f frame, replay bool) bool {
	ss.seq++
	f.Seq = ss.seq
	if replay {
		ss.log = append(ss.log, f)
		if len(ss.log) > maxReplay {
			ss.log = ss.log[len(ss.log)-maxReplay:]
		}
	}
	return ss.conn != nil && ss.conn.send(ctx, f) == nil
}

// start makes c the session's connection and sends READY and the
// GUILD_CREATEs on it; ss.mu is held.
func (ss *session) start(ctx context.Context, c *gatewayConn, ready map[string]any, guilds []any) bool {
	ss.conn = c
	if !ss.send(ctx, frameOf("READY", ready), true) {
		return false
	}
	for _, g := range guilds {
		id := g.(map[string]any)["id"].(string)
		if !ss.send(ctx, frameOf("GUILD_CREATE", guildObject(id)), true) {
			return false
		}
	}
	return true
}

// resume makes c the session's connection, replays the events after seq
// and sends RESUMED.
func (ss *session) resume(ctx context.Context, c *gatewayConn, seq int64) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, f := range ss.log {
		if f.Seq > seq && c.send(ctx, f) != nil {
			return false
		}
	}
	ss.conn = c
	return ss.send(ctx, frameOf("RESUMED", map[string]any{}), false)
}

// detach forgets c as the session's connection, if it is.
func (ss *session) detach(c *gatewayConn) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.conn == c {
		ss.conn = nil
	}
}

// frameOf is a dispatch frame of data, which must marshal.
func frameOf(typ string, data any) frame {
	raw, _ := json.Marshal(data)
	return frame{Op: 0, Type: typ, Data: raw}
}
