package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// testToken looks like a real bot token; errors must never repeat it.
const testToken = "MTA5ODc2NTQzMjEwOTg3NjU0.GzXy9Q.s3cr3t-t0ken-value-never-logged"

// env is a lookup function over a map, standing in for os.LookupEnv.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func TestDefaultIsValid(t *testing.T) {
	t.Parallel()
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	cfg, err := Parse(nil)
	if err != nil || !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("Parse(nil) = %+v, %v; want the defaults", cfg, err)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "corpus:\n  dirr: x\n", "dirr"},
		{"wrong type", "embedder:\n  dim: lots\n", "lots"},
		{"bad value", "embedder:\n  dim: 100\n", "embedder.dim is 100"},
		{"two documents", "log:\n  level: info\n---\nlog:\n  level: warn\n", "more than one YAML document"},
		{"bad log level", "log:\n  level: loud\n", "log.level is \"loud\""},
		{"bad ops listen", "ops:\n  listen: localhost\n", "ops.listen"},
		{"no base url", "llm:\n  chat_model: gpt-4o-mini\n", "provider.base_url is empty"},
		{"bad base url", "provider:\n  base_url: localhost:11434\nllm:\n  chat_model: m\n", "provider.base_url"},
		{"bad timeout", "provider:\n  timeout: soon\n", "soon"},
		{"short timeout", "provider:\n  timeout: 1ms\n", "provider.timeout"},
		{"azure without version", "provider:\n  azure: true\n", "provider.api_version"},
		{"openai embedder without model", "embedder:\n  kind: openai\n", "embedder.model"},
		{"unknown llm key", "llm:\n  chat_modle: m\n", "chat_modle"},
		{"bad max passages", "llm:\n  max_passages: 0\n", "llm.max_passages is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDecodeErrorKeepsYAMLError(t *testing.T) {
	t.Parallel()
	_, err := Read(strings.NewReader("embedder:\n  dim: lots\n"))
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		t.Errorf("error %v: the decoder's *yaml.TypeError is not reachable with errors.As", err)
	}
	if err != nil && strings.HasPrefix(err.Error(), "yaml: ") {
		t.Errorf("error %q keeps the decoder's prefix", err)
	}
}

func TestStoreConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"default is chromem", "", ""},
		{"weaviate", "store:\n  kind: weaviate\n  weaviate:\n    urls: [http://10.0.0.1:8080, http://10.0.0.2:8080]\n    replication_factor: 2\n    timeout: 3s\n    refresh_interval: 1m\n", ""},
		{"unknown kind", "store:\n  kind: qdrant\n", "store.kind"},
		{"chromem int8", "store:\n  kind: chromem\n  chromem:\n    vector_search: int8\n", ""},
		{"bad vector search", "store:\n  chromem:\n    vector_search: hnsw\n", "store.chromem.vector_search"},
		{"bad url", "store:\n  kind: weaviate\n  weaviate:\n    urls: [localhost:8080]\n", "store.weaviate.urls"},
		{"no urls", "store:\n  kind: weaviate\n  weaviate:\n    urls: []\n", "store.weaviate.urls is empty"},
		{"bad collection", "store:\n  kind: weaviate\n  weaviate:\n    collection: passages\n", "store.weaviate.collection"},
		{"bad replication", "store:\n  kind: weaviate\n  weaviate:\n    replication_factor: 0\n", "store.weaviate.replication_factor"},
		{"bad tokenization", "store:\n  kind: weaviate\n  weaviate:\n    tokenization: jieba\n", "store.weaviate.tokenization"},
		{"no compression", "store:\n  kind: weaviate\n  weaviate:\n    compression: none\n", ""},
		{"bad compression", "store:\n  kind: weaviate\n  weaviate:\n    compression: pq\n", "store.weaviate.compression"},
		{"bad alpha", "store:\n  kind: weaviate\n  weaviate:\n    alpha: 0\n", "store.weaviate.alpha"},
		{"bad consistency", "store:\n  kind: weaviate\n  weaviate:\n    read_consistency: TWO\n", "store.weaviate.read_consistency"},
		{"bad duration", "store:\n  kind: weaviate\n  weaviate:\n    timeout: soon\n", "soon"},
		{"bad refresh", "store:\n  kind: weaviate\n  weaviate:\n    refresh_interval: 10ms\n", "store.weaviate.refresh_interval"},
		{"unknown key", "store:\n  kind: weaviate\n  weaviate:\n    url: http://x\n", "url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Parse([]byte(tt.yaml))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Parse error = %v, want one naming %q", err, tt.wantErr)
			}
			if tt.name == "weaviate" && (len(cfg.Store.Weaviate.URLs) != 2 || cfg.Store.Weaviate.Timeout != 3*time.Second ||
				cfg.Store.Weaviate.RefreshInterval != time.Minute || cfg.Store.Weaviate.Collection != "ReportbotPassages") {
				t.Errorf("decoded %+v", cfg.Store.Weaviate)
			}
		})
	}
}

func TestDiscordConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string // want "" means valid
	}{
		{name: "defaults", yaml: "discord:\n"},
		{name: "full", yaml: "discord:\n  guild_ids: [\"100000000000000001\"]\n  rate_limit: 0\n  edit_interval: 2s\n  answer_dms: true\n"},
		{name: "unknown key", yaml: "discord:\n  tokn_env: X\n", want: "discord.tokn_env is not a known key"},
		{name: "not a mapping", yaml: "discord: yes\n", want: "discord must be a section of keys"},
		{name: "empty token env", yaml: "discord:\n  token_env: \"\"\n", want: "discord.token_env is empty"},
		{name: "token pasted as env name", yaml: "discord:\n  token_env: " + testToken + "\n", want: "discord.token_env is not an environment variable name"},
		{name: "bad id", yaml: "discord:\n  allowed_channels: [general]\n", want: "discord.allowed_channels has \"general\""},
		{name: "bad application id", yaml: "discord:\n  application_id: app\n", want: "discord.application_id has \"app\""},
		{name: "wrong type", yaml: "discord:\n  rate_limit: lots\n", want: "lots"},
		{name: "bad duration", yaml: "discord:\n  edit_interval: 10ms\n", want: "discord.edit_interval is 10ms"},
		{name: "shard out of range", yaml: "discord:\n  shard_count: 2\n  shard_id: 2\n", want: "discord.shard_id is 2"},
		{name: "no shards", yaml: "discord:\n  shard_count: 0\n", want: "discord.shard_count is 0"},
		{name: "bad api url", yaml: "discord:\n  api_url: ftp://x\n", want: "discord.api_url"},
		{name: "api url with path", yaml: "discord:\n  api_url: http://127.0.0.1:8080/api\n", want: "discord.api_url"},
		{name: "concurrency", yaml: "discord:\n  max_concurrent: 0\n", want: "discord.max_concurrent is 0"},
		{name: "queue", yaml: "discord:\n  queue_size: -1\n", want: "discord.queue_size is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Parse([]byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("valid config rejected: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			case tt.want != "" && strings.Contains(err.Error(), testToken):
				t.Errorf("the error repeats the pasted token: %v", err)
			case tt.want == "" && tt.name == "defaults" && cfg.DiscordOrDefault().TokenEnv != "DISCORD_BOT_TOKEN":
				t.Errorf("defaults not applied: %+v", cfg.DiscordOrDefault())
			}
		})
	}
}

