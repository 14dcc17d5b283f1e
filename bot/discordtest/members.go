package discordtest

import "net/http"

// codeUnknownMember is Discord's error code for a user who is not a member
// of the guild asked about.
const codeUnknownMember = 10007

// WithMember makes user a member of guild with roles, as Get Guild Member
// (GET /guilds/GUILD/members/USER) reports it; anyone else is 404 code
// 10007 Unknown Member there. The bot uses it to check who may ask in a
// direct message.
func WithMember(guildID, userID string, roles ...string) Option {
	return func(s *Server) {
		if s.extra.members == nil {
			s.extra.members = map[string][]string{}
		}
		if roles == nil {
			roles = []string{}
		}
		s.extra.members[guildID+"/"+userID] = roles
	}
}

// routeMembers answers GET /guilds/GUILD/members/USER; ok is false for any
// other route. s.mu is held.
func (s *Server) routeMembers(method string, parts []string) (status int, resp any, ok bool) {
	if method != "GET" || len(parts) != 4 || parts[0] != "guilds" || parts[2] != "members" {
		return 0, nil, false
	}
	roles, member := s.extra.members[parts[1]+"/"+parts[3]]
	if !member {
		return http.StatusNotFound, &apiError{Code: codeUnknownMember, Message: "Unknown Member"}, true
	}
	return http.StatusOK, map[string]any{
		"user":  map[string]any{"id": parts[3], "username": "user" + parts[3], "discriminator": "0"},
		"roles": roles, "joined_at": "2026-01-01T00:00:00+00:00", "deaf": false, "mute": false,
	}, true
}
