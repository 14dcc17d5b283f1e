package discordtest

import (
	"net/http"
	"sync"
	"time"
)

// Discord's interaction timing: the first response must arrive within
// ackWindow of the interaction being sent, and the token then works for
// edits and follow-ups for tokenLife.
const (
	ackWindow = 3 * time.Second
	tokenLife = 15 * time.Minute
)

// A Clock tells the fake the time.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when Advance is called.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a ManualClock reading t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// interaction is the fake's state of one dispatched interaction.
type interaction struct {
	id        string
	created   time.Time
	acked     bool
	channelID string
	messageID string // for a component interaction, the message clicked
}

// callback answers POST /interactions/ID/TOKEN/callback: the first
// response within 3 s is accepted, a second is 40060, a late or unknown
// one 10062. s.mu is held.
func (s *Server) callback(id, token string, in map[string]any) (int, any) {
	st, ok := s.inters[token]
	if !ok || st.id != id || s.clock.Now().Sub(st.created) > ackWindow {
		return http.StatusNotFound, &apiError{Code: codeUnknownInter, Message: "Unknown interaction"}
	}
	if st.acked {
		return http.StatusBadRequest, &apiError{Code: codeAlreadyAcked, Message: "Interaction has already been acknowledged."}
	}
	typ, _ := in["type"].(float64)
	data, _ := in["data"].(map[string]any)
	if typ == 4 && isEmpty(data, nil) {
		return http.StatusBadRequest, emptyMessage
	}
	if typ == 4 || typ == 7 {
		fe := fieldErrors{}
		checkMessage(fe, "data.", data)
		if e := fe.body(); e != nil {
			return http.StatusBadRequest, e
		}
	}
	switch typ {
	case 4, 5: // a message response (or its deferral) becomes the original message
		msg := map[string]any{}
		if typ == 4 && data != nil {
			msg = data
		}
		id := s.newID()
		s.store(id, st.channelID, msg)
		s.originals[token] = id
	case 6, 7: // the original is the message clicked
		if st.messageID == "" {
			return http.StatusBadRequest, &apiError{Code: 50035, Message: "Invalid Form Body"}
		}
		if typ == 7 && data != nil {
			s.store(st.messageID, st.channelID, data)
		}
		s.originals[token] = st.messageID
	case 1, 8, 9, 10, 12:
	default:
		return http.StatusBadRequest, &apiError{Code: 50035, Message: "Invalid Form Body"}
	}
	st.acked = true
	return http.StatusNoContent, nil
}

// webhook answers the interaction webhook routes below
// /webhooks/APP/: rest is [TOKEN] (follow-up) or [TOKEN messages ID]
// (edit of @original or a follow-up). The token works only once the
// interaction is acknowledged and for 15 minutes. s.mu is held.
func (s *Server) webhook(method string, rest []string, in map[string]any, files []File) (int, any) {
	token := rest[0]
	st, ok := s.inters[token]
	if !ok || !st.acked || s.clock.Now().Sub(st.created) > tokenLife {
		return http.StatusNotFound, &apiError{Code: codeUnknownWebhook, Message: "Unknown Webhook"}
	}
	switch {
	case method == "POST" && len(rest) == 1:
		if isEmpty(in, files) {
			return http.StatusBadRequest, emptyMessage
		}
		if e := validateMessage(in); e != nil {
			return http.StatusBadRequest, e
		}
		return s.storeWithFiles(s.newID(), st.channelID, in, files)
	case method == "PATCH" && len(rest) == 3 && rest[1] == "messages":
		id := rest[2]
		if id == "@original" {
			id = s.originals[token]
		}
		if _, ok := s.messages[id]; !ok {
			return http.StatusNotFound, &apiError{Code: 10008, Message: "Unknown Message"}
		}
		if e := validateMessage(in); e != nil {
			return http.StatusBadRequest, e
		}
		return s.storeWithFiles(id, st.channelID, in, files)
	}
	return http.StatusNotFound, &apiError{Code: 0, Message: "404: Not Found"}
}
