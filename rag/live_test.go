package rag

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/llmanswer"
	"github.com/reportbot/reportbot/openai"
)

// TestLiveProvider asks a real OpenAI-compatible provider, only when
// REPORTBOT_LIVE_BASE_URL and REPORTBOT_LIVE_MODEL are set (the key comes
// from OPENAI_API_KEY, empty for local servers). CI never sets them.
func TestLiveProvider(t *testing.T) {
	t.Parallel()
	base, model := os.Getenv("REPORTBOT_LIVE_BASE_URL"), os.Getenv("REPORTBOT_LIVE_MODEL")
	if base == "" || model == "" {
		t.Skip("set REPORTBOT_LIVE_BASE_URL and REPORTBOT_LIVE_MODEL to test a real provider")
	}
	p, err := openai.NewProvider(openai.ProviderOptions{BaseURL: base, APIKey: os.Getenv("OPENAI_API_KEY"), Timeout: 60 * time.Second, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	chat, err := openai.NewChat(p, model)
	if err != nil {
		t.Fatal(err)
	}
	d, err := testDict()
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t)
	e.dict = d
	e = e.WithLLM(llmanswer.Options{Chat: chat, Rewrite: true})
	for _, q := range []string{"2018年新增就业目标是多少?", "What was Wuqing's 2018 employment target?"} {
		a, err := e.Ask(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s → [%s] %s %+v", q, a.Mode, a.Text, a.Grounding)
		if !strings.Contains(a.Text, "3.4") {
			t.Errorf("%s: answer %q lacks the 2018 target", q, a.Text)
		}
	}
}
