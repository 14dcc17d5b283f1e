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
// collection per case.
func TestWeaviateConformance(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 1)
	var n atomic.Int32
	sharedtest.Run(t, func(t *testing.T) index.SharedStore {
		st, err := weaviate.NewStore(weaviate.Options{URLs: c.URLs, Collection: fmt.Sprintf("Conformance%d", n.Add(1))})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.EnsureSchema(t.Context()); err != nil {
			t.Fatal(err)
		}
		return st
	})
}
