package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

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

// Reply bounds. A server may ignore the token limit it is sent (it reads
// the other field, or none), so the client cuts the reply itself.
const (
	// defaultReplyTokens stands for the token limit of a call that sets
	// none.
	defaultReplyTokens = 4096
	// runesPerToken and replySlackRunes make the rune bound of a reply:
	// runesPerToken×tokens + replySlackRunes, above any honest reply
	// (about 1.5 runes a token for Chinese, 4 for English).
	runesPerToken   = 4
	replySlackRunes = 256
	// bytesPerRune bounds a non-streamed body per allowed rune: UTF-8 is at
	// most 4 bytes a rune, a \uXXXX escape 6, surrogate pairs 12 for two.
	bytesPerRune = 8
	// bytesPerChunk bounds a streamed body per allowed rune: every chunk
	// repeats its envelope (id, model, choices), and a chunk carries at
	// least one token.
	bytesPerChunk = 1 << 10
	// bodySlack is added to both body bounds (envelope, usage, headers of
	// an error).
	bodySlack = 64 << 10
)

// replyRunes is the most runes of a reply kept for a call of maxTokens.
func replyRunes(maxTokens int) int {
	if maxTokens <= 0 {
		maxTokens = defaultReplyTokens
	}
	return runesPerToken*maxTokens + replySlackRunes
}

// usesMaxCompletionTokens reports whether the API reads the token limit
// from max_completion_tokens only: OpenAI itself and Azure OpenAI, which
// reject max_tokens for reasoning models and reject both fields sent
// together ("invalid_parameter_combination"). Other OpenAI-compatible
// servers (Ollama, llama.cpp, vLLM, LM Studio, DeepSeek...) all read
// max_tokens; several ignore max_completion_tokens or refuse it as an
// unknown field.
func (p *Provider) usesMaxCompletionTokens() bool {
	if p.opt.Azure {
		return true
	}
	u, err := url.Parse(p.opt.BaseURL)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com")
}

// Chat implements ChatModel. The reply is cut at replyRunes(opt.MaxTokens)
// runes whatever the server does: a longer stream is closed there and the
// reply returned as it stands (truncated, like a reply that reached its
// token limit); a non-streamed body too large to hold such a reply fails
// without being read further.
func (c *Chat) Chat(ctx context.Context, msgs []chat.Message, opt chat.Options) (string, error) {
	release, err := c.p.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	ctx, cancel := c.p.withDeadline(ctx)
	defer cancel()
	req := goopenai.ChatCompletionRequest{Model: c.model, Temperature: nearGreedy}
	if c.p.usesMaxCompletionTokens() {
		req.MaxCompletionTokens = opt.MaxTokens
	} else {
		//lint:ignore SA1019 deprecated by OpenAI only; the field other OpenAI-compatible servers read
		req.MaxTokens = opt.MaxTokens
	}
	for _, m := range msgs {
		req.Messages = append(req.Messages, goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	if opt.JSON {
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	limit := replyRunes(opt.MaxTokens)
	if opt.OnDelta == nil {
		return c.complete(withBodyLimit(ctx, int64(limit)*bytesPerRune+bodySlack), req, limit)
	}
	return c.stream(withBodyLimit(ctx, int64(limit)*bytesPerChunk+bodySlack), req, limit, opt.OnDelta)
}

// complete sends a non-streamed request and returns the reply cut at limit
// runes.
func (c *Chat) complete(ctx context.Context, req goopenai.ChatCompletionRequest, limit int) (string, error) {
	resp, err := c.p.client.CreateChatCompletion(ctx, req)
	if err != nil {
		return "", c.p.providerError(ctx, "chat", err)
	}
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
		return "", fmt.Errorf("chat: %w: empty reply", embed.ErrProviderUnavailable)
	}
	reply, cut := cutRunes(resp.Choices[0].Message.Content, limit)
	if cut {
		c.p.opt.Log.Warn("model reply over its bound; truncated", "model", c.model, "max_runes", limit)
	}
	return reply, nil
}

// stream sends a streamed request, passes each piece to onDelta and stops
// reading once the reply reaches limit runes.
func (c *Chat) stream(ctx context.Context, req goopenai.ChatCompletionRequest, limit int, onDelta func(string)) (string, error) {
	req.Stream = true
	stream, err := c.p.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", c.p.providerError(ctx, "chat stream", err)
	}
	defer stream.Close()
	var b strings.Builder
	n := 0
	for n < limit {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errBodyTooLarge) && strings.TrimSpace(b.String()) != "" {
			n = limit // keep what came: truncated
			break
		}
		if err != nil {
			return "", c.p.providerError(ctx, "chat stream", err)
		}
		if len(chunk.Choices) == 0 {
			continue
		}
		d, _ := cutRunes(chunk.Choices[0].Delta.Content, limit-n)
		if d != "" {
			n += utf8.RuneCountInString(d)
			b.WriteString(d)
			onDelta(d)
		}
	}
	if n >= limit {
		c.p.opt.Log.Warn("model reply over its bound; stream closed and reply truncated", "model", c.model, "max_runes", limit)
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", fmt.Errorf("chat stream: %w: empty reply", embed.ErrProviderUnavailable)
	}
	return b.String(), nil
}

// cutRunes returns s cut to at most n runes, and whether it was cut.
func cutRunes(s string, n int) (string, bool) {
	if n <= 0 {
		return "", s != ""
	}
	if len(s) <= n {
		return s, false
	}
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}
