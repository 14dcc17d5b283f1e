package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/lexical"
)

// failingEmbedder embeds the first ok batches, then fails every call.
type failingEmbedder struct {
	embed.Embedder
	mu      sync.Mutex
	ok      int // batches still allowed
	batches int // batches embedded
	texts   int // texts embedded
}

var errEmbedDown = errors.New("embedding service down")

func (f *failingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	f.mu.Lock()
	if f.ok == 0 {
		f.mu.Unlock()
		return nil, errEmbedDown
	}
	f.ok--
	f.batches++
	f.texts += len(texts)
	f.mu.Unlock()
	return f.Embedder.Embed(ctx, texts)
}

// TestSyncCheckpointResume checks that what was embedded before a failure is
// saved by the checkpoint and reused by the next Sync, which embeds only the
// rest, and that the result equals an uninterrupted build.
func TestSyncCheckpointResume(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		okBatches   int
		concurrency int
		every       time.Duration
	}{
		{"fails after 3 batches, checkpoint at the failure", 3, 1, time.Hour},
		{"fails after 3 batches, checkpoint every batch", 3, 1, time.Nanosecond},
		{"fails after 5 batches, 4 at once", 5, 4, time.Nanosecond},
		{"fails at once", 0, 2, time.Nanosecond},
	}
	reports := bundled(t)
	full := testIndex(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			emb := &failingEmbedder{Embedder: newCounting(t), ok: tt.okBatches}
			ix, err := New(emb)
			if err != nil {
				t.Fatal(err)
			}
			saves := 0
			opt := SyncOptions{BatchSize: 8, Concurrency: tt.concurrency, CheckpointEvery: tt.every,
				Checkpoint: func() error { saves++; return ix.Save(dir) }}
			st, err := ix.Sync(t.Context(), reports, opt)
			if !errors.Is(err, errEmbedDown) {
				t.Fatalf("Sync with a failing embedder: got error %v, want %v", err, errEmbedDown)
			}
			if st.Embedded != emb.texts || ix.Len() != emb.texts {
				t.Errorf("after the failure: got %d embedded and %d indexed, want %d (what the embedder returned)", st.Embedded, ix.Len(), emb.texts)
			}
			if emb.texts > 0 && saves == 0 {
				t.Errorf("got no checkpoint after embedding %d passages", emb.texts)
			}

			emb2 := newCounting(t)
			ix2, err := Open(dir, emb2)
			switch {
			case emb.texts == 0 && errors.Is(err, ErrNoIndex):
				ix2, _ = New(emb2)
			case err != nil:
				t.Fatal(err)
			}
			if ix2.Len() != emb.texts {
				t.Errorf("reopened checkpoint: got %d passages, want %d", ix2.Len(), emb.texts)
			}
			st2, err := ix2.Sync(t.Context(), reports, SyncOptions{BatchSize: 8, Concurrency: tt.concurrency})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := emb2.count(), full.Len()-emb.texts; got != want || st2.Reused != emb.texts {
				t.Errorf("resumed sync: got %d embedded and %d reused, want %d and %d", got, st2.Reused, want, emb.texts)
			}
			assertSameIndex(t, ix2, full)
		})
	}
}

// TestSyncConcurrencySameResult checks that concurrent embedding builds the
// same index as one call at a time.
func TestSyncConcurrencySameResult(t *testing.T) {
	t.Parallel()
	reports := bundled(t)
	want := testIndex(t)
	for _, c := range []int{1, 3, 16} {
		emb := newCounting(t)
		ix, _ := New(emb)
		if _, err := ix.Sync(t.Context(), reports, SyncOptions{BatchSize: 5, Concurrency: c}); err != nil {
			t.Fatal(err)
		}
		assertSameIndex(t, ix, want)
	}
}

// assertSameIndex checks passages, vectors and lexical index.
func assertSameIndex(t *testing.T, got, want *Index) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("got %d passages, want %d", got.Len(), want.Len())
	}
	wantPs := passagesOf(t, want)
	for i, p := range passagesOf(t, got) {
		if w := wantPs[i]; p.ID != w.ID || p.EmbedKey != w.EmbedKey {
			t.Fatalf("passage %d: got %s, want %s", i, p.ID, w.ID)
		}
		if !slices.Equal(got.vec.row(i), want.vec.row(i)) {
			t.Fatalf("passage %d: vectors differ", i)
		}
	}
	if !bytes.Equal(encodeLex(t, got.lex), encodeLex(t, want.lex)) {
		t.Errorf("lexical indexes differ")
	}
}

