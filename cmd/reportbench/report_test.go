package main

import (
	"errors"
	"flag"
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
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--weaviate-poll") {
			t.Errorf("--weaviate-poll %s: err = %v, want a usage error naming the flag", v, err)
		}
	}
}

// TestRunHelp: help asked for goes to stdout and is no error to exit 1 on.
func TestRunHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr strings.Builder
	err := run(t.Context(), []string{"-h"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stdout.String(), "usage: go run ./cmd/reportbench") || stderr.Len() != 0 {
		t.Errorf("-h: err %v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
}
