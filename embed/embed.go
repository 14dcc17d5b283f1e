// Package embed turns passage and query text into vectors: the Embedder
// interface the index and the engine use, and Hash, the offline embedder of
// hashed character n-grams that needs no model.
package embed

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/lexical"
)

// Embedder turns texts into vectors. Implementations must return one vector
// of length Dim per input, L2-normalised, in input order. Vectors made by
// embedders with different IDs are not comparable.
type Embedder interface {
	// ID names the model and its settings, e.g. "hash-ngram-v1/512" or
	// "openai/text-embedding-3-small/256". It is stored with the index.
	ID() string
	// Dim is the vector length.
	Dim() int
	// Embed embeds texts. It honours ctx's deadline.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Hash is the built-in offline embedder: signed feature hashing of
// character unigrams and bigrams (for Han text) and words and numbers (for
// everything else) with sub-linear term frequency. It needs no weights and
// no network, and is deterministic.
type Hash struct {
	dim int
}

// DefaultHashDim is the vector length of the offline embedder.
const DefaultHashDim = 512

// NewHash returns an offline embedder with dim dimensions (a power of
// two between 64 and 8192).
func NewHash(dim int) (*Hash, error) {
	if dim < 64 || dim > 8192 || dim&(dim-1) != 0 {
		return nil, fmt.Errorf("hash embedder: dimension %d must be a power of two between 64 and 8192", dim)
	}
	return &Hash{dim: dim}, nil
}

// ID implements Embedder.
func (h *Hash) ID() string { return fmt.Sprintf("hash-ngram-v1/%d", h.dim) }

// Dim implements Embedder.
func (h *Hash) Dim() int { return h.dim }

// Embed implements Embedder. It never fails except on a cancelled context.
func (h *Hash) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var terms []string
	counts := make(map[string]float64)
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("hash embedder: %w", err)
			}
		}
		terms = lexical.AppendTerms(terms[:0], t)
		clear(counts)
		for _, term := range terms {
			w := 1.0
			if utf8.RuneCountInString(term) == 1 && hanzi.IsHanScript(firstRune(term)) {
				w = 0.5
			}
			counts[term] += w
			// Han unigrams from bigrams: a softer signal for near matches.
			if r := []rune(term); len(r) == 2 && hanzi.IsHanScript(r[0]) {
				counts[string(r[0])] += 0.25
			}
		}
		out[i] = h.vector(counts)
	}
	return out, nil
}

func (h *Hash) vector(counts map[string]float64) []float32 {
	v := make([]float32, h.dim)
	mask := uint64(h.dim - 1)
	for term, c := range counts {
		f := fnv.New64a()
		f.Write([]byte(term))
		x := f.Sum64()
		w := float32(1 + math.Log(c))
		if c < 1 {
			w = float32(c)
		}
		if x>>63 == 1 {
			w = -w
		}
		v[x&mask] += w
	}
	if !Normalize(v) {
		v[0] = 1 // empty or all-punctuation text: a fixed unit vector, never NaN
	}
	return v
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// Normalize scales v to unit length in place; it reports false for a zero
// vector.
func Normalize(v []float32) bool {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return false
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return true
}

// ErrEmbedderMismatch is returned when an index is opened with an embedder
// other than the one that built it.
var ErrEmbedderMismatch = errors.New("index was built with a different embedder")

// CheckVectors verifies that an embedder returned n vectors of its dimension.
func CheckVectors(e Embedder, vecs [][]float32, n int) error {
	if len(vecs) != n {
		return fmt.Errorf("embedder %s returned %d vectors for %d inputs", e.ID(), len(vecs), n)
	}
	for i, v := range vecs {
		if len(v) != e.Dim() {
			return fmt.Errorf("embedder %s returned a vector of dimension %d for input %d, want %d", e.ID(), len(v), i, e.Dim())
		}
	}
	return nil
}

// ErrProviderUnavailable marks failures of the model provider (outage,
// quota, timeout, garbage) as opposed to bad input.
var ErrProviderUnavailable = errors.New("model provider unavailable")

// Query embeds one query text and checks the vector.
func Query(ctx context.Context, emb Embedder, text string) ([]float32, error) {
	vecs, err := emb.Embed(ctx, []string{text})
	if err == nil {
		err = CheckVectors(emb, vecs, 1)
	}
	if err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	return vecs[0], nil
}
