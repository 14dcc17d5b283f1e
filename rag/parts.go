package rag

import (
	"context"
	"strings"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/llmanswer"
	"github.com/reportbot/reportbot/query"
)

// askParts answers a question that asks two or three things
// (query.SplitParts) part by part, each with its own citations, and joins
// the answers. A later part that names no place or indicator takes those of
// the first ("广东去年GDP增长了多少？今年的目标呢？": the second part is about
// 广东's GDP too). One deadline covers the model calls of every part.
func (e *Engine) askParts(ctx context.Context, question string, parts []string, opt query.AskOptions) (*answer.Answer, error) {
	first, err := e.Analyze(parts[0])
	if err != nil {
		return nil, err
	}
	llmCtx, cancel := llmanswer.WithDeadline(ctx, e.llm)
	defer cancel()
	onDelta := opt.OnDelta
	opt.OnDelta = nil
	var answers []*answer.Answer
	for i, p := range parts {
		text := p
		if i > 0 {
			if pq, err := e.Analyze(p); err == nil {
				text = withTopic(p, pq, first)
			}
		}
		a, err := e.askOne(llmCtx, text, opt)
		if err != nil {
			return nil, err
		}
		a.Question = p
		answers = append(answers, a)
	}
	a := answer.Join(question, answers)
	if onDelta != nil {
		onDelta(a.Text)
	}
	return a, nil
}

// withTopic adds to a later part of a question what it leaves to the
// first part: the places and the indicators the first names when the part
// names none.
func withTopic(part string, pq, first query.Query) string {
	var add []string
	if len(pq.Places) == 0 {
		for _, p := range first.Places {
			add = append(add, p.Label(pq.Lang))
		}
	}
	if len(pq.Indicators) == 0 {
		for _, m := range first.Indicators {
			add = append(add, m.Alias)
		}
	}
	if len(add) == 0 {
		return part
	}
	if pq.Lang == "zh" {
		return strings.Join(add, "") + part
	}
	return part + " (" + strings.Join(add, ", ") + ")"
}
