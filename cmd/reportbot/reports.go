package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/reportbot/reportbot/answer"
)

func cmdReports(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cf := addCommonFlags(fs)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tYEAR\tPLACE\tLEVEL\tPASSAGES\tTITLE")
	for _, r := range a.Engine.Index().Reports() {
		year := "unknown"
		if r.Report.Year != 0 {
			year = fmt.Sprint(r.Report.Year)
		}
		pl, ok := answer.PlaceOf(r.Report)
		if !ok {
			pl.Name, pl.Level = "unknown", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", r.Report.ID, year, pl.Name, pl.Level, r.Passages, r.Report.Title)
	}
	return tw.Flush()
}
