package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/query"
)

func cmdAsk(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cf := addCommonFlags(fs)
	asJSON := fs.Bool("json", false, "print the structured answer (text, citations, scores, timings) as JSON")
	why := fs.Bool("why", false, "after the answer, show how it was found: query analysis, rewrite, retrieved passages and scores")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: reportbot ask [flags] "question"

Answers one question from the reports with numbered citations: offline and
extractive by default, written by a language model when llm.chat_model is
configured (streamed on a terminal).`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	question := strings.Join(fs.Args(), " ")
	if _, err := query.Clean(question); err != nil {
		fs.Usage()
		return err
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	var (
		opt      query.AskOptions
		streamed strings.Builder
	)
	if !*asJSON && isTerminal(env.stdout) {
		opt.OnDelta = func(d string) {
			streamed.WriteString(d)
			fmt.Fprint(env.stdout, d)
		}
	}
	ans, err := a.Engine.AskWith(ctx, question, opt)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, ans)
	}
	final := ans
	if streamed.Len() > 0 {
		// The stream was provisional: show the final answer in full when
		// the grounding check changed it, else just end the line.
		if streamed.String() == ans.Text {
			ans = &answer.Answer{Citations: ans.Citations, Closest: ans.Closest, NotFound: ans.NotFound, Notice: ans.Notice}
		} else {
			fmt.Fprint(env.stdout, "\n\n")
		}
	}
	if _, err := fmt.Fprint(env.stdout, answer.Text(ans)); err != nil {
		return err
	}
	if *why {
		_, err = fmt.Fprint(env.stdout, "\n"+answer.Trace(final))
	}
	return err
}
