package bot

import "slices"

// where is the place and person a question comes from.
type where struct {
	GuildID   string // empty in a direct message
	ChannelID string
	ParentID  string // the parent channel when ChannelID is a thread
	UserID    string
	Roles     []string
}

// permit says whether the allow-lists let w ask, and why not.
func (b *Bot) permit(w where) (bool, string) {
	o := b.opt
	if w.GuildID == "" {
		if !o.AnswerDMs {
			return false, "reportbot does not answer direct messages here. Ask in a server channel."
		}
		if why := b.dmPermit(w.UserID); why != "" {
			return false, why
		}
		return true, ""
	}
	if len(o.AllowedGuilds) > 0 && !slices.Contains(o.AllowedGuilds, w.GuildID) {
		return false, "reportbot is not enabled in this server."
	}
	if len(o.AllowedChannels) > 0 && !slices.Contains(o.AllowedChannels, w.ChannelID) &&
		(w.ParentID == "" || !slices.Contains(o.AllowedChannels, w.ParentID)) {
		return false, "reportbot is not enabled in this channel."
	}
	if len(o.AllowedRoles) > 0 && !hasAny(w.Roles, o.AllowedRoles) {
		return false, "reportbot answers only members with certain roles."
	}
	return true, ""
}

// isAdmin reports whether w may run admin commands: a server member with
// one of the admin roles. With no admin roles configured, nobody may.
func (b *Bot) isAdmin(w where) bool {
	return w.GuildID != "" && hasAny(w.Roles, b.opt.AdminRoles)
}

func hasAny(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}