// TestQueryVectorsMatchesExact checks both vector searches (the chromem-go
// collection and the quantized matrix) against exact float32 dot products
// with the embedder's vectors, and against a chromem-go query on the
// index's vectors, before and after Save and Open.
func TestQueryVectorsMatchesExact(t *testing.T) {
	t.Parallel()
	e := testIndex(t)
	dir := t.TempDir()
	if err := e.Save(dir); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(dir, e.emb)
	if err != nil {
		t.Fatal(err)
	}
	exact := map[string][]float32{}
	for _, p := range e.passages {
		v, _ := e.emb.Embed(t.Context(), []string{EmbedText(e.reports[p.ReportID], p.Passage)})
		exact[p.ID] = v[0]
	}
	const tolerance = 0.01
	questions := []string{"2018年新增就业目标是多少?", "How many kindergartens?", "农村 道路", "区长"}
	for _, tc := range []struct {
		ix   *Index
		mode VectorSearch
	}{{e, VectorSearchChromem}, {e, VectorSearchInt8}, {reopened, VectorSearchChromem}, {reopened, VectorSearchInt8}} {
		ix := tc.ix
		ix.SetVectorSearch(tc.mode)
		st, err := ix.Store(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range questions {
			vecs, _ := e.emb.Embed(t.Context(), []string{q})
			for _, k := range []int{1, 10, 1000} {
				got, err := ix.QueryVectors(t.Context(), vecs[0], k)
				if err != nil {
					t.Fatal(err)
				}
				if want := min(k, ix.Len()); len(got) != want {
					t.Fatalf("%q k=%d: got %d hits, want %d", q, k, len(got), want)
				}
				for i, h := range got {
					var dot float32
					for d, x := range exact[h.ID] {
						dot += x * vecs[0][d]
					}
					if math.Abs(float64(h.Similarity-dot)) > tolerance {
						t.Errorf("%s: %q k=%d hit %d (%s): got similarity %.4f, want %.4f ± %.2f", tc.mode, q, k, i, h.ID, h.Similarity, dot, tolerance)
					}
				}
				ch, err := st.Query(t.Context(), vecs[0], k)
				if err != nil {
					t.Fatal(err)
				}
				for i := range ch {
					if math.Abs(float64(got[i].Similarity-ch[i].Similarity)) > tolerance {
						t.Errorf("%q k=%d hit %d: got %.4f, chromem-go %.4f", q, k, i, got[i].Similarity, ch[i].Similarity)
					}
				}
			}
		}
	}
}

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

// TestPassageCodecFields fails when a passage gains a field that
// writePassages does not save: extend the codec, then this list.
func TestPassageCodecFields(t *testing.T) {
	t.Parallel()
	fields := func(v any) []string {
		var out []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			out = append(out, typ.Field(i).Name)
		}
		return out
	}
	tests := []struct {
		v    any
		want []string
	}{
		// Facts are saved in their own section (facts_io.go).
		{Passage{}, []string{"Passage", "EmbedKey", "Facts"}},
		{corpus.Passage{}, []string{"ID", "ReportID", "Paragraph", "Part", "Parts", "HeadingPath", "Period", "Start", "End", "Text"}},
		{corpus.Period{}, []string{"Year", "Kind"}},
	}
	for _, tt := range tests {
		if got := fields(tt.v); !slices.Equal(got, tt.want) {
			t.Errorf("%T has fields %v; passages_io.go saves %v", tt.v, got, tt.want)
		}
	}
}

