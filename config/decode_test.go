package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// goNames are fragments of yaml.v3's and Go's own wording that a config
// error must never show: Go type names, YAML tags, the decoder's phrases.
var goNames = []string{"main.", "config.Config", "config.", "time.Duration", "[]string", "!!int", "!!str", "!!seq", "!!map",
	"not found in type", "cannot unmarshal", "reflect", "yaml: "}

// checkMessage reports a message that lacks one of wants or shows a Go name.
func checkMessage(t *testing.T, msg string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\nwant it to contain %q", msg, want)
		}
	}
	for _, bad := range goNames {
		// "config.example.yaml" is the file users copy, not a type.
		if strings.Contains(strings.ReplaceAll(msg, "config.example.yaml", ""), bad) {
			t.Errorf("error %q shows %q", msg, bad)
		}
	}
}

func TestDecodeMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string // the key path, the fix, ...
	}{
		// Unknown keys: the full path, a suggestion, the section's keys, once.
		{"nested typo", "corpus:\n  dirr: x\n",
			[]string{"line 2: corpus.dirr is not a known key (did you mean corpus.dir?); known keys of corpus: dir, max_passage_runes, max_file_mb, follow_links, ocr"}},
		{"top-level typo", "discrod:\n  token_env: X\n",
			[]string{"line 1: discrod is not a known key (did you mean discord?)", "known top-level keys: discord, data_dir, corpus, embedder"}},
		{"swapped letters", "llm:\n  chat_modle: m\n", []string{"llm.chat_modle is not a known key (did you mean llm.chat_model?)", "known keys of llm: chat_model"}},
		{"discord typo", "discord:\n  tokn_env: X\n", []string{"discord.tokn_env is not a known key (did you mean discord.token_env?)", "known keys of discord: token_env"}},
		{"deep typo", "store:\n  weaviate:\n    url: http://x\n", []string{"line 3: store.weaviate.url is not a known key (did you mean store.weaviate.urls?)", "known keys of store.weaviate: urls"}},
		{"wrong case", "Corpus:\n  dir: x\n", []string{"Corpus is not a known key (did you mean corpus?)"}},
		{"nothing close", "corpus:\n  language: zh\n", []string{"corpus.language is not a known key; known keys of corpus: dir"}},
		{"repeated key", "log:\n  level: info\n  level: warn\n", []string{"line 3: log.level is set twice (first on line 2): keep one"}},
		{"merge key", "base: &b {level: info}\nlog:\n  <<: *b\n", []string{"base is not a known key", "log: merge keys (<<) are not supported; write the keys out"}},

		// Durations: the key and "with a unit".
		{"duration as number", "provider:\n  timeout: 60\n", []string{"line 2: provider.timeout: 60 is not a duration; write it with a unit, e.g. 60s or 2m"}},
		{"duration as word", "provider:\n  timeout: soon\n", []string{`provider.timeout: "soon" is not a duration; write a number with a unit, e.g. 60s or 2m (default 1m)`}},
		{"duration zero", "provider:\n  attempt_timeout: 0\n", []string{"provider.attempt_timeout: 0 is not a duration; write it with a unit, e.g. 0s"}},
		{"duration checkpoint", "embedder:\n  checkpoint_every: 30\n", []string{"embedder.checkpoint_every: 30 is not a duration", "30s"}},
		{"duration discord", "discord:\n  edit_interval: 1.5\n", []string{"discord.edit_interval: 1.5 is not a duration; write it with a unit, e.g. 1.5s"}},
		{"duration answer", "discord:\n  answer_timeout: 60\n", []string{"discord.answer_timeout: 60 is not a duration"}},
		{"duration grace", "discord:\n  shutdown_grace: 10\n", []string{"discord.shutdown_grace: 10 is not a duration"}},
		{"duration weaviate", "store:\n  weaviate:\n    timeout: 10\n", []string{"store.weaviate.timeout: 10 is not a duration"}},
		{"duration refresh", "store:\n  weaviate:\n    refresh_interval: soon\n", []string{`store.weaviate.refresh_interval: "soon" is not a duration`, "(default 30s)"}},

		// Other kinds.
		{"string for int", "embedder:\n  dim: lots\n", []string{`line 2: embedder.dim: "lots" is not a number; write a whole number such as 512 (the default)`}},
		{"quoted number", "embedder:\n  dim: \"512\"\n", []string{`embedder.dim: "512" is not a number`}},
		{"int too large", "embedder:\n  dim: 99999999999999999999999\n", []string{"embedder.dim: 99999999999999999999999 is out of range; write a whole number such as 512"}},
		// yaml.v3 would truncate 1.5 to 1 (issue 15, item 13).
		{"fraction for int", "embedder:\n  batch_size: 1.5\n", []string{"line 2: embedder.batch_size: 1.5 is not a whole number; write a whole number such as 64 (the default)"}},
		{"string for float", "store:\n  weaviate:\n    alpha: half\n", []string{`store.weaviate.alpha: "half" is not a number; write one such as 0.5`}},
		{"string for bool", "provider:\n  azure: maybe\n", []string{`provider.azure: "maybe" is not true or false; write true or false (default false)`}},
		{"list for string", "corpus:\n  dir: [a, b]\n", []string{`corpus.dir must be a single value, not a list; write it as dir: ""`}},
		{"section for int", "llm:\n  max_passages:\n    n: 3\n", []string{"llm.max_passages must be a single value, not a section of keys; write it as max_passages: 6"}},
		{"scalar for list", "store:\n  weaviate:\n    urls: http://10.0.0.1:8080\n", []string{
			"line 3: store.weaviate.urls must be a list, not \"http://10.0.0.1:8080\"; write it in brackets, e.g. urls: [http://10.0.0.1:8080]"}},
		{"empty for list", "discord:\n  guild_ids: \"\"\n", []string{`discord.guild_ids must be a list, not ""; write it in brackets, e.g. guild_ids: []`}},
		{"section in list", "discord:\n  admin_roles:\n    - {id: 1}\n", []string{"discord.admin_roles[0] must be a single value, not a section of keys"}},
		{"scalar for section", "corpus: ./reports\n", []string{`corpus must be a section of keys, not "./reports"; write its keys indented below "corpus:" (known keys of corpus: dir`}},
		{"scalar for discord", "discord: yes\n", []string{`discord must be a section of keys, not "yes"`, "known keys of discord: token_env"}},
		{"list for config", "- corpus\n", []string{`the config must be keys with values, such as "corpus:" and "provider:", not a list`}},
		{"text for config", "hello\n", []string{`the config must be keys with values`, `not "hello"`}},
		{"key not a name", "? [a]\n: 1\n", []string{"the config has a key that is a list; keys are plain names"}},

		// Document-level problems.
		{"two documents", "log:\n  level: info\n---\nlog:\n  level: warn\n", []string{"more than one YAML document: keep one"}},
		{"syntax", "corpus:\n  dir: x\n max_file_mb: 3\n", []string{"line 2: did not find expected key", "not valid YAML: check the indentation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse(%q) = nil error", tt.yaml)
			}
			checkMessage(t, err.Error(), tt.want...)
			if strings.Count(err.Error(), "known keys") > 1 {
				t.Errorf("error %q lists the known keys twice", err)
			}
		})
	}
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte("corpus:\n  dirr: x\n  max_file_mb: 8\nprovider:\n  timeout: 60\nembedder:\n  dim: lots\n"))
	if err == nil {
		t.Fatal("no error")
	}
	checkMessage(t, err.Error(), "line 2: corpus.dirr", "line 5: provider.timeout", "line 7: embedder.dim")
	if cfg.Corpus.MaxFileMB != 8 {
		t.Errorf("corpus.max_file_mb = %g, want 8: the valid keys beside the wrong ones are decoded", cfg.Corpus.MaxFileMB)
	}
}

