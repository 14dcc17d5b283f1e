// Command reportbot answers questions about government work reports with
// citations to the passages the answers come from.
//
//	reportbot ask "2018年新增就业目标是多少?"
//	reportbot index [--corpus DIR]
//	reportbot eval --questions FILE
//	reportbot serve --config config.yaml
//
// Run `reportbot help` for all commands and `reportbot help CMD` for one.
// Mistakes in the command line exit with status 2, other errors with 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if status := exitStatus(err, os.Stderr); status != 0 {
		os.Exit(status)
	}
}

// run executes one command. getenv is how secrets and the cache location are
// read; tests pass their own. Mistakes in args are *usageError; help asked
// for is printed on stdout and is no error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		overview(stderr)
		return &usageError{err: errNoCommand}
	}
	env := &environment{stdout: stdout, stderr: stderr, getenv: getenv}
	err := runCommand(ctx, env, args[0], args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil // the help is printed
	}
	return err
}

// runCommand runs the command name with its arguments.
func runCommand(ctx context.Context, env *environment, name string, args []string) error {
	switch name {
	case "ask":
		return cmdAsk(ctx, env, args)
	case "index":
		return cmdIndex(ctx, env, args)
	case "eval":
		return cmdEval(ctx, env, args)
	case "reports":
		return cmdReports(ctx, env, args)
	case "serve":
		return cmdServe(ctx, env, args)
	case "feedback":
		return cmdFeedback(env, args)
	case "version", "-version", "--version":
		return cmdVersion(env, args)
	case "bench":
		return cmdBench(env, args)
	case "help", "-h", "--h", "-help", "--help":
		return cmdHelp(ctx, env, args)
	}
	if strings.HasPrefix(name, "-") {
		return usageErrorf("", "unknown flag %s (flags come after the command)", name)
	}
	return usageErrorf("", "unknown command %q", name)
}

// commands are the commands the overview lists, in its order, and that
// `reportbot help CMD` knows; runCommand runs them.
var commands = []struct {
	name   string
	help   *commandHelp
	hidden bool // not in the overview
}{
	{"ask", &askHelp, false},
	{"index", &indexHelp, false},
	{"reports", &reportsHelp, false},
	{"eval", &evalHelp, false},
	{"serve", &serveHelp, false},
	{"feedback", &feedbackHelp, false},
	{"version", &versionHelp, false},
	{"help", &helpHelp, false},
	{"bench", &benchHelp, true},
}

// overview prints what `reportbot help` prints.
func overview(w io.Writer) {
	fmt.Fprint(w, `reportbot answers questions about government work reports, with citations.

usage: reportbot <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		if !c.hidden {
			fmt.Fprintf(w, "  %-9s%s\n", c.name, c.help.summary)
		}
	}
	fmt.Fprint(w, `
Run 'reportbot help <command>' or 'reportbot <command> -h' for a command's
usage and flags.
`)
}

var helpHelp = commandHelp{
	summary: "print the overview of commands, or one command's usage and flags",
	usage:   []string{"reportbot help [command]"},
	details: "reportbot help ask is the same as reportbot ask -h.",
}

func cmdHelp(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("help", helpHelp)
	pos, err := parseArgs(env, fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) == 0:
		overview(env.stdout)
		return nil
	case len(pos) > 1:
		return usageErrorf("help", "give one command, not %d", len(pos))
	}
	for _, c := range commands {
		if c.name == pos[0] {
			return runCommand(ctx, env, c.name, []string{"-h"})
		}
	}
	return usageErrorf("help", "unknown command %q", pos[0])
}

var benchHelp = commandHelp{
	summary: "moved: the benchmark is its own command, reportbench",
	usage:   []string{"go run ./cmd/reportbench [flags]"},
	details: "Run 'go run ./cmd/reportbench -h' for its flags.",
}

// cmdBench says where the benchmark went: reportbench, a command of its
// own. Any use but -h is a usage error.
func cmdBench(env *environment, args []string) error {
	fs := newFlagSet("bench", benchHelp)
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelpFlag(a) {
			return showHelp(env, fs)
		}
	}
	return usageErrorf("bench", "moved to its own command: go run ./cmd/reportbench [flags]")
}
