package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
)

var indexHelp = commandHelp{
	summary: "build or update the index of the reports",
	usage:   []string{"reportbot index [flags]", "reportbot index --verify [flags]"},
	details: `New and changed passages are embedded, unchanged ones keep their vectors,
removed reports disappear. Other commands do the same before they answer;
index does only that. --rebuild embeds everything again, whatever the
index file holds (damaged, another embedder, a newer format).

--verify checks the index file in full instead: every block of every
section against its checksum, then every section by decoding it. It
changes nothing, and exits with status 1 naming the damaged section.`,
}

func cmdIndex(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("index", indexHelp)
	cf := addCommonFlags(fs)
	verify := fs.Bool("verify", false, "check every checksum and section of the index file; change nothing")
	cf.indexer = true
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	if *verify {
		if cf.rebuild {
			return usageErrorf("index", "--verify and --rebuild: give one")
		}
		return verifyIndex(env, cf)
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	s := a.Sync
	_, err = fmt.Fprintf(env.stdout, "index %s: %d reports, %d passages (%d embedded, %d unchanged, %d removed) in %s\n",
		cmp.Or(a.Where, a.DataDir), s.Reports, s.Passages, s.Embedded, s.Reused, s.Removed, s.Elapsed.Round(1e6))
	return err
}

// verifyIndex is index --verify: it checks the index file of the data
// directory the flags and config name and prints what it holds.
func verifyIndex(env *environment, cf *commonFlags) error {
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if cfg.Store.Kind == config.StoreWeaviate {
		return errors.New("index --verify checks a local index file; with store.kind weaviate the index is in Weaviate")
	}
	dir, err := app.DataDir(cfg, env.lookupEnv)
	if err != nil {
		return err
	}
	res, err := index.Verify(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "index %s: format %d, %d reports, %d passages, embedder %s\n", res.Path, res.Format, res.Reports, res.Passages, res.EmbedderID)
	for _, s := range res.Sections {
		kind := "optional"
		if s.Required {
			kind = "required"
		}
		fmt.Fprintf(env.stdout, "  %-10s %12d bytes  %4d blocks  %s\n", s.Name, s.Bytes, s.Blocks, kind)
	}
	msg := "every checksum matches and every section decodes"
	if res.Format < index.FormatVersion {
		msg = fmt.Sprintf("every section decodes; format %d has no checksums: the next `reportbot index` rewrites it in format %d", res.Format, index.FormatVersion)
	}
	_, err = fmt.Fprintln(env.stdout, msg)
	return err
}

// progressOut is where indexing progress goes: stderr when it is a terminal.
func progressOut(env *environment) io.Writer {
	if isTerminal(env.stderr) {
		return env.stderr
	}
	return nil
}
