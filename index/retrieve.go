package index

import (
	"context"
	"fmt"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/lexical"
)

// RRFK is the constant of reciprocal rank fusion (Cormack et al. use 60).
const RRFK = 60

// CandidatesPerRanker is how deep each ranker's list is before fusion.
const CandidatesPerRanker = 50

// Hit is one retrieved passage with the evidence for its rank.
type Hit struct {
	Passage      Passage       `json:"passage"`
	Report       corpus.Report `json:"report"`
	Score        float64       `json:"score"`       // fused score after period weighting
	VectorRank   int           `json:"vector_rank"` // 1-based; 0 when not in the vector list
	Similarity   float32       `json:"similarity"`
	LexicalRank  int           `json:"lexical_rank"`
	LexicalScore float64       `json:"lexical_score"`
	PeriodWeight float64       `json:"period_weight"`
	Rerank       float64       `json:"rerank"` // final score after evidence reranking
}

// Filter limits a search to some of the index's passages. The zero Filter
// keeps every passage.
type Filter struct {
	// Reports, when not empty, keeps only passages of these reports (by
	// ID; unknown IDs are ignored). Each ranker then returns its best
	// CandidatesPerRanker among those passages, not the corpus's best
	// that happen to be of these reports.
	Reports []string
}

// Search runs the hybrid retrieval over the passages f keeps: a vector
// search for text (skipped when text is empty) and a BM25 search for terms,
// fused by reciprocal rank. It returns every candidate, in no particular
// order, with its fused score; the caller weighs, orders and cuts them.
func (ix *Index) Search(ctx context.Context, text string, terms []lexical.WeightedTerm, f Filter) ([]Hit, error) {
	return ix.backend.search(ctx, ix, text, terms, f)
}

// keepRows returns the row predicate of f (nil when f keeps every passage):
// a table of the kept reports' ordinals, as long as the number of reports,
// read through each row's report ordinal.
func (ix *Index) keepRows(f Filter) func(row int) bool {
	if len(f.Reports) == 0 {
		return nil
	}
	kept := make([]bool, len(ix.reportOrd))
	for _, id := range f.Reports {
		if o, ok := ix.reportOrd[id]; ok {
			kept[o] = true
		}
	}
	return func(row int) bool { return kept[ix.rowReport[row]] }
}

// searchLocal is Search over the index's own vectors and lexical index.
func (ix *Index) searchLocal(ctx context.Context, text string, terms []lexical.WeightedTerm, f Filter) ([]Hit, error) {
	if ix.Len() == 0 {
		return nil, nil
	}
	keep := ix.keepRows(f)
	fused := map[int]*Hit{}
	get := func(i int) *Hit {
		h, ok := fused[i]
		if !ok {
			h = &Hit{}
			fused[i] = h
		}
		return h
	}
	// The keyword half runs beside the vector half (an embedding call, a
	// scan over the matrix); the ranks are fused in the same order as
	// before, vector then keyword, so the sums are the same.
	lexDone := make(chan []lexical.Hit, 1)
	go func() { lexDone <- ix.lex.SearchKeep(terms, CandidatesPerRanker, keep) }()
	if text != "" {
		vh, err := ix.vectorHalf(ctx, text, f, keep)
		if err != nil {
			<-lexDone
			return nil, err
		}
		for r, v := range vh {
			h := get(v.row)
			h.VectorRank, h.Similarity = r+1, v.sim
			h.Score += RRF(r + 1)
		}
	}
	for r, l := range <-lexDone {
		h := get(l.Doc)
		h.LexicalRank, h.LexicalScore = r+1, l.Score
		h.Score += RRF(r + 1)
	}
	if err := ix.lex.Err(); err != nil {
		return nil, fmt.Errorf("lexical search: %w", rebuildHint(err))
	}
	hits := make([]Hit, 0, len(fused))
	for i, h := range fused {
		p, err := ix.passageAt(i)
		if err != nil {
			return nil, err
		}
		h.Passage, h.Report = p, ix.reports[p.ReportID]
		hits = append(hits, *h)
	}
	return hits, nil
}

// vectorHalf embeds the query text and returns the vector search's rows.
func (ix *Index) vectorHalf(ctx context.Context, text string, f Filter, keep func(row int) bool) ([]vecHit, error) {
	vec, err := embed.Query(ctx, ix.emb, text)
	if err != nil {
		return nil, err
	}
	vh, err := ix.vectorRows(ctx, vec, CandidatesPerRanker, f, keep)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	return vh, nil
}

// RRF is the reciprocal-rank-fusion score of a 1-based rank.
func RRF(rank int) float64 { return 1.0 / float64(RRFK+rank) }
