package weaviate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// TestPutWritesBehind checks the background writes: Put returns before the
// batches are stored, at most Concurrency requests are in flight, Flush
// waits for them, and a failed batch is reported once, by the next Flush
// or Put (which then sends nothing).
func TestPutWritesBehind(t *testing.T) {
	t.Parallel()
	var (
		inFlight, most atomic.Int32
		fail           atomic.Bool
		release        = make(chan struct{})
		once           sync.Once
	)
	url := fakeNode(t, func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		if fail.Load() {
			http.Error(w, `{"error":[{"message":"bad object"}]}`, http.StatusUnprocessableEntity)
			return
		}
		w.Write([]byte(`[]`))
	})
	defer once.Do(func() { close(release) })
	st, err := NewStore(Options{URLs: []string{url}, BatchSize: 2, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	reports := map[string]corpus.Report{"r": {ID: "r"}}
	ps := make([]index.Passage, 4)
	vecs := make([][]float32, 4)
	for i := range ps {
		ps[i] = index.Passage{Passage: corpus.Passage{ID: string(rune('a' + i)), ReportID: "r"}}
		vecs[i] = []float32{1, 0}
	}
	// Two batches of two, both held by the server: Put still returns.
	if err := st.Put(ctx, reports, ps, vecs); err != nil {
		t.Fatal(err)
	}
	once.Do(func() { close(release) })
	if err := st.Flush(ctx); err != nil {
		t.Fatalf("Flush = %v", err)
	}
	if m := most.Load(); m > 2 {
		t.Errorf("%d batch requests in flight, want at most 2", m)
	}
	fail.Store(true)
	if err := st.Put(ctx, reports, ps[:1], vecs[:1]); err != nil {
		t.Fatalf("Put = %v; a failure shows at the next call", err)
	}
	if err := st.Flush(ctx); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("Flush after a failed batch = %v, want the 422", err)
	}
	if err := st.Flush(ctx); err != nil {
		t.Errorf("second Flush = %v, want the error reported once", err)
	}
	if err := st.Put(ctx, reports, ps[:1], vecs[:1]); err != nil {
		t.Fatal(err)
	}
	if err := st.waitWrites(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, reports, ps[:1], vecs[:1]); err == nil {
		t.Error("Put after a failed batch returned no error")
	}
	if err := st.Flush(ctx); err != nil {
		t.Errorf("Flush = %v: the Put that reported the failure sent nothing", err)
	}
}

// TestNewStoreGRPCHosts: one gRPC host per URL, and none for https URLs
// (the client would not verify their TLS certificates).
func TestNewStoreGRPCHosts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		urls, grpc []string
		ok         bool
	}{
		{[]string{"http://127.0.0.1:8080"}, nil, true},
		{[]string{"http://127.0.0.1:8080"}, []string{"127.0.0.1:8081"}, true},
		{[]string{"http://127.0.0.1:8080", "http://127.0.0.1:8090"}, []string{"127.0.0.1:8081"}, false},
		{[]string{"https://weaviate.example:443"}, []string{"weaviate.example:50051"}, false},
	} {
		_, err := NewStore(Options{URLs: tc.urls, GRPCHosts: tc.grpc})
		if (err == nil) != tc.ok {
			t.Errorf("NewStore(%v, gRPC %v) error = %v, want ok %v", tc.urls, tc.grpc, err, tc.ok)
		}
	}
}

