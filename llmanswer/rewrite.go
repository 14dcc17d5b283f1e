package llmanswer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/query"
)

// Rewrite is the model's search query and filters for a question.
type Rewrite struct {
	Query  string `json:"query"`
	Years  []int  `json:"years"`
	Period string `json:"period"`
}

// NeedsRewrite reports whether a question benefits from a model-written
// query: it is not in the corpus language, names years or a target/actual
// intent, or follows earlier turns.
func NeedsRewrite(q query.Query, history []query.Turn) bool {
	return q.Lang != "zh" || len(q.Years) > 0 || q.Kind != corpus.PeriodUnknown || len(history) > 0
}

// RewriteQuery asks the model for a Chinese search query and filters.
func RewriteQuery(ctx context.Context, c chat.Model, question string, history []query.Turn) (*Rewrite, error) {
	reply, err := c.Chat(ctx, rewriteMessages(question, history), chat.Options{JSON: true, MaxTokens: 200})
	if err != nil {
		return nil, err
	}
	return parseRewrite(reply)
}

// parseRewrite reads and validates the model's JSON (tolerating a code
// fence around it).
func parseRewrite(reply string) (*Rewrite, error) {
	s := strings.TrimSpace(reply)
	s = strings.TrimPrefix(s, "```json")
	s = strings.TrimPrefix(s, "```")
	s = strings.TrimSuffix(s, "```")
	if i, j := strings.Index(s, "{"), strings.LastIndex(s, "}"); i >= 0 && j > i {
		s = s[i : j+1]
	}
	var rw Rewrite
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
	rw.Years = slices.DeleteFunc(rw.Years, func(y int) bool { return !hanzi.ValidYear(y) })
	switch rw.Period {
	case "target", "actual", "":
	default:
		rw.Period = ""
	}
	return &rw, nil
}
