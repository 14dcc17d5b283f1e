package weaviate_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/cedict"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/eval"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/internal/weaviatetest"
	"github.com/reportbot/reportbot/rag"
	"github.com/reportbot/reportbot/weaviate"
)

// The tests in this file run against real weaviate-server processes on
// loopback. They are skipped unless REPORTBOT_WEAVIATE_BIN names the binary
// (scripts/weaviate.sh install builds it; .ci/run sets it).

// newTestWeaviate opens a store on the cluster c, writing over gRPC.
func newTestWeaviate(t *testing.T, c *weaviatetest.Cluster, rf int, collection string) *weaviate.Store {
	t.Helper()
	st, err := weaviate.NewStore(weaviate.Options{URLs: c.URLs, GRPCHosts: c.GRPCHosts(), Collection: collection,
		ReplicationFactor: rf, BatchSize: 40})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureSchema(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

type dictOnce struct {
	once sync.Once
	d    *cedict.Dict
}

func (d *dictOnce) Lookup(phrase string) []cedict.Candidate {
	d.once.Do(func() { d.d, _ = cedict.Default() })
	if d.d == nil {
		return nil
	}
	return d.d.Lookup(phrase)
}

// TestWeaviateSingleNode indexes the bundled reports into one node, checks
// idempotence, deletion and metadata filters, and answers while another
// client indexes.
func TestWeaviateSingleNode(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 1)
	ctx := t.Context()
	emb := newCounting(t)
	reports := bundled(t)
	st := newTestWeaviate(t, c, 1, "Passages")

	t.Run("index, idempotent, delete", func(t *testing.T) {
		ix := index.NewSharedIndex(st, emb)
		s1, err := ix.Sync(ctx, reports, index.SyncOptions{BatchSize: 30})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := st.Passages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != s1.Passages || s1.Embedded != s1.Passages {
			t.Fatalf("after indexing %d passages the collection holds %d (%+v)", s1.Passages, len(stored), s1)
		}
		// A second process opening the index and syncing again stores nothing.
		ix2, err := index.OpenShared(ctx, st, emb)
		if err != nil {
			t.Fatal(err)
		}
		gen := ix2.Generation()
		s2, err := ix2.Sync(ctx, reports, index.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if s2.Changed() || ix2.Generation() != gen {
			t.Errorf("second sync changed something: %+v", s2)
		}
		// Storing the same passages again (a retried batch) does not duplicate them.
		again := stored[:10]
		vecs, _ := emb.Embed(ctx, make([]string, len(again)))
		for i := range vecs {
			vecs[i][0] = 1
		}
		byID := map[string]corpus.Report{}
		for _, r := range reports {
			byID[r.ID] = r
		}
		if err := st.Put(ctx, byID, again, vecs); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.Passages(ctx); len(n) != len(stored) {
			t.Errorf("re-putting 10 passages changed the count from %d to %d", len(stored), len(n))
		}
		// Dropping a report deletes its passages.
		s3, err := ix2.Sync(ctx, reports[:1], index.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		left, _ := st.Passages(ctx)
		if s3.Removed == 0 || len(left) != s3.Passages {
			t.Errorf("after dropping a report: %+v, %d stored", s3, len(left))
		}
		if _, err := ix2.Sync(ctx, reports, index.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("filters on period metadata", func(t *testing.T) {
		vecs, _ := emb.Embed(ctx, []string{"新增就业"})
		hits, err := st.Search(ctx, index.SharedSearch{Text: "新增就业", Vector: vecs[0], K: 20, Years: []int{2018}, Kind: corpus.PeriodTarget})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Fatal("no 2018 target passages about 新增就业")
		}
		for _, h := range hits {
			if h.Passage.Period.Year != 2018 || h.Passage.Period.Kind != corpus.PeriodTarget {
				t.Errorf("filtered search returned %s with period %+v", h.Passage.ID, h.Passage.Period)
			}
		}
		if hits[0].LexicalRank == 0 && hits[0].VectorRank == 0 {
			t.Errorf("top hit has no ranker ranks: %+v", hits[0])
		}
	})

	t.Run("delete a report by filter", func(t *testing.T) {
		before, err := st.Passages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		victim := reports[0].ID
		want := 0
		for _, p := range before {
			if p.ReportID == victim {
				want++
			}
		}
		n, err := st.DeleteReports(ctx, []string{victim, "no-such-report"})
		if err != nil || n != want || want == 0 {
			t.Fatalf("DeleteReports = %d, %v; the report had %d passages", n, err, want)
		}
		left, err := st.Passages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range left {
			if p.ReportID == victim {
				t.Fatalf("passage %s of the deleted report is still stored", p.ID)
			}
		}
		if len(left) != len(before)-want {
			t.Errorf("%d passages left of %d after deleting %d", len(left), len(before), want)
		}
		// A sync puts the report back.
		ix, err := index.OpenShared(ctx, st, emb)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := ix.Sync(ctx, reports, index.SyncOptions{}); err != nil || s.Embedded != want {
			t.Fatalf("re-sync after the deletion: %+v, %v; want %d passages embedded", s, err, want)
		}
	})

	t.Run("answers while another client indexes", func(t *testing.T) {
		reader := newTestWeaviate(t, c, 1, "Passages")
		f, err := rag.NewFollower(ctx, reader, emb, func(ix *index.Index) (*rag.Engine, error) { return rag.NewEngine(ix, nil, nil) }, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A second client (as another process would) re-indexes a changed
		// corpus (one passage replaced by a new one) and commits, while the
		// follower keeps answering from the shared collection.
		changed := slices.Clone(reports)
		for i := range changed {
			if changed[i].Year == 2018 {
				changed[i].Text = strings.Replace(changed[i].Text, "新增就业3.4万人", "新增就业3.5万人", 1)
			}
		}
		writer := newTestWeaviate(t, c, 1, "Passages")
		wix, err := index.OpenShared(ctx, writer, emb)
		if err != nil {
			t.Fatal(err)
		}
		var asked, bad atomic.Int64
		var firstErr atomic.Value
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				a, err := f.Engine().Ask(ctx, "计划新增多少所养老服务综合体?")
				asked.Add(1)
				if err != nil || !strings.Contains(a.Text, "4所") {
					bad.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%v %+v", err, a))
				}
			}
		}()
		time.Sleep(200 * time.Millisecond)
		if _, err := wix.Sync(ctx, changed, index.SyncOptions{BatchSize: 5}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		close(stop)
		<-done
		if asked.Load() == 0 || bad.Load() > 0 {
			t.Errorf("%d of %d answers during indexing were wrong or failed; first: %v", bad.Load(), asked.Load(), firstErr.Load())
		}
		if ok, err := f.Refresh(ctx); !ok || err != nil {
			t.Fatalf("Refresh after the commit = %v, %v", ok, err)
		}
		a, err := f.Engine().Ask(ctx, "2018年新增就业目标是多少?")
		if err != nil || !strings.Contains(a.Text, "3.5万") {
			t.Errorf("after refresh: %v %q", err, a.Text)
		}
		// Restore the original corpus for later subtests.
		if _, err := wix.Sync(ctx, reports, index.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestWeaviateClusterNodeLoss runs a three-node cluster with replication
// factor 2, answers the dev questions in a loop, kills -9 the node the
// client talks to in the middle, and checks that answers keep coming, equal
// to those before the kill, and that no passage is lost.
func TestWeaviateClusterNodeLoss(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 3)
	ctx := t.Context()
	emb := newCounting(t)
	var storeLog bytes.Buffer // written under the slog handler's lock; read after the workers stop
	st, err := weaviate.NewStore(weaviate.Options{URLs: c.URLs, Collection: "Passages", ReplicationFactor: 2,
		ReadConsistency: weaviate.ConsistencyOne, WriteConsistency: weaviate.ConsistencyQuorum, Timeout: 5 * time.Second,
		Log: slog.New(slog.NewTextHandler(&storeLog, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	ix := index.NewSharedIndex(st, emb)
	stats, err := ix.Sync(ctx, bundled(t), index.SyncOptions{BatchSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	e, err := rag.NewEngine(ix, &dictOnce{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	qs := devEvalQuestions(t)
	baseline := map[string]string{}
	for _, q := range qs {
		a, err := e.Ask(ctx, q.Question)
		if err != nil {
			t.Fatalf("before the kill: %s: %v", q.ID, err)
		}
		baseline[q.ID] = answerKey(a)
	}

	// Two workers ask the dev questions in a loop, so that requests are in
	// flight when node 0, the node the client prefers, is killed.
	var (
		mu                 sync.Mutex
		answered, afterKil int
		slowest            time.Duration
		failures           []string
		killed             atomic.Bool
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := qs[i%len(qs)]
				wasKilled := killed.Load()
				qctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				start := time.Now()
				a, err := e.Ask(qctx, q.Question)
				cancel()
				mu.Lock()
				answered++
				if wasKilled {
					afterKil++
					slowest = max(slowest, time.Since(start))
				}
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("%s: %v", q.ID, err))
				case answerKey(a) != baseline[q.ID]:
					failures = append(failures, fmt.Sprintf("%s: answer changed: %q → %q", q.ID, baseline[q.ID], answerKey(a)))
				}
				mu.Unlock()
			}
		})
	}
	count := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return answered, afterKil
	}
	deadline := time.Now().Add(3 * time.Minute)
	for n, _ := count(); n < len(qs) && time.Now().Before(deadline); n, _ = count() {
		time.Sleep(10 * time.Millisecond)
	}
	killed.Store(true)
	if err := c.Kill(0); err != nil {
		t.Fatal(err)
	}
	n, _ := count()
	t.Logf("killed node 0 (%s) after %d answers", c.URLs[0], n)
	for _, k := count(); k < 3*len(qs) && time.Now().Before(deadline); _, k = count() {
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d answers, %d asked after the kill (slowest %s), %d failures", answered, afterKil, slowest.Round(time.Millisecond), len(failures))
	if afterKil < 3*len(qs) {
		t.Errorf("only %d answers after the kill", afterKil)
	}
	if len(failures) > 0 {
		t.Errorf("%d answers failed or changed after losing a node; first: %s", len(failures), failures[0])
	}
	if !strings.Contains(storeLog.String(), "failed over") {
		t.Errorf("the client never failed over from the killed node; store log:\n%s", storeLog.String())
	}

	// Nothing lost: every passage is still readable from a live replica.
	ids := make([]string, 0, ix.Len())
	all, err := ix.Passages()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		ids = append(ids, p.ID)
	}
	got, err := st.Fetch(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != stats.Passages {
		t.Errorf("after losing a node %d of %d passages are readable", len(got), stats.Passages)
	}
	// And a follower starting now (listing the collection) sees them all.
	listed, err := st.Passages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != stats.Passages {
		t.Errorf("after losing a node the collection lists %d of %d passages", len(listed), stats.Passages)
	}

	// Writes go on: batches start at each node in turn, so some turns land
	// on the dead node, and they fail over. (At consistency ONE: QUORUM of
	// two replicas needs both, so a shard with a replica on the dead node
	// refuses it.) How often the dead node is tried is the unit tests'
	// business (TestBatchesTakeTurns): here, live nodes too may time out
	// right after the loss, while they still wait for the dead replica.
	var writeLog bytes.Buffer
	w, err := weaviate.NewStore(weaviate.Options{URLs: c.URLs, Collection: "Passages", ReplicationFactor: 2,
		ReadConsistency: weaviate.ConsistencyOne, WriteConsistency: weaviate.ConsistencyOne, Timeout: 5 * time.Second,
		BatchSize: 5, Concurrency: 1, Log: slog.New(slog.NewTextHandler(&writeLog, nil))})
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]corpus.Report{}
	for _, r := range bundled(t) {
		reports[r.ID] = r
	}
	more := slices.Clone(all[:30])
	texts := make([]string, len(more))
	moreIDs := make([]string, len(more))
	for i := range more {
		more[i].ID += "-after-loss"
		texts[i], moreIDs[i] = more[i].Text, more[i].ID
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(ctx, reports, more, vecs); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("writing %d passages with a node down: %v", len(more), err)
	}
	if got, err := w.Fetch(ctx, moreIDs); err != nil || len(got) != len(more) {
		t.Errorf("%d of the %d passages written with a node down are readable (err %v)", len(got), len(more), err)
	}
	t.Logf("%d batches written with a node down, %d failed attempts", len(more)/5, strings.Count(writeLog.String(), "request failed"))
}

// answerKey is what must not change when a node is lost: the answer text
// and the cited passages.
func answerKey(a *answer.Answer) string {
	var b strings.Builder
	b.WriteString(a.Text)
	for _, c := range append(a.Citations, a.Closest...) {
		b.WriteString("|" + c.PassageID)
	}
	return b.String()
}

func newCounting(t testing.TB) embed.Embedder {
	t.Helper()
	h, err := embed.NewHash(embed.DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func bundled(t testing.TB) []corpus.Report {
	t.Helper()
	reports, problems, err := corpus.Default()
	if err != nil || len(problems) > 0 {
		t.Fatalf("corpus.Default: %v %v", err, problems)
	}
	return reports
}

func devEvalQuestions(tb testing.TB) []eval.Question {
	tb.Helper()
	f, err := os.Open("../testdata/questions.dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	qs, err := eval.ReadQuestions(f)
	if err != nil {
		tb.Fatal(err)
	}
	return qs
}
