package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// budget is one of issue 18's budgets for a million passages, checked at
// every size (the 100k budgets of issue 5 are looser).
type budget struct {
	// Name says what is measured, Limit the budget, as printed.
	Name  string `json:"name"`
	Limit string `json:"limit"`
	// Value is the measured number, as printed; Pass whether it is within
	// the budget.
	Value string `json:"value"`
	Pass  bool   `json:"pass"`
}

const (
	gib = 1 << 30
	mib = 1 << 20
)

// benchBudgetSeconds is the longest a bench of one size may take.
const benchBudgetSeconds = 15 * 60

// Issue 18's budgets for the Weaviate column: one node makes passages
// searchable at weaviateOneNodePerSec or faster, and a cluster that
// replicates them keeps at least replicatedShare of that rate (the nodes
// of the bench share one machine's cores, so replication cannot add CPU).
const (
	weaviateOneNodePerSec = 1000
	replicatedShare       = 0.5
)

// checkBudgets returns r's numbers against the budgets of issue 18: the
// local ones when local phases ran, the Weaviate ones when its column did.
func checkBudgets(r benchResult, local bool) []budget {
	atMost := func(name string, v, limit float64, format, unit string) budget {
		return budget{Name: name, Limit: "≤ " + fmt.Sprintf(format, limit) + unit, Value: fmt.Sprintf(format, v) + unit, Pass: v <= limit}
	}
	atLeast := func(name string, v, limit float64, format, unit string) budget {
		return budget{Name: name, Limit: "≥ " + fmt.Sprintf(format, limit) + unit, Value: fmt.Sprintf(format, v) + unit, Pass: v >= limit}
	}
	var out []budget
	if w := r.Weaviate; w != nil {
		switch {
		case w.Nodes == 1:
			out = append(out, atLeast("Weaviate searchable, one node", w.SearchablePerSec, weaviateOneNodePerSec, "%.0f", " passages/s"))
		case w.Replication > 1:
			out = append(out, atLeast(fmt.Sprintf("Weaviate searchable, %d nodes, replication %d", w.Nodes, w.Replication),
				w.SearchablePerSec, replicatedShare*weaviateOneNodePerSec, "%.0f", " passages/s"))
		}
	}
	if !local {
		return out
	}
	return append([]budget{
		atLeast("indexing", r.PassagesPerSec, 20000, "%.0f", " passages/s"),
		atMost("index peak RSS", float64(r.IndexPeakRSS)/gib, 2, "%.2f", " GiB"),
		atMost("cold start", r.ColdStartSeconds, 0.5, "%.2f", " s"),
		atMost("retrieval p50", r.Retrieval.P50, 10, "%.1f", " ms"),
		atMost("retrieval p99", r.Retrieval.P99, 30, "%.1f", " ms"),
		atMost("ask p50", r.Ask.P50, 15, "%.1f", " ms"),
		atMost("serve peak RSS", float64(r.ServePeakRSS)/gib, 1.5, "%.2f", " GiB"),
		atLeast("vector recall@50", r.VectorRecall, 0.98, "%.3f", ""),
		atMost("re-index, nothing changed", r.ReindexSeconds, 1, "%.2f", " s"),
		atMost("re-index, corpus state lost", r.ResyncSeconds, 10, "%.2f", " s"),
		atMost("bench of this size", r.BenchSeconds, benchBudgetSeconds, "%.0f", " s"),
	}, out...)
}

// printBudgets prints every size's budgets with pass or FAIL.
func printBudgets(w io.Writer, rep benchReport) error {
	fmt.Fprintln(w, "\nbudgets (issue 18: local ones for 1,000,000 passages, checked at every size):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rep.Results {
		for _, b := range r.Budgets {
			verdict := "pass"
			if !b.Pass {
				verdict = "FAIL"
			}
			fmt.Fprintf(tw, "%d passages\t%s\t%s\t%s\t%s\n", r.Passages, b.Name, b.Value, b.Limit, verdict)
		}
	}
	return tw.Flush()
}
