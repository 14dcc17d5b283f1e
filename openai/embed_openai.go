package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/reportbot/reportbot/embed"
	goopenai "github.com/sashabaranov/go-openai"
)

// Embedder embeds texts with an OpenAI-compatible /embeddings
// endpoint: many inputs per request, calls bounded by the provider's
// concurrency limit, retried by the provider, vectors normalised and
// checked.
type Embedder struct {
	p     *Provider
	model string
	dim   int
	// dimensions is sent with requests when set (models that can shorten
	// their vectors, like text-embedding-3-*).
	dimensions int
	batch      int
}

// EmbedderOptions configure an OpenAIEmbedder.
type EmbedderOptions struct {
	Model string
	// Dimensions, when set, is requested from the API and is the vector
	// length; when zero the length is learnt from one probe request.
	Dimensions int
	// KnownDim, when Dimensions is zero, is the model's vector length
	// learnt earlier (from the index this model built): it is not sent to
	// the API and spares the probe, so that an existing index answers
	// (by keyword search) while the embeddings API is down.
	KnownDim int
	// BatchSize is the most inputs per request (default 64).
	BatchSize int
}

// NewEmbedder returns an embedder for model. With neither Dimensions nor
// KnownDim it sends one short probe request to learn the vector length.
func NewEmbedder(ctx context.Context, p *Provider, opt EmbedderOptions) (*Embedder, error) {
	if opt.Model == "" {
		return nil, errors.New("openai embedder: model is empty")
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	e := &Embedder{p: p, model: opt.Model, dim: opt.Dimensions, dimensions: opt.Dimensions, batch: opt.BatchSize}
	if e.dim == 0 && opt.KnownDim > 0 {
		e.dim = opt.KnownDim
	}
	if e.dim == 0 {
		vecs, err := e.call(ctx, []string{"政府工作报告"})
		if err != nil {
			return nil, fmt.Errorf("openai embedder: probing the vector length: %w", err)
		}
		e.dim = len(vecs[0])
	}
	return e, nil
}

// EmbedderID is the ID an Embedder for model with vectors of length dim
// has: what an index built by it records.
func EmbedderID(model string, dim int) string { return fmt.Sprintf("openai/%s/%d", model, dim) }

// ID implements Embedder: the model name and vector length, so an index
// built by another model or length is detected.
func (e *Embedder) ID() string { return EmbedderID(e.model, e.dim) }

// Dim implements Embedder.
func (e *Embedder) Dim() int { return e.dim }

// Embed implements Embedder. Inputs are sent BatchSize per request; the
// requests of one call run concurrently within the provider's bound.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for b := 0; b < len(texts); b += e.batch {
		part := texts[b:min(b+e.batch, len(texts))]
		wg.Add(1)
		go func(b int, part []string) {
			defer wg.Done()
			vecs, err := e.call(ctx, part)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
					cancel()
				}
				return
			}
			copy(out[b:], vecs)
		}(b, part)
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, nil
}

// call sends one request and returns the vectors in input order.
func (e *Embedder) call(ctx context.Context, texts []string) ([][]float32, error) {
	release, err := e.p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := e.p.withDeadline(ctx)
	defer cancel()
	in := make([]string, len(texts))
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			t = " " // some servers reject empty inputs
		}
		in[i] = t
	}
	resp, err := e.p.client.CreateEmbeddings(ctx, goopenai.EmbeddingRequestStrings{
		Input:      in,
		Model:      goopenai.EmbeddingModel(e.model),
		Dimensions: e.dimensions,
	})
	if err != nil {
		return nil, e.p.providerError(ctx, "embeddings", err)
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("embeddings: %w: %d vectors for %d inputs", embed.ErrProviderUnavailable, len(resp.Data), len(texts))
	}
	vecs := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(texts) || vecs[d.Index] != nil {
			return nil, fmt.Errorf("embeddings: %w: bad or repeated index %d", embed.ErrProviderUnavailable, d.Index)
		}
		v := d.Embedding
		if e.dim != 0 && len(v) != e.dim {
			return nil, fmt.Errorf("embeddings: %w: vector of length %d, want %d (check embedder.dimensions)", embed.ErrProviderUnavailable, len(v), e.dim)
		}
		if !embed.Normalize(v) {
			return nil, fmt.Errorf("embeddings: %w: zero or invalid vector for input %d", embed.ErrProviderUnavailable, d.Index)
		}
		vecs[d.Index] = v
	}
	return vecs, nil
}
