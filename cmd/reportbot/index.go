package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
)

var indexHelp = commandHelp{
	summary: "build or update the index of the reports",
	usage:   []string{"reportbot index [flags]"},
	details: `New and changed passages are embedded, unchanged ones keep their vectors,
removed reports disappear. Other commands do the same before they answer;
index does only that.`,
}

func cmdIndex(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("index", indexHelp)
	cf := addCommonFlags(fs)
	cf.indexer = true
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
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

// progressOut is where indexing progress goes: stderr when it is a terminal.
func progressOut(env *environment) io.Writer {
	if isTerminal(env.stderr) {
		return env.stderr
	}
	return nil
}
