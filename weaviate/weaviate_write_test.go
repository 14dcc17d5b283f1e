package weaviate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

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
	url := fakeNode(t, func(w http.ResponseWriter) {
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
// turn, and that a node that fails is left out of the turns for nodeRest
// after one failed attempt, without losing a batch.
func TestBatchesTakeTurns(t *testing.T) {
	t.Parallel()
	const nodes = 3
	var (
		batches [nodes]atomic.Int32
		down    [nodes]atomic.Bool
		urls    []string
	)
	for i := range nodes {
		urls = append(urls, fakeNode(t, func(w http.ResponseWriter) {
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
	ctx := t.Context()
	reports := map[string]corpus.Report{"r": {ID: "r"}}
	put := func(n int) {
		t.Helper()
		ps := make([]index.Passage, n)
		vecs := make([][]float32, n)
		for i := range ps {
			ps[i] = index.Passage{Passage: corpus.Passage{ID: string(rune('a' + i)), ReportID: "r"}}
			vecs[i] = []float32{1, 0}
		}
		if err := st.Put(ctx, reports, ps, vecs); err != nil {
			t.Fatal(err)
		}
		if err := st.Flush(ctx); err != nil {
			t.Fatalf("Flush = %v", err)
		}
	}
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
	// Node 1 failed once and was then left out; the other two took every
	// batch, the failed one included.
	if got := counts(); got[1] != 1 || got[0]+got[2] != 3*nodes {
		t.Errorf("batch requests per node with node 1 down = %v, want node 1 tried once and nodes 0 and 2 taking all %d", got, 3*nodes)
	}
}

// fakeNode starts a fake Weaviate node, stopped when the test ends, and
// returns its URL. It answers /v1/meta, checks that a batch request is a
// POST of objects each with a class and an ID, as Weaviate would (422
// otherwise), and passes a valid one to batch to answer.
func fakeNode(t *testing.T, batch func(w http.ResponseWriter)) string {
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
			batch(w)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