func TestDiscordToken(t *testing.T) {
	t.Parallel()
	d := DefaultDiscord()
	tests := []struct {
		name string
		vars map[string]string
		want string // "" means an error
	}{
		{"unset", nil, ""},
		{"blank", map[string]string{"DISCORD_BOT_TOKEN": "  "}, ""},
		{"plain", map[string]string{"DISCORD_BOT_TOKEN": testToken}, testToken},
		{"with prefix and newline", map[string]string{"DISCORD_BOT_TOKEN": " Bot " + testToken + "\n"}, testToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := d.Token(env(tt.vars))
			switch {
			case tt.want == "" && (err == nil || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN is empty")):
				t.Errorf("Token = %q, %v; want an error naming DISCORD_BOT_TOKEN", got, err)
			case tt.want != "" && (err != nil || got != tt.want):
				t.Errorf("Token = %q, %v; want the token", got, err)
			}
		})
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte("provider:\n  base_url: http://127.0.0.1:1/v1\n  api_key_env: FAKE_KEY\nllm:\n  chat_model: m\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.APIKey(env(nil)); err == nil || !strings.Contains(err.Error(), "FAKE_KEY, which is not set") {
		t.Errorf("missing key: err = %v, want one naming the variable", err)
	}
	if key, err := cfg.APIKey(env(map[string]string{"FAKE_KEY": "k"})); err != nil || key != "k" {
		t.Errorf("with key: %q, %v", key, err)
	}
	if key, err := Default().APIKey(env(nil)); err != nil || key != "" {
		t.Errorf("offline needs no key: %q, %v", key, err)
	}

	wc := Default().Store.Weaviate
	if key, err := wc.APIKey(env(nil)); err != nil || key != "" {
		t.Errorf("anonymous Weaviate: %q, %v", key, err)
	}
	wc.APIKeyEnv = "WEAVIATE_API_KEY"
	if _, err := wc.APIKey(env(nil)); err == nil || !strings.Contains(err.Error(), "WEAVIATE_API_KEY") {
		t.Errorf("missing Weaviate key: err = %v, want one naming the variable", err)
	}
	if key, err := wc.APIKey(env(map[string]string{"WEAVIATE_API_KEY": "k"})); err != nil || key != "k" {
		t.Errorf("with Weaviate key: %q, %v", key, err)
	}
}

func TestConfigExampleIsValid(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(data)
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	// (printed, so that an empty list equals a nil one)
	if cfg.Discord == nil || fmt.Sprintf("%+v", *cfg.Discord) != fmt.Sprintf("%+v", DefaultDiscord()) {
		t.Errorf("config.example.yaml's discord section differs from the defaults: %+v", cfg.Discord)
	}
	cfg.Discord = nil
	if !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("config.example.yaml differs from the defaults:\n%+v\n%+v", cfg, Default())
	}
	// The example's Ollama recipe: a local server, no key.
	ollama := strings.Replace(strings.Replace(string(data), `base_url: ""`, "base_url: http://localhost:11434/v1", 1),
		`chat_model: ""`, "chat_model: qwen2.5:7b", 1)
	ollama = strings.Replace(ollama, "api_key_env: OPENAI_API_KEY", `api_key_env: ""`, 1)
	c, err := Read(strings.NewReader(ollama))
	if err != nil {
		t.Errorf("Ollama variant: %v", err)
	}
	if key, err := c.APIKey(env(nil)); err != nil || key != "" {
		t.Errorf("Ollama needs no key: %q, %v", key, err)
	}
}

// exampleRecipe returns the commented YAML block under the comment line
// that starts with "# "+heading in config.example.yaml, uncommented.
func exampleRecipe(t *testing.T, data, heading string) string {
	t.Helper()
	var b strings.Builder
	in := false
	for line := range strings.Lines(data) {
		switch {
		case strings.HasPrefix(line, "# "+heading):
			in = true
		case in && strings.HasPrefix(line, "#     "):
			b.WriteString(strings.TrimPrefix(line, "#     "))
		case in:
			return b.String()
		}
	}
	t.Fatalf("config.example.yaml has no recipe %q", heading)
	return ""
}

func TestConfigExampleRecipes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data := string(raw)
	if o, a := strings.Index(data, "# Ollama"), strings.Index(data, "# OpenAI"); o < 0 || a < 0 || o > a {
		t.Errorf("config.example.yaml: the Ollama recipe (at %d) must come before the OpenAI one (at %d)", o, a)
	}

	ollama, err := Parse([]byte(exampleRecipe(t, data, "Ollama")))
	if err != nil {
		t.Fatalf("Ollama recipe: %v", err)
	}
	if ollama.Provider.BaseURL != "http://localhost:11434/v1" || ollama.LLM.ChatModel == "" || !ollama.UsesProvider() {
		t.Errorf("Ollama recipe: provider %+v, llm %+v", ollama.Provider, ollama.LLM)
	}
	if key, err := ollama.APIKey(env(nil)); err != nil || key != "" {
		t.Errorf("Ollama recipe needs no key: %q, %v", key, err)
	}

	openai, err := Parse([]byte(exampleRecipe(t, data, "OpenAI")))
	if err != nil {
		t.Fatalf("OpenAI recipe: %v", err)
	}
	if _, err := openai.APIKey(env(nil)); err == nil || !strings.Contains(err.Error(), "OPENAI_API_KEY") {
		t.Errorf("OpenAI recipe without the key: err = %v, want one naming OPENAI_API_KEY", err)
	}
	if key, err := openai.APIKey(env(map[string]string{"OPENAI_API_KEY": "sk-test"})); err != nil || key != "sk-test" {
		t.Errorf("OpenAI recipe: %q, %v", key, err)
	}
}
