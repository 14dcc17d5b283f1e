package weaviate_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/index/sharedtest"
	"github.com/reportbot/reportbot/internal/weaviatetest"
	"github.com/reportbot/reportbot/weaviate"
)

// TestWeaviateConformance runs the SharedStore conformance suite, which the
// in-memory sharedtest.Mem also passes, against a real weaviate-server on
// loopback (skipped unless REPORTBOT_WEAVIATE_BIN is set), one fresh
// collection per case, with each vector index type the store offers
// but dynamic (which needs ASYNC_INDEXING).
func TestWeaviateConformance(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 1)
	var n atomic.Int32
	for _, vi := range []string{weaviate.VectorIndexHNSW, weaviate.VectorIndexFlat} {
		t.Run(vi, func(t *testing.T) {
			sharedtest.Run(t, func(t *testing.T) index.SharedStore {
				st, err := weaviate.NewStore(weaviate.Options{URLs: c.URLs, Collection: fmt.Sprintf("Conformance%d", n.Add(1)), VectorIndex: vi})
				if err != nil {
					t.Fatal(err)
				}
				if err := st.EnsureSchema(t.Context()); err != nil {
					t.Fatal(err)
				}
				return st
			})
		})
	}
}
