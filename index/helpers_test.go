package index

import (
	"context"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/lexical"
)

// countingEmbedder counts how many texts it embedded.
type countingEmbedder struct {
	embed.Embedder
	mu sync.Mutex
	n  int
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.n += len(texts)
	c.mu.Unlock()
	return c.Embedder.Embed(ctx, texts)
}

func (c *countingEmbedder) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func newCounting(t testing.TB) *countingEmbedder {
	t.Helper()
	h, err := embed.NewHash(embed.DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	return &countingEmbedder{Embedder: h}
}

func bundled(t testing.TB) []corpus.Report {
	t.Helper()
	reports, problems, err := corpus.Default()
	if err != nil || len(problems) > 0 {
		t.Fatalf("corpus.Default: %v %v", err, problems)
	}
	return reports
}

// testIndex is the bundled reports indexed with the hash embedder.
func testIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := New(newCounting(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), bundled(t), SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	return ix
}

// queryTerms weighs every term of q as typed.
func queryTerms(q string) []lexical.WeightedTerm {
	var ts []lexical.WeightedTerm
	for _, t := range lexical.Terms(q) {
		ts = append(ts, lexical.WeightedTerm{Term: t, Weight: 1})
	}
	return ts
}

// passagesOf returns ix's passages (read whole when ix reads them in place).
func passagesOf(t testing.TB, ix *Index) []Passage {
	t.Helper()
	ps, err := ix.Passages()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
