package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
)

func cmdIndex(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cf := addCommonFlags(fs)
	cf.indexer = true
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: reportbot index [flags]

Builds or updates the index: new and changed passages are embedded, unchanged
ones keep their vectors, removed reports disappear.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
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
