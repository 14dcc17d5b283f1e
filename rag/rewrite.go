package rag

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// rewrite is the model's search query and filters for a question.
type rewrite struct {
	Query  string `json:"query"`
	Years  []int  `json:"years"`
	Period string `json:"period"`
}

// needsRewrite reports whether a question benefits from a model-written
// query: it is not in the corpus language, names years or a target/actual
// intent, or follows earlier turns.
func needsRewrite(q query.Query, history []query.Turn) bool {
	return q.Lang != "zh" || len(q.Years) > 0 || q.Kind != corpus.PeriodUnknown || len(history) > 0
}

// rewriteQuery asks the model for a Chinese search query and filters.
func (e *Engine) rewriteQuery(ctx context.Context, question string, history []query.Turn) (*rewrite, error) {
	reply, err := e.llm.Chat.Chat(ctx, rewriteMessages(question, history), chat.Options{JSON: true, MaxTokens: 200})
	if err != nil {
		return nil, err
	}
	return parseRewrite(reply)
}

// parseRewrite reads and validates the model's JSON (tolerating a code
// fence around it).
func parseRewrite(reply string) (*rewrite, error) {
	s := strings.TrimSpace(reply)
	s = strings.TrimPrefix(s, "```json")
	s = strings.TrimPrefix(s, "```")
	s = strings.TrimSuffix(s, "```")
	if i, j := strings.Index(s, "{"), strings.LastIndex(s, "}"); i >= 0 && j > i {
		s = s[i : j+1]
	}
	var rw rewrite
	if err := json.Unmarshal([]byte(s), &rw); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadRewrite, err)
	}
	q, err := query.Clean(rw.Query)
	if err != nil {
		return nil, fmt.Errorf("%w: query: %w", errBadRewrite, err)
	}
	if utf8.RuneCountInString(q) > 200 {
		return nil, fmt.Errorf("%w: query of %d characters", errBadRewrite, utf8.RuneCountInString(q))
	}
	rw.Query = q
	rw.Years = slices.DeleteFunc(rw.Years, func(y int) bool { return y < 1949 || y > 2100 })
	switch rw.Period {
	case "target", "actual", "":
	default:
		rw.Period = ""
	}
	return &rw, nil
}

// retrieveFor retrieves passages for q and, when the model rewrote the
// question, for the rewritten query too, fusing both lists by reciprocal
// rank. It returns the hits and the query to score evidence with: the
// rewritten one (in the corpus language, with merged filters) when there is
// one.
func (e *Engine) retrieveFor(ctx context.Context, q query.Query, rw *rewrite) ([]index.Hit, query.Query, bool, error) {
	hits, degraded, err := e.retrieve(ctx, q, rerankK)
	if err != nil || rw == nil {
		return hits, q, degraded, err
	}
	q2 := query.Analyze(rw.Query, e.dict, e.ix.Lexical())
	// The question's own years and intent win; the model's fill gaps.
	switch {
	case len(q.Years) > 0:
		q2.Years = q.Years
	case len(rw.Years) > 0:
		q2.Years = rw.Years
	}
	// A period only the model (or an earlier turn) read into the question
	// guides ranking but excludes nothing (see Query.KindInherited).
	switch {
	case q.Kind != corpus.PeriodUnknown:
		q2.Kind, q2.KindInherited = q.Kind, q.KindInherited
	case rw.Period != "":
		q2.Kind, q2.KindInherited = corpus.PeriodKind(rw.Period), true
	}
	if q.Want != (query.AnswerType{}) {
		q2.Want = q.Want
	}
	hits2, degraded2, err := e.retrieve(ctx, q2, rerankK)
	if err != nil {
		return nil, q, false, err
	}
	return fuseRanked(q2, rerankK, hits, hits2), q2, degraded || degraded2, nil
}

// fuseRanked merges ranked hit lists by reciprocal rank, weighted by the
// period fit for q, best first, at most k.
func fuseRanked(q query.Query, k int, lists ...[]index.Hit) []index.Hit {
	byID := map[string]*index.Hit{}
	var order []string
	for _, list := range lists {
		for r, h := range list {
			x, ok := byID[h.Passage.ID]
			if !ok {
				c := h
				c.Score = 0
				byID[h.Passage.ID] = &c
				order = append(order, h.Passage.ID)
				x = &c
			}
			x.Score += index.RRF(r + 1)
		}
	}
	out := make([]index.Hit, 0, len(order))
	for _, id := range order {
		h := byID[id]
		h.PeriodWeight = answer.PeriodWeight(q, h.Passage.Period)
		h.Score *= h.PeriodWeight
		out = append(out, *h)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out[:min(len(out), k)]
}
