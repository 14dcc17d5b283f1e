package openai

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/openai/openaitest"
	goopenai "github.com/sashabaranov/go-openai"
)

// hugeReply is what a server that ignores the token limit sends: 10 MB.
var hugeReply = strings.Repeat("就业", 10<<20/6)

// TestChatSendsTheTokenLimitItsServerReads checks that the token limit goes
// in the field the server reads, never in both (OpenAI refuses both; the
// fake does too): max_completion_tokens to api.openai.com, max_tokens to
// other OpenAI-compatible servers.
func TestChatSendsTheTokenLimitItsServerReads(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Chat = func(int, goopenai.ChatCompletionRequest) openaitest.Reply { return openaitest.Reply{Content: "好"} }
	// api.openai.com is dialled on the fake's loopback address.
	toFake := http.DefaultTransport.(*http.Transport).Clone()
	toFake.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	for _, tc := range []struct {
		name, base                  string
		wantMaxTokens, wantMaxCompl int
	}{
		{"compatible", srv.BaseURL(), 600, 0},
		{"openai", "http://api.openai.com/v1", 0, 600},
	} {
		p, err := NewProvider(ProviderOptions{BaseURL: tc.base, Timeout: 10 * time.Second, Transport: toFake})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := NewChat(p, "m")
		if _, err := c.Chat(t.Context(), []chat.Message{{Role: "user", Content: "q"}}, chat.Options{MaxTokens: 600}); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		reqs := srv.ChatRequests()
		got := reqs[len(reqs)-1]
		//lint:ignore SA1019 checking the field compatible servers read
		maxTokens := got.MaxTokens
		if maxTokens != tc.wantMaxTokens || got.MaxCompletionTokens != tc.wantMaxCompl {
			t.Errorf("%s: max_tokens %d, max_completion_tokens %d; want %d, %d", tc.name,
				maxTokens, got.MaxCompletionTokens, tc.wantMaxTokens, tc.wantMaxCompl)
		}
	}
}

// TestChatCutsRepliesOverTheirBound checks that a server ignoring the token
// limit cannot make a reply longer than replyRunes: a stream is closed at
// the bound, a long non-streamed reply is cut, and a 10 MB non-streamed
// body is refused without being read whole.
func TestChatCutsRepliesOverTheirBound(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	long := strings.Repeat("增长", 3000) // 6,000 runes: over the bound, under the body bound
	srv.Chat = func(_ int, req goopenai.ChatCompletionRequest) openaitest.Reply {
		if req.Messages[0].Content == "long" {
			return openaitest.Reply{Content: long}
		}
		return openaitest.Reply{Content: hugeReply}
	}
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewChat(p, "m")
	limit := replyRunes(600)
	ask := func(q string, stream bool) (string, error) {
		opt := chat.Options{MaxTokens: 600}
		var deltas strings.Builder
		if stream {
			opt.OnDelta = func(d string) { deltas.WriteString(d) }
		}
		reply, err := c.Chat(t.Context(), []chat.Message{{Role: "user", Content: q}}, opt)
		if stream && deltas.String() != reply {
			t.Errorf("streamed %d runes, returned %d", utf8.RuneCountInString(deltas.String()), utf8.RuneCountInString(reply))
		}
		return reply, err
	}
	for _, tc := range []struct {
		q      string
		stream bool
	}{{"huge", true}, {"long", true}, {"long", false}} {
		start := time.Now()
		reply, err := ask(tc.q, tc.stream)
		if err != nil {
			t.Fatalf("%s stream=%v: %v", tc.q, tc.stream, err)
		}
		if n := utf8.RuneCountInString(reply); n != limit {
			t.Errorf("%s stream=%v: reply of %d runes; want it cut at %d", tc.q, tc.stream, n, limit)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s stream=%v: took %v", tc.q, tc.stream, d)
		}
	}
	_, err = ask("huge", false)
	if !errors.Is(err, embed.ErrProviderUnavailable) || !errors.Is(err, errBodyTooLarge) {
		t.Errorf("10 MB non-streamed reply: err %v; want errBodyTooLarge", err)
	}
}

func TestCutRunes(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
		cut  bool
	}{{"", 3, "", false}, {"abc", 3, "abc", false}, {"abcd", 3, "abc", true}, {"就业就业", 3, "就业就", true}, {"就业", 3, "就业", false}, {"a", 0, "", true}} {
		got, cut := cutRunes(tc.s, tc.n)
		if got != tc.want || cut != tc.cut {
			t.Errorf("cutRunes(%q, %d) = %q, %v; want %q, %v", tc.s, tc.n, got, cut, tc.want, tc.cut)
		}
	}
}
