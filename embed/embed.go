// Package embed turns passage and query text into vectors: the Embedder
// interface the index and the engine use, and Hash, the offline embedder of
// hashed character n-grams that needs no model.
package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
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

// IntoEmbedder is an Embedder that can write its vectors into memory the
// caller provides and reuses: indexing a million passages with Embed
// allocated two gigabytes of vectors that lived for one batch.
type IntoEmbedder interface {
	Embedder
	// EmbedInto is Embed with the vectors written into dst, which must
	// hold len(texts)*Dim() values: the vectors are slices of it, valid
	// until the caller reuses it. It keeps no reference to texts once it
	// returns, so the caller may reuse their memory too.
	EmbedInto(ctx context.Context, texts []string, dst []float32) ([][]float32, error)
}

// Hash is the built-in offline embedder: signed feature hashing of
// character unigrams and bigrams (for Han text) and words and numbers (for
// everything else) with sub-linear term frequency. It needs no weights and
// no network, and is deterministic.
type Hash struct {
	dim int
	// weights[k] is the weight of a term counted k/4 times (counts are
	// sums of 1, 1/2 and 1/4), worked out once: the logarithm was a fifth
	// of the embedder's time.
	weights [weightTable]float32
}

// weightTable is how many counts Hash.weights holds, 0 to 63/4 times:
// nearly every term of a passage occurs fewer than 16 times.
const weightTable = 64

// termWeight is the weight of a term counted c times: 1+ln(c), or c when
// c is below 1 (a single Han character seen only inside bigrams).
func termWeight(c float64) float32 {
	if c < 1 {
		return float32(c)
	}
	return float32(1 + math.Log(c))
}

// DefaultHashDim is the vector length of the offline embedder.
const DefaultHashDim = 512

// NewHash returns an offline embedder with dim dimensions (a power of
// two between 64 and 8192).
func NewHash(dim int) (*Hash, error) {
	if dim < 64 || dim > 8192 || dim&(dim-1) != 0 {
		return nil, fmt.Errorf("hash embedder: dimension %d must be a power of two between 64 and 8192", dim)
	}
	h := &Hash{dim: dim}
	for k := range h.weights {
		h.weights[k] = termWeight(float64(k) / 4)
	}
	return h, nil
}

// ID implements Embedder.
func (h *Hash) ID() string { return fmt.Sprintf("hash-ngram-v1/%d", h.dim) }

// Dim implements Embedder.
func (h *Hash) Dim() int { return h.dim }

// Embed implements Embedder. It never fails except on a cancelled context.
//
// A text's terms (lexical.AppendTerms) are counted with weight 1, a lone
// Han character 0.5, and each Han bigram adds 0.25 to its first
// character; each distinct term then adds 1+ln(count) (its count when
// below 1) to the component its FNV-1a hash picks, with the sign of the
// hash's top bit, in the order the terms first occur.
func (h *Hash) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return h.EmbedInto(ctx, texts, make([]float32, len(texts)*h.dim))
}

// EmbedInto implements IntoEmbedder.
func (h *Hash) EmbedInto(ctx context.Context, texts []string, dst []float32) ([][]float32, error) {
	if len(dst) < len(texts)*h.dim {
		return nil, fmt.Errorf("hash embedder: %d values to write %d vectors of %d into", len(dst), len(texts), h.dim)
	}
	backing := dst[:len(texts)*h.dim]
	clear(backing)
	out := make([][]float32, len(texts))
	sc := scratchPool.Get().(*scratch)
	terms, counts := sc.terms[:0], &sc.counts
	defer func() {
		// No reference to the texts stays behind.
		clear(terms[:cap(terms)])
		counts.reset(0)
		clear(counts.entries[:cap(counts.entries)])
		sc.terms = terms[:0]
		scratchPool.Put(sc)
	}()
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("hash embedder: %w", err)
			}
		}
		terms = lexical.AppendTerms(terms[:0], t)
		counts.reset(len(terms))
		for _, term := range terms {
			r0, n0 := utf8.DecodeRuneInString(term)
			if !hanzi.IsHanScript(r0) {
				counts.add(term, 1)
				continue
			}
			switch utf8.RuneCountInString(term[n0:]) {
			case 0: // a lone Han character
				counts.add(term, 0.5)
			case 1: // a Han bigram: a softer signal for near matches
				counts.add(term, 1)
				counts.add(term[:n0], 0.25)
			default:
				counts.add(term, 1)
			}
		}
		out[i] = backing[i*h.dim : (i+1)*h.dim : (i+1)*h.dim]
		h.vector(out[i], counts)
	}
	return out, nil
}

