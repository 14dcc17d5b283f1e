// Package config is reportbot's YAML configuration (see config.example.yaml):
// the structure of the file, its defaults, strict decoding and validation
// with messages that name the key and the fix.
//
// It is plain data: it reads no files and no environment variables by
// itself. Callers pass the file's contents to Parse or Read, and a lookup
// function (os.LookupEnv, or a test's map) to the methods that fetch the
// secrets the file names by environment variable (APIKey, Token). Turning a
// Config into clients, stores and bots is the commands' job.
package config

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Config is the YAML configuration. Every field has a working default
// (Default), so no file is needed.
type Config struct {
	// Discord is the serve command's section (discord.go); nil means its
	// defaults (see DiscordOrDefault).
	Discord *Discord `yaml:"discord"`

	// DataDir holds the index. Default: the user cache dir + /reportbot/<corpus>.
	DataDir string `yaml:"data_dir"`
	Corpus  Corpus `yaml:"corpus"`
	Embed   Embed  `yaml:"embedder"`
	Log     Log    `yaml:"log"`
	// Provider and LLM turn on model-written answers and API embeddings.
	Provider Provider `yaml:"provider"`
	LLM      LLM      `yaml:"llm"`
	// Ops serves /healthz and /metrics while serve runs.
	Ops Ops `yaml:"ops"`
	// Store selects chromem-go or a shared Weaviate (store.go).
	Store Store `yaml:"store"`
}

// Corpus is the corpus: section: where the reports are and how they are cut.
type Corpus struct {
	// Dir is a directory of reports; empty means the bundled reports.
	Dir string `yaml:"dir"`
	// MaxPassageRunes splits longer paragraphs at sentence ends.
	MaxPassageRunes int `yaml:"max_passage_runes"`
	// MaxFileMB skips larger files, in MiB; fractions such as 0.5 are
	// limits too (see MaxFileBytes).
	MaxFileMB float64 `yaml:"max_file_mb"`
	// FollowLinks says which symbolic links in Dir are read: LinksInside
	// (those whose target is inside Dir, the default) or LinksOutside (any
	// file, for a directory of links to reports kept elsewhere).
	FollowLinks string `yaml:"follow_links"`
	// OCR reads scanned PDF pages (pages without a text layer) with
	// Tesseract; off by default (docs/formats.md).
	OCR bool `yaml:"ocr"`
}

// Values of Corpus.FollowLinks.
const (
	LinksInside  = "inside"
	LinksOutside = "outside"
)

// MaxFileBytes is MaxFileMB in bytes (MiB of 1<<20 bytes, rounded down).
func (cc Corpus) MaxFileBytes() int64 {
	return int64(cc.MaxFileMB * (1 << 20))
}

// Embedder kinds (Embed.Kind).
const (
	// EmbedHash is the built-in offline embedder.
	EmbedHash = "hash"
	// EmbedOpenAI is the provider's embeddings endpoint.
	EmbedOpenAI = "openai"
)

// Embed is the embedder: section.
type Embed struct {
	// Kind is EmbedHash (offline, built in) or EmbedOpenAI (the provider's
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
	// CheckpointEvery is how often indexing with an API embedder (kind
	// openai) saves its progress, so that an interrupted run loses at most
	// this much embedding work. The offline embedder takes no checkpoints:
	// embedding again costs less than they do.
	CheckpointEvery time.Duration `yaml:"checkpoint_every"`
}

// Log is the log: section.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// Default is the configuration without a file: offline, the bundled
// reports, the embedded chromem-go store. It is valid.
func Default() Config {
	return Config{
		Corpus:   Corpus{MaxPassageRunes: 300, MaxFileMB: 32, FollowLinks: LinksInside},
		Embed:    Embed{Kind: EmbedHash, Dim: 512, BatchSize: 64, CheckpointEvery: 30 * time.Second},
		Log:      Log{Level: "info", Format: "text"},
		Provider: defaultProvider(),
		LLM:      defaultLLM(),
		Store:    defaultStore(),
	}
}

// Parse decodes the YAML document data over the defaults, strictly
// (unknown or repeated keys, values of the wrong kind and a second document
// are errors, each message naming the line, the key path such as
// corpus.dir, and what to write instead), and validates the result. Empty data gives the defaults. On error the
// returned Config is what was decoded so far.
func Parse(data []byte) (Config, error) {
	cfg := Default()
	if err := decode(data, &cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// Read is Parse of everything r holds.
func Read(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Default(), err
	}
	return Parse(data)
}

// Validate checks every section; the joined errors each name the key and
// the fix.
func (c Config) Validate() error {
	errs := []error{c.Corpus.validate(), c.Embed.validate(), c.validateProvider(), c.Ops.validate(), c.Log.validate()}
	errs = append(errs, c.DiscordOrDefault().validate(), c.Store.validate())
	return errors.Join(errs...)
}

func (cc Corpus) validate() error {
	var errs []error
	if cc.MaxPassageRunes < 50 || cc.MaxPassageRunes > 5000 {
		errs = append(errs, fmt.Errorf("corpus.max_passage_runes is %d: use a value from 50 to 5000 (default 300)", cc.MaxPassageRunes))
	}
	if !(cc.MaxFileMB > 0 && cc.MaxFileMB <= 4096) || cc.MaxFileBytes() < 1 {
		errs = append(errs, fmt.Errorf("corpus.max_file_mb is %g: use a number of megabytes above 0 and at most 4096, such as 32 (the default) or 0.5", cc.MaxFileMB))
	}
	switch cc.FollowLinks {
	case LinksInside, LinksOutside:
	default:
		errs = append(errs, fmt.Errorf("corpus.follow_links is %q: use %q (links to files inside the corpus directory, the default) or %q (links to files anywhere)", cc.FollowLinks, LinksInside, LinksOutside))
	}
	return errors.Join(errs...)
}

func (e Embed) validate() error {
	var errs []error
	switch e.Kind {
	case EmbedHash:
		if e.Dim < 64 || e.Dim > 8192 || e.Dim&(e.Dim-1) != 0 {
			errs = append(errs, fmt.Errorf("embedder.dim is %d: use a power of two from 64 to 8192 (default 512)", e.Dim))
		}
	case EmbedOpenAI:
		if e.Model == "" {
			errs = append(errs, errors.New("embedder.model is empty: name the provider's embedding model, e.g. text-embedding-3-small (OpenAI) or bge-m3 (Ollama)"))
		}
		if e.Dimensions < 0 || e.Dimensions > 8192 {
			errs = append(errs, fmt.Errorf("embedder.dimensions is %d: use 0 (the model's own) or up to 8192", e.Dimensions))
		}
	default:
		errs = append(errs, fmt.Errorf("embedder.kind is %q: use \"hash\" (the built-in offline embedder) or \"openai\" (the provider's embeddings)", e.Kind))
	}
	if e.CheckpointEvery < 100*time.Millisecond || e.CheckpointEvery > time.Hour {
		errs = append(errs, fmt.Errorf("embedder.checkpoint_every is %s: use 100ms to 1h (default 30s)", e.CheckpointEvery))
	}
	if e.BatchSize < 1 || e.BatchSize > 2048 {
		errs = append(errs, fmt.Errorf("embedder.batch_size is %d: use 1 to 2048 (default 64)", e.BatchSize))
	}
	return errors.Join(errs...)
}

func (l Log) validate() error {
	var errs []error
	switch l.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level is %q: use debug, info, warn or error", l.Level))
	}
	switch l.Format {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log.format is %q: use text or json", l.Format))
	}
	return errors.Join(errs...)
}
