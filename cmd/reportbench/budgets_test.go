package main

import (
	"strings"
	"testing"
)

// TestCheckBudgets checks the Weaviate budgets of a --weaviate-only run.
func TestCheckBudgets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    benchResult
		// want is "name=pass" or "name=FAIL" for every budget, in order.
		want []string
	}{
		{"Weaviate only, one node, fast enough", benchResult{Weaviate: &weaviateResult{Nodes: 1, Replication: 1, SearchablePerSec: 1000}},
			[]string{"Weaviate searchable, one node=pass"}},
		{"Weaviate only, one node, too slow", benchResult{Weaviate: &weaviateResult{Nodes: 1, Replication: 1, SearchablePerSec: 999}},
			[]string{"Weaviate searchable, one node=FAIL"}},
		{"three nodes replicated keep half", benchResult{Weaviate: &weaviateResult{Nodes: 3, Replication: 2, SearchablePerSec: 500}},
			[]string{"Weaviate searchable, 3 nodes, replication 2=pass"}},
		{"three nodes replicated below half", benchResult{Weaviate: &weaviateResult{Nodes: 3, Replication: 2, SearchablePerSec: 499}},
			[]string{"Weaviate searchable, 3 nodes, replication 2=FAIL"}},
		{"three nodes unreplicated: no budget", benchResult{Weaviate: &weaviateResult{Nodes: 3, Replication: 1, SearchablePerSec: 10}},
			nil},
		{"nothing measured", benchResult{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, b := range checkBudgets(tt.r, false) {
				v := "pass"
				if !b.Pass {
					v = "FAIL"
				}
				got = append(got, b.Name+"="+v)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("budgets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestCheckBudgetsLocal checks that a run with local phases gets the eleven
// local budgets, and the Weaviate one after them when its column ran too.
func TestCheckBudgetsLocal(t *testing.T) {
	t.Parallel()
	r := benchResult{PassagesPerSec: 25000, VectorRecall: 1, ColdStartSeconds: 0.1}
	bs := checkBudgets(r, true)
	if len(bs) != 11 || bs[0].Name != "indexing" || !bs[0].Pass || bs[2].Name != "cold start" || !bs[2].Pass {
		t.Fatalf("local budgets = %+v", bs)
	}
	r.Weaviate = &weaviateResult{Nodes: 1, Replication: 1, SearchablePerSec: 1200}
	bs = checkBudgets(r, true)
	if len(bs) != 12 || bs[11].Name != "Weaviate searchable, one node" || !bs[11].Pass || bs[11].Value != "1200 passages/s" {
		t.Fatalf("with the Weaviate column: %+v", bs)
	}
}
