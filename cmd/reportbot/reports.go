package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/internal/safetext"
)

var reportsHelp = commandHelp{
	summary: "list the indexed reports",
	usage:   []string{"reportbot reports [flags]"},
	details: `Prints each report's ID, year, number of passages and title, after bringing
the index up to date.`,
}

func cmdReports(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("reports", reportsHelp)
	cf := addCommonFlags(fs)
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
		// One line per report, whatever the title holds (safetext.Line).
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", safetext.Line(r.Report.ID), year, pl.Name, pl.Level, r.Passages, safetext.Line(r.Report.Title))
	}
	return tw.Flush()
}
