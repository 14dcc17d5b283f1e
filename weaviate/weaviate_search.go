package weaviate

import (
	"context"
	"fmt"
	"strings"

	"github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// Search implements SharedStore with a Weaviate hybrid query: BM25 over the
// passages' contextual text (tokenized by the server) and our query vector,
// fused by reciprocal rank.
func (s *Store) Search(ctx context.Context, q index.SharedSearch) ([]index.SharedHit, error) {
	if q.K <= 0 {
		return nil, nil
	}
	if err := s.waitWrites(ctx); err != nil {
		return nil, fmt.Errorf("weaviate hybrid search: %w", err)
	}
	alpha := s.opt.Alpha
	switch {
	case q.Vector == nil:
		alpha = 0
	case strings.TrimSpace(q.Text) == "":
		alpha = 1
	}
	hybrid := (&graphql.HybridArgumentBuilder{}).WithQuery(q.Text).WithAlpha(float32(alpha)).
		WithProperties([]string{propContent}).WithFusionType(graphql.Ranked)
	if q.Vector != nil {
		hybrid = hybrid.WithVector(q.Vector)
	}
	fields := make([]graphql.Field, 0, len(passageFields)+1)
	for _, f := range passageFields {
		fields = append(fields, graphql.Field{Name: f})
	}
	fields = append(fields, graphql.Field{Name: "_additional", Fields: []graphql.Field{{Name: "score"}, {Name: "explainScore"}}})
	var rows []any
	err := s.do(ctx, "hybrid search", func(ctx context.Context, c *weaviate.Client) error {
		g := c.GraphQL().Get().WithClassName(s.opt.Collection).WithHybrid(hybrid).WithFields(fields...).WithLimit(q.K)
		if s.opt.ReplicationFactor > 1 {
			// Weaviate's GraphQL schema has this argument only for
			// replicated collections.
			g = g.WithConsistencyLevel(s.opt.ReadConsistency)
		}
		if w := searchFilter(q); w != nil {
			g = g.WithWhere(w)
		}
		res, err := g.Do(ctx)
		if err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			msgs := make([]string, len(res.Errors))
			for i, e := range res.Errors {
				msgs[i] = e.Message
			}
			return &graphQLError{msg: strings.Join(msgs, "; ")}
		}
		get, _ := res.Data["Get"].(map[string]any)
		rows, _ = get[s.opt.Collection].([]any)
		return nil
	})
	if err != nil {
		return nil, err
	}
	hits := make([]index.SharedHit, 0, len(rows))
	for _, row := range rows {
		p, _ := row.(map[string]any)
		sp, rep := passageFromProps(p)
		add, _ := p["_additional"].(map[string]any)
		h := index.SharedHit{Passage: sp, Report: rep, Score: numF(add["score"])}
		h.LexicalRank, h.VectorRank = fusionRanks(str(add["explainScore"]), 1-alpha, alpha)
		hits = append(hits, h)
	}
	return hits, nil
}

// searchFilter turns the optional year, kind and report restrictions into a
// where filter on the period and report ID properties.
func searchFilter(q index.SharedSearch) *filters.WhereBuilder {
	var ops []*filters.WhereBuilder
	if len(q.Years) > 0 {
		ys := make([]int64, len(q.Years))
		for i, y := range q.Years {
			ys[i] = int64(y)
		}
		ops = append(ops, filters.Where().WithPath([]string{propPeriodYear}).WithOperator(filters.ContainsAny).WithValueInt(ys...))
	}
	if q.Kind != corpus.PeriodUnknown {
		ops = append(ops, filters.Where().WithPath([]string{propPeriodKind}).WithOperator(filters.Equal).WithValueText(string(q.Kind)))
	}
	if len(q.Reports) > 0 {
		ops = append(ops, filters.Where().WithPath([]string{propReportID}).WithOperator(filters.ContainsAny).WithValueText(q.Reports...))
	}
	switch len(ops) {
	case 0:
		return nil
	case 1:
		return ops[0]
	}
	return filters.Where().WithOperator(filters.And).WithOperands(ops)
}

// fusionRanks recovers each ranker's 1-based rank from Weaviate's ranked
// fusion explanation ("Hybrid (Result Set keyword,bm25) Document …
// contributed 0.0082 to the score": the contribution is
// weight/(60+rank-1)). Unknown ranks are 0.
func fusionRanks(explain string, keywordWeight, vectorWeight float64) (lexical, vector int) {
	for line := range strings.SplitSeq(explain, "\n") {
		var set, doc string
		var contrib float64
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "Hybrid (Result Set %s Document %s contributed %g to the score", &set, &doc, &contrib); err != nil || contrib <= 0 {
			continue
		}
		rank := func(w float64) int { return int(w/contrib-float64(index.RRFK)+0.5) + 1 }
		set, _, _ = strings.Cut(strings.TrimSuffix(set, ")"), ",") // "keyword,bm25)" or "vector,hybridVector)"
		switch set {
		case "keyword":
			lexical = rank(keywordWeight)
		case "vector":
			vector = rank(vectorWeight)
		}
	}
	return lexical, vector
}

// passageFromProps rebuilds a stored passage, and the report fields stored
// with it, from an object's properties.
func passageFromProps(p map[string]any) (index.Passage, corpus.Report) {
	var section []string
	if xs, ok := p[propSection].([]any); ok {
		for _, x := range xs {
			section = append(section, str(x))
		}
	}
	sp := index.Passage{
		Passage: corpus.Passage{
			ID: str(p[propPassageID]), ReportID: str(p[propReportID]),
			Paragraph: num(p[propParagraph]), Part: num(p[propPart]), Parts: num(p[propParts]),
			HeadingPath: section,
			Period:      corpus.Period{Year: num(p[propPeriodYear]), Kind: corpus.PeriodKind(str(p[propPeriodKind]))},
			Start:       num(p[propStart]), End: num(p[propEnd]), Text: passageText(p),
		},
		EmbedKey: str(p[propEmbedKey]),
	}
	return sp, corpus.Report{ID: sp.ReportID, Title: str(p[propReportTitle]), Year: num(p[propYear])}
}

// passageText cuts the passage text out of the stored content (the
// contextual header, a newline, then the text) at text_start.
func passageText(p map[string]any) string {
	content := str(p[propContent])
	start := num(p[propTextStart])
	if start < 0 || start > len(content) {
		return ""
	}
	return content[start:]
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func numF(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case interface{ Float64() (float64, error) }: // json.Number
		f, _ := x.Float64()
		return f
	case string: // GraphQL returns _additional.score as a string
		var f float64
		fmt.Sscan(x, &f)
		return f
	}
	return 0
}

func num(v any) int { return int(numF(v)) }
