package config

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Provider is the provider: section, the OpenAI-compatible API used for LLM
// answers and API embeddings.
type Provider struct {
	// BaseURL is the API root; empty means offline.
	BaseURL string `yaml:"base_url"`
	// APIKeyEnv names the environment variable holding the key; empty for
	// servers that need none (a local Ollama).
	APIKeyEnv string `yaml:"api_key_env"`
	// Azure selects Azure OpenAI; APIVersion is then required.
	Azure      bool   `yaml:"azure"`
	APIVersion string `yaml:"api_version"`
	// Timeout bounds one call, retries included.
	Timeout time.Duration `yaml:"timeout"`
	// AttemptTimeout bounds the wait for one attempt's response headers;
	// an attempt that times out is retried. 0: timeout (no such retry).
	AttemptTimeout time.Duration `yaml:"attempt_timeout"`
	// MaxRetries for 429/5xx/timeouts, with backoff and Retry-After.
	MaxRetries int `yaml:"max_retries"`
	// MaxConcurrency bounds calls in flight.
	MaxConcurrency int `yaml:"max_concurrency"`
}

// LLM is the llm: section; ChatModel turns on model-written answers.
type LLM struct {
	// ChatModel answers questions; empty means offline extractive answers.
	ChatModel string `yaml:"chat_model"`
	// RewriteQueries asks the model for a Chinese query and filters for
	// English, year-specific, target/actual and follow-up questions.
	RewriteQueries bool `yaml:"rewrite_queries"`
	// MaxPassages the model reads per question.
	MaxPassages int `yaml:"max_passages"`
	// HistoryTokens bounds the conversation history sent with a follow-up.
	HistoryTokens int `yaml:"history_tokens"`
	// MaxAnswerTokens bounds a reply.
	MaxAnswerTokens int `yaml:"max_answer_tokens"`
}

func defaultProvider() Provider {
	return Provider{APIKeyEnv: "OPENAI_API_KEY", Timeout: 60 * time.Second, MaxRetries: 4, MaxConcurrency: 4}
}

func defaultLLM() LLM {
	return LLM{RewriteQueries: true, MaxPassages: 6, HistoryTokens: 1500, MaxAnswerTokens: 600}
}

// UsesProvider reports whether anything needs the provider: a chat model
// or the openai embedder.
func (c Config) UsesProvider() bool {
	return c.LLM.ChatModel != "" || c.Embed.Kind == EmbedOpenAI
}

func (c Config) validateProvider() error {
	var errs []error
	p := c.Provider
	if c.UsesProvider() {
		switch u, err := url.Parse(p.BaseURL); {
		case p.BaseURL == "":
			errs = append(errs, errors.New("provider.base_url is empty but llm.chat_model or embedder.kind: openai needs it: set https://api.openai.com/v1, or http://localhost:11434/v1 for Ollama"))
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("provider.base_url is %q: use an http(s) URL such as https://api.openai.com/v1", p.BaseURL))
		}
	}
	if p.Azure && p.APIVersion == "" {
		errs = append(errs, errors.New("provider.azure is true but provider.api_version is empty: set the Azure OpenAI API version, e.g. 2024-10-21"))
	}
	if p.Timeout < time.Second || p.Timeout > 10*time.Minute {
		errs = append(errs, fmt.Errorf("provider.timeout is %s: use 1s to 10m (default 60s)", p.Timeout))
	}
	if p.AttemptTimeout != 0 && (p.AttemptTimeout < 100*time.Millisecond || p.AttemptTimeout > p.Timeout) {
		errs = append(errs, fmt.Errorf("provider.attempt_timeout is %s: use 0s (off: one deadline, provider.timeout) or 100ms to provider.timeout (%s)", p.AttemptTimeout, p.Timeout))
	}
	if p.MaxRetries < 0 || p.MaxRetries > 10 {
		errs = append(errs, fmt.Errorf("provider.max_retries is %d: use 0 to 10 (default 4)", p.MaxRetries))
	}
	if p.MaxConcurrency < 1 || p.MaxConcurrency > 64 {
		errs = append(errs, fmt.Errorf("provider.max_concurrency is %d: use 1 to 64 (default 4)", p.MaxConcurrency))
	}
	return errors.Join(append(errs, c.LLM.validate())...)
}

func (l LLM) validate() error {
	var errs []error
	if l.MaxPassages < 1 || l.MaxPassages > 20 {
		errs = append(errs, fmt.Errorf("llm.max_passages is %d: use 1 to 20 (default 6)", l.MaxPassages))
	}
	if l.HistoryTokens < 0 || l.HistoryTokens > 32000 {
		errs = append(errs, fmt.Errorf("llm.history_tokens is %d: use 0 to 32000 (default 1500)", l.HistoryTokens))
	}
	if l.MaxAnswerTokens < 50 || l.MaxAnswerTokens > 8000 {
		errs = append(errs, fmt.Errorf("llm.max_answer_tokens is %d: use 50 to 8000 (default 600)", l.MaxAnswerTokens))
	}
	return errors.Join(errs...)
}

// APIKey returns the provider's key from the environment variable APIKeyEnv
// names, looked up with lookup (os.LookupEnv): "" when nothing uses the
// provider or no variable is named. A named but unset or empty variable is
// an error that says how to fix it; the value never appears in messages.
func (c Config) APIKey(lookup func(string) (string, bool)) (string, error) {
	name := c.Provider.APIKeyEnv
	if name == "" || !c.UsesProvider() {
		return "", nil
	}
	key, _ := lookup(name)
	if key == "" {
		return "", fmt.Errorf("provider.api_key_env names %s, which is not set: export %s=<your key>, or set api_key_env: \"\" for a server that needs no key (Ollama, vLLM)", name, name)
	}
	return key, nil
}
