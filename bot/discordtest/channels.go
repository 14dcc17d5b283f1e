package discordtest

import "net/http"

// codeUnknownChannel is Discord's error code for a channel it does not
// know (or the bot cannot see).
const codeUnknownChannel = 10003

// extraState holds what the routes of members.go and channels.go answer.
type extraState struct {
	members map[string][]string       // "GUILD/USER" -> roles
	threads map[string]map[string]any // thread id -> its channel object
}

// routeExtra answers the routes of members.go and channels.go; ok is false
// for any other route. s.mu is held.
func (s *Server) routeExtra(method string, parts []string) (status int, resp any, ok bool) {
	if status, resp, ok := s.routeMembers(method, parts); ok {
		return status, resp, true
	}
	return s.routeChannel(method, parts)
}

// WithThread makes GET /channels/ID answer a public thread in channel
// parentID (a forum, say) of guildID, as Discord does for a thread the
// bot can see whether or not a THREAD_CREATE reached it. Other channels
// are 404 code 10003 Unknown Channel there.
func WithThread(id, parentID, guildID string) Option {
	return func(s *Server) {
		if s.extra.threads == nil {
			s.extra.threads = map[string]map[string]any{}
		}
		s.extra.threads[id] = map[string]any{
			"id": id, "type": 11, "guild_id": guildID, "parent_id": parentID, "name": "thread " + id,
			"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false},
		}
	}
}

// routeChannel answers GET /channels/ID; ok is false for any other route.
// s.mu is held.
func (s *Server) routeChannel(method string, parts []string) (status int, resp any, ok bool) {
	if method != "GET" || len(parts) != 2 || parts[0] != "channels" {
		return 0, nil, false
	}
	if th, known := s.extra.threads[parts[1]]; known {
		return http.StatusOK, th, true
	}
	return http.StatusNotFound, &apiError{Code: codeUnknownChannel, Message: "Unknown Channel"}, true
}
