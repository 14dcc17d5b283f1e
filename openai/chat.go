package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/embed"
	goopenai "github.com/sashabaranov/go-openai"
)

// Chat is a ChatModel on an OpenAI-compatible /chat/completions
// endpoint.
type Chat struct {
	p     *Provider
	model string
}

// NewChat returns a chat model client.
func NewChat(p *Provider, model string) (*Chat, error) {
	if model == "" {
		return nil, errors.New("openai chat: model is empty")
	}
	return &Chat{p: p, model: model}, nil
}

// Name implements ChatModel.
func (c *Chat) Name() string { return c.model }

// nearGreedy is the sampling temperature: go-openai drops an exact 0
// (omitempty), so a tiny positive value asks for near-greedy decoding.
const nearGreedy = 1e-6

// Chat implements ChatModel.
func (c *Chat) Chat(ctx context.Context, msgs []chat.Message, opt chat.Options) (string, error) {
	release, err := c.p.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	ctx, cancel := c.p.withDeadline(ctx)
	defer cancel()
	req := goopenai.ChatCompletionRequest{
		Model:               c.model,
		Temperature:         nearGreedy,
		MaxCompletionTokens: opt.MaxTokens,
	}
	for _, m := range msgs {
		req.Messages = append(req.Messages, goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	if opt.JSON {
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	if opt.OnDelta == nil {
		resp, err := c.p.client.CreateChatCompletion(ctx, req)
		if err != nil {
			return "", c.p.providerError("chat", err)
		}
		if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
			return "", fmt.Errorf("chat: %w: empty reply", embed.ErrProviderUnavailable)
		}
		return resp.Choices[0].Message.Content, nil
	}
	req.Stream = true
	stream, err := c.p.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", c.p.providerError("chat stream", err)
	}
	defer stream.Close()
	var b strings.Builder
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", c.p.providerError("chat stream", err)
		}
		if len(chunk.Choices) == 0 {
			continue
		}
		if d := chunk.Choices[0].Delta.Content; d != "" {
			b.WriteString(d)
			opt.OnDelta(d)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", fmt.Errorf("chat stream: %w: empty reply", embed.ErrProviderUnavailable)
	}
	return b.String(), nil
}
