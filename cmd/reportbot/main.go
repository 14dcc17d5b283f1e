// Command reportbot answers questions about government work reports with
// citations to the passages the answers come from.
//
//	reportbot ask "2018年新增就业目标是多少?"
//	reportbot index [--corpus DIR]
//	reportbot eval --questions FILE
//	reportbot serve --config config.yaml
//
// Run `reportbot help` for all commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	switch {
	case err == errMoved:
		os.Exit(2)
	case err != nil:
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "reportbot:", err)
		}
		os.Exit(1)
	}
}

// run executes one command. getenv is how secrets and the cache location are
// read; tests pass their own.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	env := &environment{stdout: stdout, stderr: stderr, getenv: getenv}
	switch args[0] {
	case "ask":
		return cmdAsk(ctx, env, args[1:])
	case "index":
		return cmdIndex(ctx, env, args[1:])
	case "eval":
		return cmdEval(ctx, env, args[1:])
	case "reports":
		return cmdReports(ctx, env, args[1:])
	case "serve":
		return cmdServe(ctx, env, args[1:])
	case "bench":
		fmt.Fprintln(stderr, "reportbot bench is now its own command: go run ./cmd/reportbench [flags]")
		return errMoved
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return nil
	default:
		usage(stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `reportbot answers questions about government work reports, with citations.

Usage:
  reportbot ask [flags] "question"   answer one question (offline by default)
  reportbot index [flags]            build or update the index
  reportbot reports [flags]          list indexed reports
  reportbot eval --questions FILE    measure retrieval and answer quality
  reportbot serve [flags]            run the Discord bot (token from $DISCORD_BOT_TOKEN)
  reportbot help                     this text

Run "reportbot COMMAND -h" for a command's flags.
`)
}
