package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/internal/safetext"
	"github.com/reportbot/reportbot/query"
)

var askHelp = commandHelp{
	summary: "answer one question from the reports, with numbered citations",
	usage:   []string{"reportbot ask [flags] question"},
	details: `The answer is extractive and offline by default, written by a language
model when llm.chat_model is configured (streamed on a terminal). The words
of the question are joined with spaces, quoted or not. Flags may come before
or after the question; "--" ends the flags:

	reportbot ask 2018年新增就业目标是多少? --why
	reportbot ask --json "How many new kindergartens were planned for 2018?"
	reportbot ask -- "-3%是哪项指标?"`,
}

// msgWaitingForModel is shown on a terminal's stderr while ask waits for
// the language model.
const msgWaitingForModel = "waiting for the model…"

func cmdAsk(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("ask", askHelp)
	cf := addCommonFlags(fs)
	asJSON := fs.Bool("json", false, "print the structured answer (text, citations, scores, timings) as JSON")
	why := fs.Bool("why", false, "after the answer, show how it was found: query analysis, rewrite, retrieved passages and scores")
	chartFile := fs.String("chart", "", "when the answer is a series of three or more figures, write its line chart to this PNG `file`")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("ask", "missing question")
	}
	question := strings.Join(pos, " ")
	if _, err := query.Clean(question); err != nil {
		return &usageError{cmd: "ask", err: err}
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
			fmt.Fprint(env.stdout, safetext.Text(d))
		}
	}
	// On a terminal, say what the wait is for until the model's first
	// words (or the answer) arrive; the note goes to stderr and is erased.
	if a.Config.LLM.ChatModel != "" && isTerminal(env.stderr) {
		fmt.Fprint(env.stderr, msgWaitingForModel)
		var once sync.Once
		clear := func() { once.Do(func() { fmt.Fprint(env.stderr, "\r\033[K") }) }
		defer clear()
		if next := opt.OnDelta; next != nil {
			opt.OnDelta = func(d string) { clear(); next(d) }
		}
	}
	ans, err := a.Engine.AskWith(ctx, question, opt)
	if err != nil {
		return err
	}
	if *chartFile != "" {
		if err := writeChart(*chartFile, ans); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(env.stdout, ans)
	}
	final := ans
	if streamed.Len() > 0 {
		// The stream was provisional: show the final answer in full when
		// the grounding check changed it, else just end the line.
		if streamed.String() == ans.Text {
			ans = &answer.Answer{Citations: ans.Citations, Closest: ans.Closest, NotFound: ans.NotFound, Notice: ans.Notice, Table: ans.Table}
		} else {
			fmt.Fprint(env.stdout, "\n\n")
		}
	}
	// Titles, quotes and the model's words reach the terminal: without
	// escape sequences, bidirectional controls or forged lines.
	if _, err := fmt.Fprint(env.stdout, safetext.Text(answer.Text(safeAnswer(ans)))); err != nil {
		return err
	}
	if *why {
		_, err = fmt.Fprint(env.stdout, "\n"+safetext.Text(answer.Trace(safeAnswer(final))))
	}
	return err
}