func TestDecodeValues(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(`
anchors: null
corpus:
  dir: &d reports
  max_file_mb: 1.5
provider:
  azure: yes
  api_version: *d
  timeout: 1m30s
discord:
  guild_ids: [100000000000000001]
  answer_dms: on
store:
  weaviate:
    urls:
      - http://10.0.0.1:8080
      - http://10.0.0.2:8080
`))
	// anchors is unknown; everything else is decoded as yaml.v3 does.
	if err == nil || !strings.Contains(err.Error(), "anchors is not a known key") {
		t.Fatalf("err = %v, want the unknown key", err)
	}
	switch {
	case cfg.Corpus.Dir != "reports" || cfg.Corpus.MaxFileMB != 1.5 || cfg.Corpus.MaxFileBytes() != 3<<19:
		t.Errorf("corpus = %+v", cfg.Corpus)
	case !cfg.Provider.Azure || cfg.Provider.APIVersion != "reports" || cfg.Provider.Timeout != 90*time.Second:
		t.Errorf("provider = %+v", cfg.Provider)
	case cfg.Discord == nil || len(cfg.Discord.GuildIDs) != 1 || cfg.Discord.GuildIDs[0] != "100000000000000001" || !cfg.Discord.AnswerDMs ||
		cfg.Discord.TokenEnv != "DISCORD_BOT_TOKEN":
		t.Errorf("discord = %+v, want the ids and the other defaults", cfg.Discord)
	case len(cfg.Store.Weaviate.URLs) != 2 || cfg.Store.Weaviate.Collection != "ReportbotPassages":
		t.Errorf("store.weaviate = %+v", cfg.Store.Weaviate)
	}

	// Null keeps a default, and empties a list.
	cfg, err = Parse([]byte("provider:\n  timeout:\nstore:\n  kind: weaviate\n  weaviate:\n    urls:\n"))
	if cfg.Provider.Timeout != time.Minute || cfg.Store.Weaviate.URLs != nil || err == nil ||
		!strings.Contains(err.Error(), "store.weaviate.urls is empty") {
		t.Errorf("nulls: timeout %s, urls %v, err %v", cfg.Provider.Timeout, cfg.Store.Weaviate.URLs, err)
	}
}

