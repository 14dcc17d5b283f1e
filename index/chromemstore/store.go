// Package chromemstore keeps passage vectors, text and metadata in a
// chromem-go collection and answers nearest-neighbour queries over them. It is
// the only package that imports chromem-go.
package chromemstore

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	chromem "github.com/philippgille/chromem-go"
)

// Hit is one vector search result.
type Hit struct {
	ID         string
	Similarity float32
}

const chromemCollection = "passages"

// Store holds one vector per passage in an in-memory chromem-go collection: the
// embedded store of an Index, which builds one of its passages (vectors,
// text, metadata) and queries it for the vector half of Search (see
// VectorSearch). The index file, not chromem-go's per-document files,
// persists the vectors; Snapshot writes chromem-go's export format (the
// vector section of version 1 index files).
type Store struct {
	db   *chromem.DB
	coll *chromem.Collection
	dim  int
}

// errNoEmbeddingFunc guards against chromem-go's silent OpenAI default: the
// store is always given vectors, so any call to this function is a bug.
func errNoEmbeddingFunc(context.Context, string) ([]float32, error) {
	return nil, fmt.Errorf("chromem store: vectors must be supplied by the caller")
}

// New returns an empty store for vectors of length dim.
func New(dim int) (*Store, error) {
	db := chromem.NewDB()
	coll, err := db.CreateCollection(chromemCollection, nil, errNoEmbeddingFunc)
	if err != nil {
		return nil, fmt.Errorf("chromem store: %w", err)
	}
	return &Store{db: db, coll: coll, dim: dim}, nil
}

// Doc is one passage for a ChromemStore: its vector, text and
// metadata (string values, usable in chromem-go where filters).
type Doc struct {
	ID       string
	Vector   []float32
	Content  string
	Metadata map[string]string
}

// Add stores docs, replacing documents with the same ID. A zero vector is
// not stored: it has no direction, so it is similar to nothing, and
// chromem-go would turn it into NaN scores.
func (s *Store) Add(ctx context.Context, docs []Doc) error {
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

// Upsert stores vectors by passage ID, replacing any stored under the same ID.
func (s *Store) Upsert(ctx context.Context, ids []string, vecs [][]float32) error {
	if len(ids) != len(vecs) {
		return fmt.Errorf("chromem store: %d ids for %d vectors", len(ids), len(vecs))
	}
	docs := make([]Doc, len(ids))
	for i, id := range ids {
		docs[i] = Doc{ID: id, Vector: vecs[i]}
	}
	return s.Add(ctx, docs)
}

// Delete removes vectors by ID; unknown IDs are ignored.
func (s *Store) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.coll.Delete(ctx, nil, nil, ids...); err != nil {
		return fmt.Errorf("chromem store: delete: %w", err)
	}
	return nil
}

// Vector returns the vector stored for id.
func (s *Store) Vector(ctx context.Context, id string) ([]float32, bool) {
	doc, err := s.coll.GetByID(ctx, id)
	if err != nil {
		return nil, false
	}
	return doc.Embedding, true
}

// Query returns up to k nearest IDs by cosine similarity, best first.
func (s *Store) Query(ctx context.Context, vec []float32, k int) ([]Hit, error) {
	return s.query(ctx, vec, k, nil)
}

// QueryIn is Query over the documents whose metadata key has one of values:
// the k nearest of those (fewer when fewer match). chromem-go's where
// filters match one value per key, so it runs one filtered query per value
// and keeps the best k of their results.
func (s *Store) QueryIn(ctx context.Context, vec []float32, k int, key string, values []string) ([]Hit, error) {
	var hits []Hit
	for _, v := range slices.Compact(slices.Sorted(slices.Values(values))) {
		h, err := s.query(ctx, vec, k, map[string]string{key: v})
		if err != nil {
			return nil, err
		}
		hits = append(hits, h...)
	}
	sortHits(hits)
	return hits[:min(k, len(hits))], nil
}

func (s *Store) query(ctx context.Context, vec []float32, k int, where map[string]string) ([]Hit, error) {
	if len(vec) != s.dim {
		return nil, fmt.Errorf("chromem store: query vector has dimension %d, want %d", len(vec), s.dim)
	}
	k = min(k, s.coll.Count())
	if k <= 0 {
		return nil, nil
	}
	res, err := s.coll.QueryEmbedding(ctx, vec, k, where, nil)
	if err != nil {
		return nil, fmt.Errorf("chromem store: query: %w", err)
	}
	hits := make([]Hit, len(res))
	for i, r := range res {
		hits[i] = Hit{ID: r.ID, Similarity: r.Similarity}
	}
	sortHits(hits)
	return hits, nil
}

// sortHits orders hits best first. chromem-go collects results from
// goroutines: equal scores are ordered by ID so that the same question
// always gets the same ranking.
func sortHits(hits []Hit) {
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Similarity, a.Similarity); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Count is the number of stored vectors.
func (s *Store) Count() int { return s.coll.Count() }

// Snapshot writes the collection in chromem-go's export format (gob,
// uncompressed) to w.
func (s *Store) Snapshot(w io.Writer) error {
	if err := s.db.ExportToWriter(w, false, "", chromemCollection); err != nil {
		return fmt.Errorf("chromem store: export: %w", err)
	}
	return nil
}

// Restore reads a Snapshot back.
func Restore(r io.ReadSeeker, dim int) (*Store, error) {
	db := chromem.NewDB()
	if err := db.ImportFromReader(r, "", chromemCollection); err != nil {
		return nil, fmt.Errorf("chromem store: import: %w", err)
	}
	coll := db.GetCollection(chromemCollection, errNoEmbeddingFunc)
	if coll == nil {
		return nil, fmt.Errorf("chromem store: snapshot has no %q collection", chromemCollection)
	}
	return &Store{db: db, coll: coll, dim: dim}, nil
}
