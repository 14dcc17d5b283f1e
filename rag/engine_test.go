package rag

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
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

func newTestEngine(t testing.TB) *Engine {
	t.Helper()
	emb := newCounting(t)
	ix, err := index.New(emb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), bundled(t), index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// rankOf returns the 1-based rank of the first hit containing text, or 0.
func rankOf(hits []index.Hit, text string) int {
	for i, h := range hits {
		if strings.Contains(h.Passage.Text, text) {
			return i + 1
		}
	}
	return 0
}

func TestPeriodAwareRetrieval(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	tests := []struct {
		question      string
		better, worse string
		wantInAnswer  string
		notWantAnswer string
	}{
		{"2018年新增就业目标", "新增就业3.4万人", "新增就业3.7万人", "3.4万", "3.7万"},
		{"2017年新增就业", "新增就业3.7万人", "新增就业3.4万人", "3.7万", "3.4万"},
		{"2018年全年引资到位额的目标是多少?", "全年引资到位额400亿元以上", "全区引资到位额505亿元", "400亿", "505亿"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := e.Ask(t.Context(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			b, w := rankOf(a.Hits, tt.better), rankOf(a.Hits, tt.worse)
			if b == 0 || (w != 0 && w < b) {
				t.Errorf("rank of %q = %d, rank of %q = %d; want the first ranked above", tt.better, b, tt.worse, w)
			}
			first, _, _ := strings.Cut(a.Text, "\n")
			if !strings.Contains(first, tt.wantInAnswer) || strings.Contains(first, tt.notWantAnswer) {
				t.Errorf("answer %q: want %q and not %q", first, tt.wantInAnswer, tt.notWantAnswer)
			}
		})
	}
}

func TestAskCitations(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	a, err := e.Ask(t.Context(), "2018年要建成多少个美丽村庄?")
	if err != nil {
		t.Fatal(err)
	}
	if a.NotFound || len(a.Citations) == 0 {
		t.Fatalf("got not found / no citations: %+v", a)
	}
	c := a.Citations[0]
	if !strings.Contains(a.Text, "56个美丽村庄") || !strings.Contains(a.Text, "[1]") {
		t.Errorf("answer text %q lacks the figure or the [1] marker", a.Text)
	}
	if c.ReportTitle != "武清区2018年政府工作报告" || c.Year != 2018 || c.Paragraph == 0 || len(c.Section) == 0 {
		t.Errorf("citation = %+v, want the 2018 report with section and paragraph", c)
	}
	if !strings.Contains(c.Text, c.Quote) && !strings.Contains(c.Text, strings.Trim(c.Quote, "…")) {
		t.Errorf("quote %q is not verbatim from the passage %q", c.Quote, c.Text)
	}
	p, ok := e.Index().Passage(c.PassageID)
	if !ok || p.Text != c.Text {
		t.Errorf("citation passage id %s does not resolve to its text", c.PassageID)
	}
}

func TestAskNotFound(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	for _, q := range []string{
		"武清区2018年地区生产总值总额是多少亿元?",
		"区长是谁?",
		"火星基地有多少个?",
	} {
		t.Run(q, func(t *testing.T) {
			a, err := e.Ask(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.NotFound || len(a.Citations) != 0 || len(a.Closest) == 0 {
				t.Errorf("Ask(%q) = not_found %v, %d citations, %d closest; want a refusal with closest passages (text %q)", q, a.NotFound, len(a.Citations), len(a.Closest), a.Text)
			}
		})
	}
}

func TestAskBadQuestions(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	tests := []struct {
		q    string
		want error
	}{
		{"", query.ErrEmptyQuestion},
		{"   \t\n", query.ErrEmptyQuestion},
		{"\x00\x01", query.ErrEmptyQuestion},
		{strings.Repeat("就业", query.MaxQuestionRunes), query.ErrQuestionTooLong},
	}
	for _, tt := range tests {
		if _, err := e.Ask(t.Context(), tt.q); !errors.Is(err, tt.want) {
			t.Errorf("Ask(%.20q) error = %v, want %v", tt.q, err, tt.want)
		}
	}
	// invalid UTF-8 and control characters are cleaned, not fatal
	if a, err := e.Ask(t.Context(), "2018年\xff新增就业\x07目标"); err != nil || a.NotFound {
		t.Errorf("Ask with invalid bytes: %v, not_found=%v", err, a != nil && a.NotFound)
	}
}

func TestIndexSaveOpenNoReembed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	emb := newCounting(t)
	ix, err := index.New(emb)
	if err != nil {
		t.Fatal(err)
	}
	reports := bundled(t)
	st, err := ix.Sync(t.Context(), reports, index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Embedded != ix.Len() || st.Embedded == 0 {
		t.Fatalf("first sync embedded %d of %d passages", st.Embedded, ix.Len())
	}
	if err := ix.Save(dir); err != nil {
		t.Fatal(err)
	}
	before := emb.count()

	ix2, err := index.Open(dir, emb)
	if err != nil {
		t.Fatal(err)
	}
	if emb.count() != before {
		t.Errorf("Open embedded %d texts, want 0", emb.count()-before)
	}
	if ix2.Len() != ix.Len() {
		t.Errorf("reopened index has %d passages, want %d", ix2.Len(), ix.Len())
	}
	st2, err := ix2.Sync(t.Context(), reports, index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Changed() || emb.count() != before {
		t.Errorf("second sync changed the index: %+v (embedded %d)", st2, emb.count()-before)
	}

	// a removed report disappears, a changed paragraph is re-embedded alone
	changed := reports[:1]
	changed[0].Text = strings.Replace(changed[0].Text, "新增就业3.4万人", "新增就业3.5万人", 1)
	st3, err := ix2.Sync(t.Context(), changed, index.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st3.Embedded < 1 || st3.Embedded > 3 || st3.Removed < st3.Embedded {
		t.Errorf("after editing one paragraph and removing a report: %+v", st3)
	}
	for _, r := range ix2.Reports() {
		if r.Report.ID != changed[0].ID {
			t.Errorf("removed report %s still indexed", r.Report.ID)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	emb := newCounting(t)
	if _, err := index.Open(t.TempDir(), emb); !errors.Is(err, index.ErrNoIndex) {
		t.Errorf("Open(empty dir) = %v, want ErrNoIndex", err)
	}
	dir := t.TempDir()
	ix, _ := index.New(emb)
	if _, err := ix.Sync(t.Context(), bundled(t), index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Save(dir); err != nil {
		t.Fatal(err)
	}
	other, _ := embed.NewHash(256)
	if _, err := index.Open(dir, other); !errors.Is(err, embed.ErrEmbedderMismatch) {
		t.Errorf("Open with another embedder = %v, want ErrEmbedderMismatch", err)
	}
	// a truncated file is reported as damaged, not loaded half
	path := filepath.Join(dir, index.IndexFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(dir, emb); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Open(truncated) = %v, want a damaged-file error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Save left temporary files: %v", entries)
	}
}

func BenchmarkAsk(b *testing.B) {
	e := newTestEngine(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.Ask(ctx, "2018年武清区新增就业的目标是多少?"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFollowUpWithoutContext: a follow-up asked with no conversation is
// answered with a request for the whole question, not with the passage a
// year alone matches; with the conversation it is answered.
func TestFollowUpWithoutContext(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	for _, q := range []string{"2017年呢?", "and 2017?"} {
		a, err := e.Ask(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !a.NotFound || a.Text != answer.NeedsContextText(a.Query.Lang) || len(a.Citations) != 0 {
			t.Errorf("Ask(%q) = %q (not found %v); want the request for context", q, a.Text, a.NotFound)
		}
	}
	a, err := e.AskWith(context.Background(), "2017年呢?", query.AskOptions{History: []query.Turn{{Question: "2018年城镇新增就业目标是多少?", Answer: "…"}}})
	if err != nil {
		t.Fatal(err)
	}
	if a.NotFound {
		t.Errorf("follow-up in a conversation: %q, want an answer", a.Text)
	}
}