func TestValidateMessages(t *testing.T) {
	t.Parallel()
	// Every validation message: the full key, the value, the fix.
	tests := []struct {
		yaml string
		want []string
	}{
		{"corpus:\n  max_passage_runes: 10\n", []string{"corpus.max_passage_runes is 10: use a value from 50 to 5000"}},
		{"corpus:\n  follow_links: all\n", []string{`corpus.follow_links is "all": use "inside" (links to files inside the corpus directory, the default) or "outside"`}},
		{"corpus:\n  max_file_mb: 0\n", []string{"corpus.max_file_mb is 0: use a number of megabytes above 0 and at most 4096"}},
		{"corpus:\n  max_file_mb: 5000\n", []string{"corpus.max_file_mb is 5000: use a number of megabytes above 0 and at most 4096"}},
		{"corpus:\n  max_file_mb: .nan\n", []string{"corpus.max_file_mb is NaN: use a number"}},
		{"embedder:\n  dim: 100\n", []string{"embedder.dim is 100: use a power of two from 64 to 8192"}},
		{"embedder:\n  kind: bert\n", []string{`embedder.kind is "bert": use "hash"`}},
		{"embedder:\n  kind: openai\n  dimensions: -1\nprovider:\n  base_url: http://x\n", []string{"embedder.model is empty: name", "embedder.dimensions is -1: use 0"}},
		{"embedder:\n  checkpoint_every: 10ms\n", []string{"embedder.checkpoint_every is 10ms: use 100ms to 1h"}},
		{"embedder:\n  batch_size: 0\n", []string{"embedder.batch_size is 0: use 1 to 2048"}},
		{"log:\n  level: loud\n  format: xml\n", []string{`log.level is "loud": use debug`, `log.format is "xml": use text or json`}},
		{"llm:\n  chat_model: m\n", []string{"provider.base_url is empty", "set https://api.openai.com/v1, or http://localhost:11434/v1 for Ollama"}},
		{"llm:\n  chat_model: m\nprovider:\n  base_url: localhost:11434\n", []string{`provider.base_url is "localhost:11434": use an http(s) URL`}},
		{"provider:\n  azure: true\n", []string{"provider.api_version is empty: set the Azure OpenAI API version"}},
		{"provider:\n  timeout: -5s\n", []string{"provider.timeout is -5s: use 1s to 10m"}},
		{"provider:\n  attempt_timeout: 1ms\n", []string{"provider.attempt_timeout is 1ms: use 0s (off"}},
		{"provider:\n  max_retries: 11\n  max_concurrency: 0\n", []string{"provider.max_retries is 11: use 0 to 10", "provider.max_concurrency is 0: use 1 to 64"}},
		{"llm:\n  max_passages: 0\n  history_tokens: -1\n  max_answer_tokens: 1\n", []string{
			"llm.max_passages is 0: use 1 to 20", "llm.history_tokens is -1: use 0 to 32000", "llm.max_answer_tokens is 1: use 50 to 8000"}},
		{"ops:\n  listen: localhost\n", []string{`ops.listen is "localhost": use host:port`}},
		{"discord:\n  token_env: \"\"\n", []string{"discord.token_env is empty: name the environment variable"}},
		{"discord:\n  allowed_roles: [admins]\n", []string{`discord.allowed_roles has "admins": use Discord ids`}},
		{"discord:\n  rate_limit: -1\n  max_concurrent: 0\n  queue_size: 10001\n", []string{
			"discord.rate_limit is -1: use", "discord.max_concurrent is 0: use a value from 1 to 256", "discord.queue_size is 10001: use a value from 0 to 10000"}},
		{"discord:\n  shard_count: 2\n  shard_id: 5\n", []string{"discord.shard_id is 5: use a value from 0 to discord.shard_count-1 (1)"}},
		{"discord:\n  answer_timeout: 20m\n  shutdown_grace: 6m\n  edit_interval: 1ms\n", []string{
			"discord.answer_timeout is 20m0s: use a duration from 1s to 15m", "discord.shutdown_grace is 6m0s: use a duration from 0s to 5m",
			"discord.edit_interval is 1ms: use a duration from 250ms to 10s"}},
		{"discord:\n  queue_wait: 10m\n  answer_timeout: 5m\n", []string{
			"discord.queue_wait (10m0s) + discord.answer_timeout (5m0s) is 15m0s", "the sum must be at most 14m0s: lower queue_wait or answer_timeout"}},
		{"discord:\n  queue_wait: 0s\n", []string{"discord.queue_wait is 0s: use a duration from 1s to 13m"}},
		{"discord:\n  auto_answer_forums: [help]\n", []string{`discord.auto_answer_forums has "help": use Discord ids`}},
		{"discord:\n  api_url: ftp://x\n", []string{`discord.api_url is "ftp://x": use an http(s) base URL`}},
		{"store:\n  kind: qdrant\n", []string{`store.kind is "qdrant": use chromem`}},
		{"store:\n  chromem:\n    vector_search: hnsw\n", []string{`store.chromem.vector_search is "hnsw": use auto`}},
		{"store:\n  kind: weaviate\n  weaviate:\n    urls: [x]\n    collection: p\n    replication_factor: 0\n", []string{
			`store.weaviate.urls has "x": use http(s)://host:port`, `store.weaviate.collection is "p": use letters`, "store.weaviate.replication_factor is 0: use 1 to 9"}},
		{"store:\n  kind: weaviate\n  weaviate:\n    tokenization: jieba\n    alpha: 2\n", []string{`store.weaviate.tokenization is "jieba": use gse_ch`, "store.weaviate.alpha is 2: use a value in (0, 1]"}},
		{"store:\n  kind: weaviate\n  weaviate:\n    compression: rq8\n", []string{`store.weaviate.compression is "rq8": use rq-8 (default) or none`}},
		{"store:\n  kind: weaviate\n  weaviate:\n    read_consistency: one\n    write_consistency: TWO\n", []string{
			`store.weaviate.read_consistency is "one": use ONE, QUORUM or ALL`, `store.weaviate.write_consistency is "TWO": use ONE, QUORUM or ALL`}},
		{"store:\n  kind: weaviate\n  weaviate:\n    timeout: 1ms\n    batch_size: 0\n    refresh_interval: 1ms\n", []string{
			"store.weaviate.timeout is 1ms: use 100ms to 10m", "store.weaviate.batch_size is 0: use 1 to 10000", "store.weaviate.refresh_interval is 1ms: use 1s or more"}},
		{"store:\n  kind: weaviate\n  weaviate:\n    concurrency: 0\n    grpc_hosts: [a:1, b:2]\n", []string{
			"store.weaviate.concurrency is 0: use 1 to 64", "store.weaviate.grpc_hosts has 2 entries for 1 urls"}},
	}
	for _, tt := range tests {
		t.Run(tt.want[0], func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse(%q) = nil error", tt.yaml)
			}
			checkMessage(t, err.Error(), tt.want...)
		})
	}
}

