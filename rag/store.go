package rag

import (
	"context"
	"fmt"
	"io"

	chromem "github.com/philippgille/chromem-go"
)

// VectorHit is one vector search result.
type VectorHit struct {
	ID         string
	Similarity float32
}

// VectorStore holds one vector per passage ID and finds the nearest ones.
// The embedded default is chromem-go; a distributed store can implement the
// same contract.
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

// ChromemStore is a VectorStore in an in-memory chromem-go collection. It
// can be saved with Snapshot (chromem-go's export, the vector section of
// version 1 index files) rather than chromem-go's per-document files. An
// Index searches its own int8 matrix instead and builds a ChromemStore of
// the same vectors on demand (Index.Store).
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

// Upsert implements VectorStore.
func (s *ChromemStore) Upsert(ctx context.Context, ids []string, vecs [][]float32) error {
	if len(ids) != len(vecs) {
		return fmt.Errorf("chromem store: %d ids for %d vectors", len(ids), len(vecs))
	}
	for i, id := range ids {
		if len(vecs[i]) != s.dim {
			return fmt.Errorf("chromem store: vector for %s has dimension %d, want %d", id, len(vecs[i]), s.dim)
		}
		if err := s.coll.AddDocument(ctx, chromem.Document{ID: id, Embedding: vecs[i]}); err != nil {
			return fmt.Errorf("chromem store: add %s: %w", id, err)
		}
	}
	return nil
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
