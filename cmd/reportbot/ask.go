package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/rag"
)

func cmdAsk(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cf := addCommonFlags(fs)
	asJSON := fs.Bool("json", false, "print the structured answer (text, citations, scores, timings) as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: reportbot ask [flags] "question"

Answers one question from the reports, offline, with numbered citations.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	question := strings.Join(fs.Args(), " ")
	if _, err := rag.CleanQuestion(question); err != nil {
		fs.Usage()
		return err
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	ans, err := a.engine.Ask(ctx, question)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, ans)
	}
	_, err = fmt.Fprint(env.stdout, rag.FormatText(ans))
	return err
}
