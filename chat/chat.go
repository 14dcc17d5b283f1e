// Package chat is the small interface to a chat model that the answering
// packages are written against (Model, Message, Options); package openai
// implements it.
package chat

import "context"

// Message is one chat message: Role is "system", "user" or "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Options tune one chat call.
type Options struct {
	// OnDelta, when set, streams the reply: it receives each piece as it
	// arrives.
	OnDelta func(delta string)
	// JSON asks for a JSON object reply.
	JSON bool
	// MaxTokens bounds the reply (0: the model's default).
	MaxTokens int
}

// Model generates a reply to a conversation.
type Model interface {
	// Chat returns the whole reply. An unusable reply (empty, malformed)
	// is an error wrapping ErrProviderUnavailable.
	Chat(ctx context.Context, msgs []Message, opt Options) (string, error)
	// Name identifies the model in logs and answers.
	Name() string
}
