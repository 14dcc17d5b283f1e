package rag

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
)

// rrfK is the constant of reciprocal rank fusion (Cormack et al. use 60).
const rrfK = 60

// candidatesPerRanker is how deep each ranker's list is before fusion.
const candidatesPerRanker = 50

// Hit is one retrieved passage with the evidence for its rank.
type Hit struct {
	Passage      StoredPassage `json:"passage"`
	Report       corpus.Report `json:"report"`
	Score        float64       `json:"score"`       // fused score after period weighting
	VectorRank   int           `json:"vector_rank"` // 1-based; 0 when not in the vector list
	Similarity   float32       `json:"similarity"`
	LexicalRank  int           `json:"lexical_rank"`
	LexicalScore float64       `json:"lexical_score"`
	PeriodWeight float64       `json:"period_weight"`
	Rerank       float64       `json:"rerank"` // final score after evidence reranking
}

// Search runs the hybrid retrieval for q: a vector search over the store
// and a BM25 search over the lexical index, fused by reciprocal rank, then
// weighted by how well each passage's period matches the years and intent
// (target or actual) of the question. It returns up to k hits, best first.
func (ix *Index) Search(ctx context.Context, emb embed.Embedder, q Query, k int) ([]Hit, error) {
	if ix.shared != nil {
		return ix.searchShared(ctx, emb, q, k)
	}
	if k <= 0 || len(ix.passages) == 0 {
		return nil, nil
	}
	fused := map[int]*Hit{}
	get := func(i int) *Hit {
		h, ok := fused[i]
		if !ok {
			h = &Hit{Passage: ix.passages[i], Report: ix.reports[ix.passages[i].ReportID]}
			fused[i] = h
		}
		return h
	}
	if q.EmbedText != "" {
		vec, err := embed.Query(ctx, emb, q.EmbedText)
		if err != nil {
			return nil, err
		}
		vh, err := ix.QueryVectors(ctx, vec, candidatesPerRanker)
		if err != nil {
			return nil, fmt.Errorf("vector search: %w", err)
		}
		for r, v := range vh {
			i, ok := ix.byID[v.ID]
			if !ok {
				continue
			}
			h := get(i)
			h.VectorRank, h.Similarity = r+1, v.Similarity
			h.Score += 1.0 / float64(rrfK+r+1)
		}
	}
	for r, l := range ix.lex.Search(q.Terms, candidatesPerRanker) {
		h := get(l.Doc)
		h.LexicalRank, h.LexicalScore = r+1, l.Score
		h.Score += 1.0 / float64(rrfK+r+1)
	}
	hits := make([]Hit, 0, len(fused))
	for _, h := range fused {
		h.PeriodWeight = PeriodWeight(q, h.Passage.Period)
		h.Score *= h.PeriodWeight
		hits = append(hits, *h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Passage.ID < hits[j].Passage.ID
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits, nil
}

// PeriodWeight is the factor applied to a passage's score for the period it
// talks about. A question naming a year favours passages about that year
// and disfavours passages about other known years (passages whose year is
// unknown sit in between); a question about targets favours target sections
// and one about results favours review sections.
func PeriodWeight(q Query, p corpus.Period) float64 {
	w := 1.0
	if len(q.Years) > 0 {
		switch {
		case p.Year != 0 && slices.Contains(q.Years, p.Year):
			w = 1.5
		case p.Year == 0:
			w = 0.85
		default:
			w = 0.5
		}
	}
	if q.Kind != corpus.PeriodUnknown && p.Kind != corpus.PeriodUnknown {
		if p.Kind == q.Kind {
			w *= 1.15
		} else {
			w *= 0.9
		}
	} else if q.Kind == corpus.PeriodUnknown && len(q.Years) > 0 && p.Kind == corpus.PeriodActual {
		// A dated question with no intent word ("2018年生产总值增长多少?")
		// asks what happened: that year's results, reviewed in the next
		// report, come before its target when both are there.
		w *= 1.1
	}
	return w
}