func TestSecretMessages(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte("provider:\n  base_url: http://localhost:11434/v1\nllm:\n  chat_model: qwen2.5:7b\n"))
	if err != nil {
		t.Fatal(err)
	}
	// api_key_env defaults to OPENAI_API_KEY: the message tells an Ollama user to write "".
	_, err = cfg.APIKey(env(nil))
	checkMessage(t, errString(err), "provider.api_key_env names OPENAI_API_KEY, which is not set: export OPENAI_API_KEY=<your key>",
		`or set api_key_env: "" for a server that needs no key (Ollama, vLLM)`)

	w := Default().Store.Weaviate
	w.APIKeyEnv = "WEAVIATE_API_KEY"
	_, err = w.APIKey(env(nil))
	checkMessage(t, errString(err), "store.weaviate.api_key_env names WEAVIATE_API_KEY, which is not set: export WEAVIATE_API_KEY=",
		`store.weaviate.api_key_env: "" for anonymous access`)

	_, err = DefaultDiscord().Token(env(nil))
	checkMessage(t, errString(err), "discord.token_env: the environment variable DISCORD_BOT_TOKEN is empty: set it to the bot token")
}

func TestDiscordUnmarshalYAML(t *testing.T) {
	t.Parallel()
	var d Discord
	if err := yaml.Unmarshal([]byte("rate_limit: 9\n"), &d); err != nil || d.RateLimit != 9 || d.TokenEnv != "DISCORD_BOT_TOKEN" {
		t.Errorf("Unmarshal = %+v, %v; want rate_limit 9 over the defaults", d, err)
	}
	err := yaml.Unmarshal([]byte("tokn_env: X\nedit_interval: 2\n"), &d)
	checkMessage(t, errString(err), "line 1: discord.tokn_env is not a known key (did you mean discord.token_env?)",
		"line 2: discord.edit_interval: 2 is not a duration; write it with a unit, e.g. 2s")
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"dir", "dir", 0}, {"dirr", "dir", 1}, {"discrod", "discord", 1}, {"", "abc", 3},
		{"kind", "dim", 3}, {"chat_modle", "chat_model", 1}, {"目录", "目錄", 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "corpus:\n  dirr: x\n", "discrod: {}\n", "provider:\n  timeout: 60\n", "embedder:\n  dim: lots\n",
		"store:\n  weaviate:\n    urls: x\n", "discord:\n  guild_ids: [1, {a: b}]\n", "a: &a [*a]\n", "- 1\n",
		"log: &l {level: info}\nllm: *l\n", "corpus: {dir: !!binary aGk=}\n", "---\n...\n", "discord: yes\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("Parse accepted a config that does not validate: %v", verr)
			}
			return
		}
		msg := strings.ReplaceAll(err.Error(), "config.example.yaml", "")
		for _, bad := range goNames {
			if strings.Contains(msg, bad) {
				t.Fatalf("Parse(%q) error shows %q:\n%s", data, bad, err)
			}
		}
		var ke *keyError
		if errors.As(err, &ke) && !strings.HasPrefix(ke.Error(), "line ") {
			t.Fatalf("key error without a line: %q", ke)
		}
	})
}
