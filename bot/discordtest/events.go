package discordtest

import (
	"context"
	"fmt"
)

// Command is a slash command invocation to dispatch.
type Command struct {
	Name      string
	Options   map[string]string // string options by name
	Bools     map[string]bool   // boolean options by name
	GuildID   string            // empty: a direct message
	ChannelID string
	UserID    string
	Roles     []string
}

// Interaction identifies a dispatched interaction.
type Interaction struct {
	ID, Token string
}

// Command dispatches an INTERACTION_CREATE for a slash command.
func (s *Server) Command(ctx context.Context, c Command) (Interaction, error) {
	var opts []map[string]any
	for k, v := range c.Options {
		opts = append(opts, map[string]any{"name": k, "type": 3, "value": v})
	}
	for k, v := range c.Bools {
		opts = append(opts, map[string]any{"name": k, "type": 5, "value": v})
	}
	data := map[string]any{"id": "800000000000000001", "name": c.Name, "type": 1, "options": opts}
	return s.interaction(ctx, 2, c.GuildID, c.ChannelID, c.UserID, c.Roles, data, nil)
}

// Click is a button press on a message to dispatch.
type Click struct {
	CustomID  string
	MessageID string // the message the button is on
	GuildID   string
	ChannelID string
	UserID    string
	Roles     []string
}

// Click dispatches an INTERACTION_CREATE for a button press; the message
// carries the content and components the fake holds for MessageID.
func (s *Server) Click(ctx context.Context, c Click) (Interaction, error) {
	s.mu.Lock()
	msg := s.messages[c.MessageID]
	var copyMsg map[string]any
	if msg != nil {
		copyMsg = make(map[string]any, len(msg))
		for k, v := range msg {
			copyMsg[k] = v
		}
	}
	s.mu.Unlock()
	if copyMsg == nil {
		return Interaction{}, fmt.Errorf("discordtest: click: no message %s", c.MessageID)
	}
	data := map[string]any{"custom_id": c.CustomID, "component_type": 2}
	return s.interaction(ctx, 3, c.GuildID, c.ChannelID, c.UserID, c.Roles, data, copyMsg)
}

func (s *Server) interaction(ctx context.Context, typ int, guildID, channelID, userID string, roles []string, data, message map[string]any) (Interaction, error) {
	s.mu.Lock()
	id, token := s.newID(), "tok-"+s.newID()
	st := &interaction{id: id, created: s.clock.Now(), channelID: channelID}
	if message != nil {
		st.messageID, _ = message["id"].(string)
	}
	s.inters[token] = st
	if guildID != "" {
		s.guildOf[channelID] = guildID
	}
	s.mu.Unlock()
	user := map[string]any{"id": userID, "username": "user" + userID, "discriminator": "0"}
	ev := map[string]any{
		"id": id, "application_id": AppID, "type": typ, "token": token, "version": 1,
		"channel_id": channelID, "data": data, "locale": "zh-CN",
	}
	if guildID != "" {
		ev["guild_id"] = guildID
		if roles == nil {
			roles = []string{}
		}
		ev["member"] = map[string]any{"user": user, "roles": roles}
	} else {
		ev["user"] = user
	}
	if message != nil {
		ev["message"] = message
	}
	return Interaction{ID: id, Token: token}, s.Dispatch(ctx, "INTERACTION_CREATE", ev)
}

// Message is a user message to dispatch as MESSAGE_CREATE.
type Message struct {
	Content   string
	GuildID   string // empty: a direct message
	ChannelID string
	UserID    string
	Roles     []string
	// MentionsBot lists the bot among the message's mentions, as Discord
	// does when the content holds <@BotUserID>.
	MentionsBot bool
	// Bot marks the author as a bot.
	Bot bool
}

// Say dispatches a MESSAGE_CREATE and returns the message id.
func (s *Server) Say(ctx context.Context, m Message) (string, error) {
	s.mu.Lock()
	id := s.newID()
	if m.GuildID != "" {
		s.guildOf[m.ChannelID] = m.GuildID
	}
	s.mu.Unlock()
	author := map[string]any{"id": m.UserID, "username": "user" + m.UserID, "discriminator": "0", "bot": m.Bot}
	ev := map[string]any{"id": id, "channel_id": m.ChannelID, "content": m.Content, "author": author, "type": 0, "mentions": []any{}}
	if m.MentionsBot {
		ev["mentions"] = []any{map[string]any{"id": BotUserID, "username": "reportbot", "bot": true}}
	}
	if m.GuildID != "" {
		ev["guild_id"] = m.GuildID
		roles := m.Roles
		if roles == nil {
			roles = []string{}
		}
		ev["member"] = map[string]any{"roles": roles}
	}
	return id, s.Dispatch(ctx, "MESSAGE_CREATE", ev)
}
