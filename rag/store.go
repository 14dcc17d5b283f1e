package rag

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	chromem "github.com/philippgille/chromem-go"
)

// VectorHit is one vector search result.
type VectorHit struct {
	ID         string
	Similarity float32
}

// VectorStore holds one vector per passage ID and finds the nearest ones.
// ChromemStore implements it in the process; a store that several
// processes share implements SharedStore instead (see shared.go).
type VectorStore interface {
	// Upsert stores vectors under ids, replacing existing ones.
	Upsert(ctx context.Context, ids []string, vecs [][]float32) error
	// Delete removes ids; unknown ids are ignored.
	Delete(ctx context.Context, ids []string) error
	// Vector returns a copy of the stored vector of id, or false.
	Vector(ctx context.Context, id string) ([]float32, bool)
	// Query returns up to k nearest ids by cosine similarity, best first.
	// k larger than the number of vectors is clamped.
	Query(ctx context.Context, vec []float32, k int) ([]VectorHit, error)
	// Count is the number of stored vectors.
	Count() int
}

const chromemCollection = "passages"

// ChromemStore is a VectorStore in an in-memory chromem-go collection: the
// embedded store of an Index, which builds one of its passages (vectors,
// text, metadata) and queries it for the vector half of Search (see
// VectorSearch). The index file, not chromem-go's per-document files,
// persists the vectors; Snapshot writes chromem-go's export format (the
// vector section of version 1 index files).
type ChromemStore struct {
	db   *chromem.DB
	coll *chromem.Collection
	dim  int
}

// errNoEmbeddingFunc guards against chromem-go's silent OpenAI default: the
// store is always given vectors, so any call to this function is a bug.
func errNoEmbeddingFunc(context.Context, string) ([]float32, error) {
	return nil, fmt.Errorf("chromem store: vectors must be supplied by the caller")
}

// NewChromemStore returns an empty store for vectors of length dim.
func NewChromemStore(dim int) (*ChromemStore, error) {
	db := chromem.NewDB()
	coll, err := db.CreateCollection(chromemCollection, nil, errNoEmbeddingFunc)
	if err != nil {
		return nil, fmt.Errorf("chromem store: %w", err)
	}
	return &ChromemStore{db: db, coll: coll, dim: dim}, nil
}

// ChromemDoc is one passage for a ChromemStore: its vector, text and
// metadata (string values, usable in chromem-go where filters).
type ChromemDoc struct {
	ID       string
	Vector   []float32
	Content  string
	Metadata map[string]string
}

// Add stores docs, replacing documents with the same ID. A zero vector is
// not stored: it has no direction, so it is similar to nothing, and
// chromem-go would turn it into NaN scores.
func (s *ChromemStore) Add(ctx context.Context, docs []ChromemDoc) error {
	for _, d := range docs {
		if len(d.Vector) != s.dim {
			return fmt.Errorf("chromem store: vector for %s has dimension %d, want %d", d.ID, len(d.Vector), s.dim)
		}
		if isZero(d.Vector) {
			continue
		}
		if err := s.coll.AddDocument(ctx, chromem.Document{ID: d.ID, Embedding: d.Vector, Content: d.Content, Metadata: d.Metadata}); err != nil {
			return fmt.Errorf("chromem store: add %s: %w", d.ID, err)
		}
	}
	return nil
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// Upsert implements VectorStore.
func (s *ChromemStore) Upsert(ctx context.Context, ids []string, vecs [][]float32) error {
	if len(ids) != len(vecs) {
		return fmt.Errorf("chromem store: %d ids for %d vectors", len(ids), len(vecs))
	}
	docs := make([]ChromemDoc, len(ids))
	for i, id := range ids {
		docs[i] = ChromemDoc{ID: id, Vector: vecs[i]}
	}
	return s.Add(ctx, docs)
}

// Delete implements VectorStore.
func (s *ChromemStore) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.coll.Delete(ctx, nil, nil, ids...); err != nil {
		return fmt.Errorf("chromem store: delete: %w", err)
	}
	return nil
}

// Vector implements VectorStore.
func (s *ChromemStore) Vector(ctx context.Context, id string) ([]float32, bool) {
	doc, err := s.coll.GetByID(ctx, id)
	if err != nil {
		return nil, false
	}
	return doc.Embedding, true
}

// Query implements VectorStore.
func (s *ChromemStore) Query(ctx context.Context, vec []float32, k int) ([]VectorHit, error) {
	if len(vec) != s.dim {
		return nil, fmt.Errorf("chromem store: query vector has dimension %d, want %d", len(vec), s.dim)
	}
	k = min(k, s.coll.Count())
	if k <= 0 {
		return nil, nil
	}
	res, err := s.coll.QueryEmbedding(ctx, vec, k, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("chromem store: query: %w", err)
	}
	hits := make([]VectorHit, len(res))
	for i, r := range res {
		hits[i] = VectorHit{ID: r.ID, Similarity: r.Similarity}
	}
	// chromem-go collects results from goroutines: order equal scores by
	// ID so that the same question always gets the same ranking.
	slices.SortStableFunc(hits, func(a, b VectorHit) int {
		if c := cmp.Compare(b.Similarity, a.Similarity); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return hits, nil
}

// Count implements VectorStore.
func (s *ChromemStore) Count() int { return s.coll.Count() }

// Snapshot writes the collection in chromem-go's export format (gob,
// uncompressed) to w.
func (s *ChromemStore) Snapshot(w io.Writer) error {
	if err := s.db.ExportToWriter(w, false, "", chromemCollection); err != nil {
		return fmt.Errorf("chromem store: export: %w", err)
	}
	return nil
}

// RestoreChromemStore reads a Snapshot back.
func RestoreChromemStore(r io.ReadSeeker, dim int) (*ChromemStore, error) {
	db := chromem.NewDB()
	if err := db.ImportFromReader(r, "", chromemCollection); err != nil {
		return nil, fmt.Errorf("chromem store: import: %w", err)
	}
	coll := db.GetCollection(chromemCollection, errNoEmbeddingFunc)
	if coll == nil {
		return nil, fmt.Errorf("chromem store: snapshot has no %q collection", chromemCollection)
	}
	return &ChromemStore{db: db, coll: coll, dim: dim}, nil
}
