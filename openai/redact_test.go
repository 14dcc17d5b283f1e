package openai

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/openai/openaitest"
	goopenai "github.com/sashabaranov/go-openai"
)

const redactKey = "sk-proj-Q7vX2mLp9TzR4wYb8NcK3hJd"

// leaks reports the longest run of key's characters found in s.
func leaks(s, key string) int {
	best := 0
	for i := range len(s) {
		for n := best + 1; i+n <= len(s) && n <= len(key); n++ {
			if strings.Contains(key, s[i:i+n]) {
				best = n
			}
		}
	}
	return best
}

// TestRedactScrubsCutKeys checks that an error echoing the key cut by
// 1..N characters (from either end), embedded in JSON, keeps fewer than
// minSecretRun of its characters, through a real 401 from the fake.
func TestRedactScrubsCutKeys(t *testing.T) {
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	var echo string
	srv.Chat = func(int, goopenai.ChatCompletionRequest) openaitest.Reply {
		return openaitest.Reply{Status: http.StatusUnauthorized,
			Raw: fmt.Sprintf(`{"error":{"message":"Incorrect API key provided: %s. Find your key at https://platform.openai.com.","type":"invalid_request_error","code":"invalid_api_key"}}`, echo)}
	}
	p, err := NewProvider(ProviderOptions{BaseURL: srv.BaseURL(), APIKey: redactKey, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewChat(p, "m")
	for cut := 0; cut <= len(redactKey)-minSecretRun; cut++ {
		for _, part := range []string{redactKey[:len(redactKey)-cut], redactKey[cut:], redactKey[:8] + "****" + redactKey[len(redactKey)-8:]} {
			echo = part
			_, err := c.Chat(t.Context(), []chat.Message{{Role: "user", Content: "q"}}, chat.Options{})
			if err == nil {
				t.Fatal("want a 401 error")
			}
			if n := leaks(err.Error(), redactKey); n >= minSecretRun {
				t.Errorf("key echoed as %q: %d characters of it left in %q", part, n, err.Error())
			}
		}
	}
	if got := scrub("Incorrect API key provided", redactKey); got != "Incorrect API key provided" {
		t.Errorf("scrub changed a message without the key: %q", got)
	}
}
