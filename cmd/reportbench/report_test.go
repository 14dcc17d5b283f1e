package main

import (
	"strings"
	"testing"
)

// TestMedianResultWeaviateOnly: runs of --weaviate-only (no local phase
// timed) give a median whose phases can still be added to, and whose
// Weaviate numbers are the medians.
func TestMedianResultWeaviateOnly(t *testing.T) {
	t.Parallel()
	var runs []benchResult
	for _, v := range []float64{900, 1100, 1000} {
		runs = append(runs, benchResult{Size: 30, Passages: 30, Phases: map[string]float64{},
			Weaviate: &weaviateResult{Nodes: 1, Replication: 1, SearchablePerSec: v, PollInterval: "50ms"}})
	}
	res, err := medianResult(runs)
	if err != nil {
		t.Fatal(err)
	}
	res.Phases["corpus"] = 1 // panicked on a nil map
	if res.Weaviate == nil || res.Weaviate.SearchablePerSec != 1000 || res.Weaviate.PollInterval != "50ms" {
		t.Errorf("median Weaviate column = %+v, want searchable 1000/s", res.Weaviate)
	}
}

// TestRunRejectsPollInterval: a pause of zero between the searchable
// check's searches would query the server in a busy loop.
func TestRunRejectsPollInterval(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"0", "-1s"} {
		var out strings.Builder
		err := run(t.Context(), []string{"--weaviate-poll", v}, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "--weaviate-poll") {
			t.Errorf("--weaviate-poll %s: err = %v, want one naming the flag", v, err)
		}
	}
}
