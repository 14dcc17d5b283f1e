package weaviate

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/weaviate/weaviate/entities/models"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/internal/weaviatetest"
)

// TestWeaviateCollectionFormat commits to a real weaviate-server and checks
// that the manifest records CollectionFormat; that collections of formats
// 1 and 2 (no format recorded, or 2: text stored twice, every property
// indexed) are refused with ErrOlderFormat, which `reportbot index` answers
// by rebuilding (TestWeaviateEvalMatchesChromem), rather than misread; and
// that one of a newer format is refused rather than read (issue 15, item 10).
func TestWeaviateCollectionFormat(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 1)
	ctx := t.Context()
	st, err := NewStore(Options{URLs: c.URLs, Collection: "FormatCheck"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	reports, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := index.NewSharedIndex(st, emb).Sync(ctx, reports[:1], index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	p, err := st.getMeta(ctx, manifestUUID)
	if err != nil || num(p["format"]) != CollectionFormat {
		t.Fatalf("manifest format = %v (%v), want %d", p["format"], err, CollectionFormat)
	}
	setFormat := func(format any) {
		t.Helper()
		props := map[string]any{}
		for k, v := range p {
			props[k] = v
		}
		props["format"] = format
		if err := st.batch(ctx, "test", []*models.Object{{Class: st.meta, ID: toUUID(manifestUUID), Properties: props}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, older := range []int{0, 2} { // as older reportbots left it
		setFormat(older)
		if _, err := index.OpenShared(ctx, st, emb); !errors.Is(err, ErrOlderFormat) {
			t.Errorf("collection of format %d: OpenShared = %v, want ErrOlderFormat", older, err)
		}
	}
	setFormat(CollectionFormat + 1)
	if _, err := index.OpenShared(ctx, st, emb); !errors.Is(err, index.ErrNewerFormat) {
		t.Errorf("collection of a newer format: OpenShared = %v, want ErrNewerFormat", err)
	}
}

// TestWeaviateCompression creates collections on a real weaviate-server and
// reads back their vector index config: 8-bit rotational quantization by
// default, none when asked (even on a server that quantizes by default);
// a store whose config differs from an existing collection logs a notice
// and opens it.
func TestWeaviateCompression(t *testing.T) {
	t.Parallel()
	bin := weaviatetest.Bin(t)
	c := weaviatetest.Start(t, bin, 1, "WEAVIATE_SERVER_DEFAULT_QUANTIZATION=rq-1")
	ctx := t.Context()
	stored := func(st *Store) string {
		t.Helper()
		got, err := st.class(ctx, st.Collection())
		if err != nil || got == nil {
			t.Fatalf("collection %s: %v, %v", st.Collection(), got, err)
		}
		return compressionOf(got.VectorIndexType, got.VectorIndexConfig)
	}
	for _, tt := range []struct{ collection, compression, want string }{
		{"CompressionDefault", "", CompressionRQ8},
		{"CompressionNone", CompressionNone, CompressionNone},
	} {
		st, err := NewStore(Options{URLs: c.URLs, Collection: tt.collection, Compression: tt.compression})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.EnsureSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stored(st); got != tt.want {
			t.Errorf("%s: the server holds compression %q, want %q", tt.collection, got, tt.want)
		}
	}
	var log bytes.Buffer
	st, err := NewStore(Options{URLs: c.URLs, Collection: "CompressionNone", Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureSchema(ctx); err != nil {
		t.Fatalf("EnsureSchema of a collection compressed otherwise: %v", err)
	}
	if !strings.Contains(log.String(), "index --rebuild") || stored(st) != CompressionNone {
		t.Errorf("a config of rq-8 over a collection without compression: log %q, server %q; want a notice and the collection unchanged", log.String(), stored(st))
	}
}
