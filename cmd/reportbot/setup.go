package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/config"
)

// commonFlags are the flags every engine-using command takes.
type commonFlags struct {
	config, corpus, data string
	rebuild              bool
	followLinks          bool // corpus.follow_links: outside
	indexer              bool // the command writes the index (matters for a shared store)
}

func addCommonFlags(fs *flag.FlagSet) *commonFlags {
	cf := &commonFlags{}
	fs.StringVar(&cf.config, "config", "", "YAML config file (see config.example.yaml); default: built-in defaults")
	fs.StringVar(&cf.corpus, "corpus", "", "directory of reports to use instead of the bundled ones (.txt .md .html .jsonl)")
	fs.StringVar(&cf.data, "data", "", "directory for the index (default: the user cache dir)")
	fs.BoolVar(&cf.rebuild, "rebuild", false, "discard the existing index and embed everything again")
	fs.BoolVar(&cf.followLinks, "follow-links", false, "read symbolic links in the corpus directory that lead to files outside it (corpus.follow_links: outside)")
	return cf
}

// load loads the config file and applies the flags to it.
func (cf *commonFlags) load() (config.Config, error) {
	cfg, err := loadConfig(cf.config)
	if err != nil {
		return cfg, err
	}
	if cf.corpus != "" {
		cfg.Corpus.Dir = cf.corpus
	}
	if cf.data != "" {
		cfg.DataDir = cf.data
	}
	if cf.followLinks {
		cfg.Corpus.FollowLinks = config.LinksOutside
	}
	return cfg, nil
}

// loadConfig reads the config file at path; an empty path means the
// defaults.
func loadConfig(path string) (config.Config, error) {
	if path == "" {
		return config.Parse(nil)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return config.Default(), fmt.Errorf("config: %w", err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// openApp loads the config, applies the flags, and opens the index and
// the engine (app.Open): the index is brought up to date with the corpus,
// embedding only what changed.
func openApp(ctx context.Context, env *environment, cf *commonFlags, progress io.Writer) (*app.App, error) {
	cfg, err := cf.load()
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, app.Options{
		Config: cfg, LookupEnv: env.lookupEnv, Log: app.NewLogger(env.stderr, cfg.Log),
		Rebuild: cf.rebuild, Indexer: cf.indexer, Progress: progress,
	})
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
