package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// config is the YAML configuration (see config.example.yaml). Every field
// has a working default, so no file is needed.
type config struct {
	// Discord is the serve command's section (config_discord.go); nil means its defaults.
	Discord *discordConfig `yaml:"discord"`

	// DataDir holds the index. Default: the user cache dir + /reportbot/<corpus>.
	DataDir string       `yaml:"data_dir"`
	Corpus  corpusConfig `yaml:"corpus"`
	Embed   embedConfig  `yaml:"embedder"`
	Log     logConfig    `yaml:"log"`
	// Provider and LLM turn on model-written answers and API embeddings.
	Provider providerConfig `yaml:"provider"`
	LLM      llmConfig      `yaml:"llm"`
	// Ops serves /healthz and /metrics while serve runs.
	Ops opsConfig `yaml:"ops"`
	// Store selects chromem-go or a shared Weaviate (config_store.go).
	Store storeConfig `yaml:"store"`
}

type corpusConfig struct {
	// Dir is a directory of reports; empty means the bundled reports.
	Dir string `yaml:"dir"`
	// MaxPassageRunes splits longer paragraphs at sentence ends.
	MaxPassageRunes int `yaml:"max_passage_runes"`
	// MaxFileMB skips larger files.
	MaxFileMB int `yaml:"max_file_mb"`
}

type embedConfig struct {
	// Kind is "hash" (offline, built in) or "openai" (the provider's
	// embeddings endpoint).
	Kind string `yaml:"kind"`
	// Dim is the vector length of the hash embedder.
	Dim int `yaml:"dim"`
	// Model is the provider's embedding model (kind openai).
	Model string `yaml:"model"`
	// Dimensions is requested from models that can shorten vectors; 0
	// means the model's own length (learnt by one probe request).
	Dimensions int `yaml:"dimensions"`
	// BatchSize is the inputs per embeddings request.
	BatchSize int `yaml:"batch_size"`
	// CheckpointEvery is how often indexing saves its progress, so that an
	// interrupted run loses at most this much embedding work.
	CheckpointEvery time.Duration `yaml:"checkpoint_every"`
}

type logConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

func defaultConfig() config {
	return config{
		Corpus:   corpusConfig{MaxPassageRunes: 300, MaxFileMB: 32},
		Embed:    embedConfig{Kind: "hash", Dim: 512, BatchSize: 64, CheckpointEvery: 30 * time.Second},
		Log:      logConfig{Level: "info", Format: "text"},
		Provider: defaultProviderConfig(),
		LLM:      defaultLLMConfig(),
		Store:    defaultStoreConfig(),
	}
}

// loadConfig reads path strictly over the defaults; an empty path means
// defaults only.
func loadConfig(path string) (config, error) {
	cfg := defaultConfig()
	if path == "" {
		return cfg, cfg.validate()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	if err := decodeConfig(data, &cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if err := cfg.validate(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// yamlError is a YAML decoding error said plainly (without the "yaml: "
// prefix) with a hint; the decoder's error stays reachable with errors.As.
type yamlError struct{ err error }

func (e yamlError) Error() string {
	return strings.TrimPrefix(e.err.Error(), "yaml: ") + " (check the key names and types against config.example.yaml)"
}

func (e yamlError) Unwrap() error { return e.err }

// decodeConfig decodes YAML into cfg, rejecting unknown keys and
// multiple documents.
func decodeConfig(data []byte, cfg *config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return yamlError{err}
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("more than one YAML document; keep one")
	}
	return nil
}

func (c config) validate() error {
	var errs []error
	if c.Corpus.MaxPassageRunes < 50 || c.Corpus.MaxPassageRunes > 5000 {
		errs = append(errs, fmt.Errorf("corpus.max_passage_runes is %d: use a value from 50 to 5000 (default 300)", c.Corpus.MaxPassageRunes))
	}
	if c.Corpus.MaxFileMB < 1 || c.Corpus.MaxFileMB > 4096 {
		errs = append(errs, fmt.Errorf("corpus.max_file_mb is %d: use a value from 1 to 4096 (default 32)", c.Corpus.MaxFileMB))
	}
	switch c.Embed.Kind {
	case "hash":
		if c.Embed.Dim < 64 || c.Embed.Dim > 8192 || c.Embed.Dim&(c.Embed.Dim-1) != 0 {
			errs = append(errs, fmt.Errorf("embedder.dim is %d: use a power of two from 64 to 8192 (default 512)", c.Embed.Dim))
		}
	case "openai":
		if c.Embed.Model == "" {
			errs = append(errs, errors.New("embedder.model is empty: name the provider's embedding model, e.g. text-embedding-3-small (OpenAI) or bge-m3 (Ollama)"))
		}
		if c.Embed.Dimensions < 0 || c.Embed.Dimensions > 8192 {
			errs = append(errs, fmt.Errorf("embedder.dimensions is %d: use 0 (the model's own) or up to 8192", c.Embed.Dimensions))
		}
	default:
		errs = append(errs, fmt.Errorf("embedder.kind is %q: use \"hash\" (the built-in offline embedder) or \"openai\" (the provider's embeddings)", c.Embed.Kind))
	}
	if c.Embed.CheckpointEvery < 100*time.Millisecond || c.Embed.CheckpointEvery > time.Hour {
		errs = append(errs, fmt.Errorf("embedder.checkpoint_every is %s: use 100ms to 1h (default 30s)", c.Embed.CheckpointEvery))
	}
	if c.Embed.BatchSize < 1 || c.Embed.BatchSize > 2048 {
		errs = append(errs, fmt.Errorf("embedder.batch_size is %d: use 1 to 2048 (default 64)", c.Embed.BatchSize))
	}
	if err := c.validateProvider(); err != nil {
		errs = append(errs, err)
	}
	if err := c.validateOps(); err != nil {
		errs = append(errs, err)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level is %q: use debug, info, warn or error", c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log.format is %q: use text or json", c.Log.Format))
	}
	errs = append(errs, c.discord().validate(), c.Store.validate())
	return errors.Join(errs...)
}
