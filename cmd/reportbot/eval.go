package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/eval"
)

var evalHelp = commandHelp{
	summary: "measure retrieval and answer quality on a set of questions",
	usage: []string{"reportbot eval --questions FILE [flags]", "reportbot eval --derive N [flags]",
		"reportbot eval --set QUESTIONS[:CORPUS] [--set ...] [flags]"},
	details: `Asks every question of FILE (or N questions derived from the corpus's
figures) and reports hit@1, hit@5, mrr@10, answer, citation and refusal
accuracy, false refusals and latency, overall, per language and for the
odd- and even-numbered questions of the file. An expected figure counts
only as a whole number: "8%" is not found in "18%", nor "5%" in "5.5%".
--set, repeatable, runs several question files, each over its own corpus
(a directory or report file; the bundled reports when CORPUS is left out),
and prints one table per set; with --data each set's index goes in a
numbered subdirectory of it. In the
table, a metric with nothing to measure prints as "-": refusal accuracy
without unanswerable questions, hit@k and answer and citation accuracy
without answerable ones. The JSON has 0 there, next to the counts
"answerable" and "unanswerable" that tell the two apart.`,
}

func cmdEval(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("eval", evalHelp)
	cf := addCommonFlags(fs)
	questions := fs.String("questions", "", "JSON Lines question file (this or --derive is required)")
	derive := fs.Int("derive", 0, "instead of a file, derive this many questions from the corpus's figures (see README)")
	var sets evalSets
	fs.Var(&sets, "set", "QUESTIONS[:CORPUS]: a question file and the corpus it asks about; repeatable")
	asJSON := fs.Bool("json", false, "print metrics and per-question results as JSON")
	verbose := fs.Bool("v", false, "list every question with its outcome")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	if len(sets) > 0 {
		if *questions != "" || *derive > 0 || cf.corpus != "" {
			return usageErrorf("eval", "--set names its own questions and corpus: leave out --questions, --derive and --corpus")
		}
		return evalSetsRun(ctx, env, cf, sets, *asJSON, *verbose)
	}
	if (*questions == "") == (*derive <= 0) {
		return usageErrorf("eval", "give one of --questions FILE, --derive N and --set QUESTIONS[:CORPUS]")
	}
	var qs []eval.Question
	if *questions != "" {
		if qs, err = readQuestionFile(*questions); err != nil {
			return err
		}
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	if *derive > 0 {
		if a.Follower != nil {
			return fmt.Errorf("eval: --derive reads the corpus; with store.kind weaviate use --questions")
		}
		reports, _, err := app.LoadReports(ctx, a.Config.Corpus, a.Log)
		if err != nil {
			return err
		}
		if qs = deriveQuestions(reports, *derive); len(qs) == 0 {
			return fmt.Errorf("eval: the corpus has no figures in sections with a known year and period to derive questions from")
		}
	}
	rep, err := eval.Run(ctx, a.Engine.Ask, qs)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *asJSON {
		return writeJSON(env.stdout, rep)
	}
	return printEval(env.stdout, rep, *verbose)
}

func printEval(w io.Writer, rep eval.Report, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tn\thit@1\thit@5\tmrr@10\tanswer\tcitation\trefusal\tfalse_ref\terrors\tp50_ms\tp95_ms\t")
	row := func(name string, m eval.Metrics) {
		a, u, n := m.Answerable, m.Unanswerable, m.Questions
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t\n", name, n,
			metric("%.3f", m.Hit1, a), metric("%.3f", m.Hit5, a), metric("%.3f", m.MRR10, a),
			metric("%.3f", m.AnswerAccuracy, a), metric("%.3f", m.CitationAccuracy, a), metric("%.3f", m.RefusalAccuracy, u),
			m.FalseRefusals, m.Errors, metric("%.1f", m.LatencyP50, n), metric("%.1f", m.LatencyP95, n))
	}
	row("all", rep.Overall)
	row("odd", rep.Odd)
	row("even", rep.Even)
	langs := make([]string, 0, len(rep.ByLang))
	for l := range rep.ByLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		row(l, rep.ByLang[l])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if g := rep.Overall.Grounding; g != nil {
		fmt.Fprintf(w, "\ngrounding check: %d model answers; %d with unsupported figures, %d citing only other years, %d citing only the other period (results for targets or the reverse), %d retried, %d replaced by the extractive answer, %d citations of missing passages removed, %d provider errors\n",
			g.ModelAnswers, g.Unsupported, g.OtherYears, g.OtherPeriod, g.Retried, g.FellBack, g.RemovedCitations, g.ProviderErrors)
	}
	if !verbose {
		return nil
	}
	for _, r := range rep.Results {
		mark := "ok  "
		switch {
		case r.Err != "":
			mark = "ERR "
		case r.Unanswerable && !r.NotFound, !r.Unanswerable && !r.AnswerCorrect:
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %-8s rank=%d %s\n     → %s\n", mark, r.ID, r.SourceRank, r.Question, r.Answer)
	}
	return nil
}

// metric formats v, a metric over n questions, with format, or as "-" when
// there were no questions to measure it on: eval.Metrics holds 0 then.
func metric(format string, v float64, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf(format, v)
}