// TestBatchesTakeTurns checks that batch writes start at each node in
// turn; that a node that fails is tried once, then passed over for the
// rest period while the others share its turns evenly, without losing a
// batch; and that it takes its turns again once it answers.
func TestBatchesTakeTurns(t *testing.T) {
	t.Parallel()
	const nodes = 3
	var (
		batches [nodes]atomic.Int32
		down    [nodes]atomic.Bool
		urls    []string
	)
	for i := range nodes {
		urls = append(urls, fakeNode(t, func(w http.ResponseWriter, r *http.Request) {
			batches[i].Add(1)
			if down[i].Load() {
				http.Error(w, `{"error":[{"message":"shutting down"}]}`, http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte(`[]`))
		}))
	}
	// One batch in flight at a time, so that the turns are exact.
	st, err := NewStore(Options{URLs: urls, BatchSize: 1, Concurrency: 1, Attempts: 2 * nodes})
	if err != nil {
		t.Fatal(err)
	}
	st.rest = time.Hour // no rest period ends by itself in this test
	put := putter(t, st)
	counts := func() (c [nodes]int32) {
		for i := range nodes {
			c[i] = batches[i].Swap(0)
		}
		return c
	}
	put(3 * nodes)
	if got, want := counts(), [nodes]int32{3, 3, 3}; got != want {
		t.Errorf("batch requests per node = %v, want %v (each node in turn)", got, want)
	}
	down[1].Store(true)
	put(3 * nodes)
	// Node 1 failed once and was then passed over; the other two took
	// every batch, the failed one included, about half each.
	if got := counts(); got[1] != 1 || got[0]+got[2] != 3*nodes || max(got[0]-got[2], got[2]-got[0]) > 1 {
		t.Errorf("batch requests per node with node 1 down = %v, want node 1 tried once and nodes 0 and 2 sharing all %d evenly", got, 3*nodes)
	}
	down[1].Store(false)
	st.rest = 0 // node 1's rest is over (no batch is in flight)
	put(3 * nodes)
	if got, want := counts(), [nodes]int32{3, 3, 3}; got != want {
		t.Errorf("batch requests per node once node 1 is back = %v, want %v", got, want)
	}
}

// TestBatchesHangingNode: when the rest period of a node that failed is
// over, one batch tries it again; if the node hangs, the other batches do
// not wait on it too but pass it over until that batch has its answer.
func TestBatchesHangingNode(t *testing.T) {
	t.Parallel()
	const nodes = 3
	var (
		batches [nodes]atomic.Int32
		hang    atomic.Bool
		urls    []string
	)
	for i := range nodes {
		urls = append(urls, fakeNode(t, func(w http.ResponseWriter, r *http.Request) {
			batches[i].Add(1)
			if i == 1 && hang.Load() {
				<-r.Context().Done() // until the client gives up
				return
			}
			if i == 1 {
				http.Error(w, `{"error":[{"message":"shutting down"}]}`, http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte(`[]`))
		}))
	}
	st, err := NewStore(Options{URLs: urls, BatchSize: 1, Concurrency: 2, Attempts: 2 * nodes, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st.rest = time.Hour
	put := putter(t, st)
	put(nodes) // node 1 fails once and rests
	for i := range nodes {
		batches[i].Store(0)
	}
	hang.Store(true)
	// Its rest is over (no batch is in flight): the next turn that lands
	// on it claims it, for another rest period.
	st.rest = time.Minute
	st.failedAt[1].Store(time.Now().Add(-2 * st.rest).UnixNano())
	put(3 * nodes)
	if got := batches[1].Load(); got != 1 {
		t.Errorf("the hanging node got %d batch requests, want 1 (the batch that tried it again)", got)
	}
}

// TestBatchesNodeThatAnswers: a node that answers a batch with objects it
// could not store (a replica elsewhere unreachable) is up, so it keeps its
// turns; the batch is tried again on the next node.
func TestBatchesNodeThatAnswers(t *testing.T) {
	t.Parallel()
	const nodes = 3
	var (
		batches [nodes]atomic.Int32
		urls    []string
	)
	for i := range nodes {
		urls = append(urls, fakeNode(t, func(w http.ResponseWriter, r *http.Request) {
			if batches[i].Add(1) == 1 && i == 1 {
				w.Write([]byte(`[{"class":"ReportbotPassages","result":{"errors":{"error":[{"message":"cannot reach enough replicas"}]}}}]`))
				return
			}
			w.Write([]byte(`[]`))
		}))
	}
	st, err := NewStore(Options{URLs: urls, BatchSize: 1, Concurrency: 1, Attempts: 2 * nodes})
	if err != nil {
		t.Fatal(err)
	}
	st.rest = time.Hour
	putter(t, st)(3 * nodes)
	// Node 1 had its three turns and one more request: the retry of its
	// first batch went to node 2.
	if got := [nodes]int32{batches[0].Load(), batches[1].Load(), batches[2].Load()}; got != [nodes]int32{3, 3, 4} {
		t.Errorf("batch requests per node = %v, want [3 3 4]: a node that answered keeps its turns", got)
	}
}

// putter returns a function that puts n passages into st and flushes.
func putter(t *testing.T, st *Store) func(n int) {
	reports := map[string]corpus.Report{"r": {ID: "r"}}
	return func(n int) {
		t.Helper()
		ps := make([]index.Passage, n)
		vecs := make([][]float32, n)
		for i := range ps {
			ps[i] = index.Passage{Passage: corpus.Passage{ID: string(rune('a' + i)), ReportID: "r"}}
			vecs[i] = []float32{1, 0}
		}
		if err := st.Put(t.Context(), reports, ps, vecs); err != nil {
			t.Fatal(err)
		}
		if err := st.Flush(t.Context()); err != nil {
			t.Fatalf("Flush = %v", err)
		}
	}
}

// fakeNode starts a fake Weaviate node, stopped when the test ends, and
// returns its URL. It answers /v1/meta, checks that a batch request is a
// POST of objects each with a class and an ID, as Weaviate would (422
// otherwise), and passes a valid one to batch to answer.
func fakeNode(t *testing.T, batch func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/meta":
			w.Write([]byte(`{"version":"1.35.2"}`))
		case "/v1/batch/objects":
			var body struct {
				Objects []struct {
					Class string `json:"class"`
					ID    string `json:"id"`
				} `json:"objects"`
			}
			if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil || len(body.Objects) == 0 {
				http.Error(w, `{"error":[{"message":"want a POST of objects"}]}`, http.StatusUnprocessableEntity)
				return
			}
			for _, o := range body.Objects {
				if o.Class == "" || o.ID == "" {
					http.Error(w, `{"error":[{"message":"an object without class or id"}]}`, http.StatusUnprocessableEntity)
					return
				}
			}
			batch(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