// vector fills v (zeroed, of length h.dim) from the counted terms and
// normalises it.
func (h *Hash) vector(v []float32, counts *termCounts) {
	mask := uint64(h.dim - 1)
	for _, e := range counts.entries {
		var w float32
		if k := int(e.count * 4); k < weightTable && float64(k) == e.count*4 {
			w = h.weights[k]
		} else {
			w = termWeight(e.count)
		}
		if e.hash>>63 == 1 {
			w = -w
		}
		v[e.hash&mask] += w
	}
	if !Normalize(v) {
		v[0] = 1 // empty or all-punctuation text: a fixed unit vector, never NaN
	}
}

// scratch is what Embed needs per text and reuses from text to text.
type scratch struct {
	terms  []string
	counts termCounts
}

// scratchPool keeps Embed's scratch from call to call: a batch of 64
// passages otherwise allocated about 30 KB of it, half a gigabyte at a
// million passages.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// termCount is one distinct term of a text, its FNV-1a hash and its
// weighted count.
type termCount struct {
	term  string
	hash  uint64
	count float64
	slot  int // its place in termCounts.slots
}

// termCounts counts the distinct terms of one text in the order they first
// occur: an open-addressing table (linear probing) keyed by the terms' FNV-1a
// hash, which the embedder needs anyway, and compared by the terms
// themselves, so that two terms with one hash stay apart. It is reused
// from text to text.
type termCounts struct {
	slots   []int32 // 1 + index in entries, 0 for a free slot
	entries []termCount
}

// reset empties the table and sizes it for about n terms.
func (c *termCounts) reset(n int) {
	for _, e := range c.entries {
		c.slots[e.slot] = 0
	}
	c.entries = c.entries[:0]
	if want := tableSize(n); len(c.slots) < want {
		c.slots = make([]int32, want)
	}
}

// tableSize is the number of slots that keeps n terms under half full: a
// power of two, at least minTableSlots.
func tableSize(n int) int {
	size := minTableSlots
	for size < 2*n {
		size *= 2
	}
	return size
}

// minTableSlots is the smallest table: a passage of a few hundred
// characters has about as many distinct terms.
const minTableSlots = 512

// add adds w to term's count.
func (c *termCounts) add(term string, w float64) {
	if 2*(len(c.entries)+1) > len(c.slots) {
		c.grow()
	}
	x := fnv64a(term)
	mask := len(c.slots) - 1
	for s := int(x) & mask; ; s = (s + 1) & mask {
		k := c.slots[s]
		if k == 0 {
			c.entries = append(c.entries, termCount{term: term, hash: x, count: w, slot: s})
			c.slots[s] = int32(len(c.entries))
			return
		}
		if e := &c.entries[k-1]; e.hash == x && e.term == term {
			e.count += w
			return
		}
	}
}

// grow doubles the table and places the entries again.
func (c *termCounts) grow() {
	c.slots = make([]int32, 2*max(len(c.slots), minTableSlots/2))
	mask := len(c.slots) - 1
	for i := range c.entries {
		e := &c.entries[i]
		s := int(e.hash) & mask
		for c.slots[s] != 0 {
			s = (s + 1) & mask
		}
		c.slots[s], e.slot = int32(i+1), s
	}
}

// fnv64a is the 64-bit FNV-1a hash of s (hash/fnv's New64a, without its
// allocation).
func fnv64a(s string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	x := uint64(offset64)
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= prime64
	}
	return x
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
