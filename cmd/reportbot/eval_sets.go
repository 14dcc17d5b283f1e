package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/reportbot/reportbot/eval"
)

// evalSet is one --set: a question file and the corpus it asks about
// ("" for the bundled reports).
type evalSet struct {
	Questions string `json:"questions"`
	Corpus    string `json:"corpus,omitempty"`
}

// evalSets is the repeatable --set flag.
type evalSets []evalSet

func (s *evalSets) String() string {
	var parts []string
	for _, e := range *s {
		parts = append(parts, e.Questions+":"+e.Corpus)
	}
	return strings.Join(parts, " ")
}

// Set parses QUESTIONS[:CORPUS], split at the first colon: a question
// file's path may not hold one.
func (s *evalSets) Set(v string) error {
	q, c, _ := strings.Cut(v, ":")
	if q == "" {
		return errors.New("want QUESTIONS[:CORPUS], a question file first")
	}
	*s = append(*s, evalSet{Questions: q, Corpus: c})
	return nil
}

// setReport is one set's outcome in `eval --json` with --set.
type setReport struct {
	evalSet
	eval.Report
}

// evalSetsRun runs every set with its own corpus and index and prints one
// table per set (or a JSON array of reports).
func evalSetsRun(ctx context.Context, env *environment, cf *commonFlags, sets evalSets, asJSON, verbose bool) error {
	var out []setReport
	for i, s := range sets {
		qs, err := readQuestionFile(s.Questions)
		if err != nil {
			return err
		}
		setFlags := *cf
		setFlags.corpus = s.Corpus
		if cf.data != "" {
			setFlags.data = filepath.Join(cf.data, fmt.Sprintf("set%d", i+1))
		}
		a, err := openApp(ctx, env, &setFlags, progressOut(env))
		if err != nil {
			return fmt.Errorf("eval --set %s: %w", s.Questions, err)
		}
		rep, err := eval.Run(ctx, a.Engine.Ask, qs)
		if err != nil {
			return fmt.Errorf("eval --set %s: %w", s.Questions, err)
		}
		out = append(out, setReport{evalSet: s, Report: rep})
	}
	if asJSON {
		return writeJSON(env.stdout, out)
	}
	for i, r := range out {
		if i > 0 {
			fmt.Fprintln(env.stdout)
		}
		corpus := r.Corpus
		if corpus == "" {
			corpus = "the bundled reports"
		}
		fmt.Fprintf(env.stdout, "%s over %s\n", r.Questions, corpus)
		if err := printEval(env.stdout, r.Report, verbose); err != nil {
			return err
		}
	}
	return nil
}

// readQuestionFile reads a JSON Lines question file.
func readQuestionFile(path string) ([]eval.Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	qs, err := eval.ReadQuestions(f)
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	return qs, nil
}