// TestPassageRoundTrip checks that saved passages read back equal.
func TestPassageRoundTrip(t *testing.T) {
	t.Parallel()
	ps := passagesOf(t, testIndex(t))
	ps = append(slices.Clone(ps), Passage{Passage: corpus.Passage{ID: "x", Period: corpus.Period{Year: -1}}, Facts: []byte{1, 2, 3}})
	var flat []byte
	if err := writePassagesFlat(&sliceWriter{&flat}, ps); err != nil {
		t.Fatal(err)
	}
	section, err := openPassages(inPlace{name: secPassages, data: flat})
	if err != nil {
		t.Fatal(err)
	}
	all, err := section.all()
	if err != nil || len(all) != len(ps) {
		t.Fatalf("flat layout: %d passages, %v; want %d", len(all), err, len(ps))
	}
	for i := range ps {
		w := ps[i]
		if len(w.HeadingPath) == 0 {
			w.HeadingPath = nil
		}
		w.Facts = nil // the facts section's, not the passages'
		one, err := section.at(i)
		if err != nil || !reflect.DeepEqual(one, w) || !reflect.DeepEqual(all[i], w) {
			t.Fatalf("flat layout, passage %d: got %+v and %+v (%v), want %+v", i, one, all[i], err, w)
		}
		if id, err := section.id(i); err != nil || id != w.ID {
			t.Fatalf("flat layout, ID of passage %d: %q, %v", i, id, err)
		}
		if p, err := section.period(i); err != nil || p != w.Period {
			t.Fatalf("flat layout, period of passage %d: %+v, %v; want %+v", i, p, err, w.Period)
		}
	}
	for _, cut := range []int{1, len(flat) / 2, len(flat) - 1} {
		if _, err := openPassages(inPlace{name: secPassages, data: flat[:cut]}); err == nil {
			t.Errorf("flat passages cut to %d bytes opened without error", cut)
		}
	}
	var buf []byte
	if err := writePassages(&sliceWriter{&buf}, ps); err != nil {
		t.Fatal(err)
	}
	got, err := readPassages(bytes.NewReader(buf), int64(len(buf)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ps) {
		t.Fatalf("got %d passages, want %d", len(got), len(ps))
	}
	for i := range ps {
		g, w := got[i], ps[i]
		if len(w.HeadingPath) == 0 {
			w.HeadingPath = nil
		}
		w.Facts = nil // the facts section's, not the passages'

		if !reflect.DeepEqual(g, w) {
			t.Fatalf("passage %d: got %+v, want %+v", i, g, w)
		}
	}
	for _, cut := range []int{1, len(buf) / 2, len(buf) - 1} {
		if _, err := readPassages(bytes.NewReader(buf[:cut]), int64(cut)); err == nil {
			t.Errorf("passages cut to %d bytes read without error", cut)
		}
	}
}

// TestOpenVersion1 checks that an index saved by the previous format (gob
// manifest with passages, chromem-go export) still opens.
func TestOpenVersion1(t *testing.T) {
	t.Parallel()
	e := testIndex(t)
	ix := e
	st, err := ix.Store(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	m := manifest{EmbedderID: ix.embedderID, Dim: ix.dim, Passages: ix.passages}
	for _, id := range slices.Sorted(maps.Keys(ix.reports)) {
		m.Reports = append(m.Reports, ix.reports[id])
	}
	var mbuf, vbuf bytes.Buffer
	if err := gob.NewEncoder(&mbuf).Encode(&m); err != nil {
		t.Fatal(err)
	}
	if err := st.Snapshot(&vbuf); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	file.WriteString(indexMagicV1)
	for _, sec := range [][]byte{mbuf.Bytes(), vbuf.Bytes()} {
		if err := writeSection(&file, sec); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, IndexFile), file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := Open(dir, e.emb)
	if err != nil {
		t.Fatal(err)
	}
	if old.Len() != ix.Len() {
		t.Fatalf("version 1 index: got %d passages, want %d", old.Len(), ix.Len())
	}
	q := "2018年武清区新增就业的目标是多少?"
	hits, err := old.Search(t.Context(), q, queryTerms(q), Filter{})
	if err != nil || !slices.ContainsFunc(hits, func(h Hit) bool { return strings.Contains(h.Passage.Text, "新增就业3.4万") }) {
		t.Errorf("search on a version 1 index: %v, %d hits without the 2018 jobs target", err, len(hits))
	}
}

func writeSection(w io.Writer, s []byte) error {
	if err := binary.Write(w, binary.LittleEndian, uint64(len(s))); err != nil {
		return err
	}
	_, err := w.Write(s)
	return err
}

// cancellingEmbedder cancels its context after embedding ok batches, then
// keeps embedding normally: the cancellation is seen only between batches.
type cancellingEmbedder struct {
	embed.Embedder
	mu      sync.Mutex
	ok      int
	cancel  context.CancelFunc
	batches int
}

func (c *cancellingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.batches++
	if c.batches == c.ok {
		c.cancel()
	}
	c.mu.Unlock()
	return c.Embedder.Embed(context.WithoutCancel(ctx), texts)
}

// TestSyncCancelled checks that a Sync whose context is cancelled between
// batches reports it, keeps what was embedded and does not claim to be
// complete.
func TestSyncCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	emb := &cancellingEmbedder{Embedder: newCounting(t), ok: 2, cancel: cancel}
	ix, _ := New(emb)
	saves := 0
	st, err := ix.Sync(ctx, bundled(t), SyncOptions{BatchSize: 8, Concurrency: 1, Checkpoint: func() error { saves++; return nil }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sync cancelled between batches: got error %v, want context.Canceled", err)
	}
	if st.Embedded == 0 || st.Embedded >= st.Passages || ix.Len() != st.Embedded || saves == 0 {
		t.Errorf("after cancelling: %d of %d embedded, %d indexed, %d checkpoints", st.Embedded, st.Passages, ix.Len(), saves)
	}
}

// TestVectorBackend checks which search answers the vector half: chromem-go
// for an embedded index below QuantizedFrom passages unless int8 is asked
// for, and that a search really builds and queries the chromem-go
// collection.
func TestVectorBackend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		set  VectorSearch
		want VectorSearch
	}{
		{"", VectorSearchChromem},
		{VectorSearchAuto, VectorSearchChromem},
		{VectorSearchChromem, VectorSearchChromem},
		{VectorSearchInt8, VectorSearchInt8},
	}
	for _, tt := range tests {
		t.Run(string(tt.set), func(t *testing.T) {
			ix := testIndex(t)
			ix.SetVectorSearch(tt.set)
			if got := ix.VectorBackend(); got != tt.want {
				t.Fatalf("VectorBackend() = %s, want %s", got, tt.want)
			}
			q := "2018年新增就业目标是多少?"
			hits, err := ix.Search(t.Context(), q, queryTerms(q), Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(hits, func(h Hit) bool { return strings.Contains(h.Passage.Text, "3.4万") }) {
				t.Errorf("no hit holds 3.4万")
			}
			if got := ix.VectorSearchName(); got != string(tt.want) {
				t.Errorf("VectorSearchName() = %q, want %q", got, tt.want)
			}
			ix.storeMu.Lock()
			built := ix.store != nil
			ix.storeMu.Unlock()
			if built != (tt.want == VectorSearchChromem) {
				t.Errorf("chromem-go collection built = %v after a search with %s", built, tt.want)
			}
		})
	}
}

// TestPrepareSearch checks that PrepareSearch builds the chromem-go
// collection when it will answer, and nothing when the matrix will.
func TestPrepareSearch(t *testing.T) {
	t.Parallel()
	for _, mode := range []VectorSearch{VectorSearchChromem, VectorSearchInt8} {
		ix := testIndex(t)
		ix.SetVectorSearch(mode)
		if err := ix.PrepareSearch(t.Context()); err != nil {
			t.Fatal(err)
		}
		ix.storeMu.Lock()
		built := ix.store != nil
		ix.storeMu.Unlock()
		if built != (mode == VectorSearchChromem) {
			t.Errorf("%s: collection built = %v after PrepareSearch", mode, built)
		}
	}
}

func TestParseVectorSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    VectorSearch
		wantErr bool
	}{
		{"", VectorSearchAuto, false},
		{"auto", VectorSearchAuto, false},
		{"chromem", VectorSearchChromem, false},
		{"int8", VectorSearchInt8, false},
		{"hnsw", "", true},
	}
	for _, tt := range tests {
		got, err := ParseVectorSearch(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseVectorSearch(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func encodeLex(t *testing.T, l *lexical.Index) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := l.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
