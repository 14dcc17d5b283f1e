package rag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// Question limits.
const (
	// retrieveK is how many passages the answerer reads.
	retrieveK = 10
	// rerankK is how many fused candidates the evidence reranker reads.
	rerankK = 30
	// traceEvidence is how many scored windows an answer's trace keeps.
	traceEvidence = 8
	// closestK is how many passages a "not found" answer shows.
	closestK = 3
	// quoteRunes bounds a citation's quote.
	quoteRunes = 120
	// sentenceAnswerRunes bounds a whole sentence quoted as an answer.
	sentenceAnswerRunes = 200
)

// Engine answers questions from an Index. It is safe for concurrent use.
type Engine struct {
	ix   *index.Index
	dict query.Dictionary
	log  *slog.Logger
	llm  LLMOptions
}

// NewEngine returns an engine over ix; dict (may be nil) expands English
// questions; log may be nil.
func NewEngine(ix *index.Index, dict query.Dictionary, log *slog.Logger) (*Engine, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{ix: ix, dict: dict, log: log}, nil
}

// Index returns the engine's index.
func (e *Engine) Index() *index.Index { return e.ix }

// Analyze cleans and analyses a question against the engine's corpus.
func (e *Engine) Analyze(question string) (query.Query, error) {
	q, err := query.Clean(question)
	if err != nil {
		return query.Query{}, err
	}
	return query.Analyze(q, e.dict, e.ix.Lexical()), nil
}

// Retrieve returns the best k passages for a question. When the embedder
// is a remote API that is down, it falls back to the lexical search alone
// (see retrieve).
func (e *Engine) Retrieve(ctx context.Context, q query.Query, k int) ([]index.Hit, error) {
	hits, _, err := e.retrieve(ctx, q, k)
	return hits, err
}

// retrieve runs the hybrid search; if embedding the question fails because
// the provider is unavailable it runs the lexical search alone and reports
// degraded.
func (e *Engine) retrieve(ctx context.Context, q query.Query, k int) (hits []index.Hit, degraded bool, err error) {
	hits, err = e.search(ctx, q, k)
	if err != nil && errors.Is(err, embed.ErrProviderUnavailable) && ctx.Err() == nil {
		e.log.Error("embedding the question failed; using keyword search only", "err", err)
		q.EmbedText = ""
		hits, err = e.search(ctx, q, k)
		return hits, true, err
	}
	return hits, false, err
}

// search runs the index's hybrid search for q and weighs each candidate by
// how well its period fits the question's years and intent (PeriodWeight):
// the best k, best first.
func (e *Engine) search(ctx context.Context, q query.Query, k int) ([]index.Hit, error) {
	if k <= 0 {
		return nil, nil
	}
	hits, err := e.ix.Search(ctx, q.EmbedText, q.Terms)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		h := &hits[i]
		h.PeriodWeight = PeriodWeight(q, h.Passage.Period)
		h.Score *= h.PeriodWeight
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Passage.ID < hits[j].Passage.ID
	})
	return hits[:min(len(hits), k)], nil
}

// Ask answers a stand-alone question: AskWith with no options.
func (e *Engine) Ask(ctx context.Context, question string) (*Answer, error) {
	return e.AskWith(ctx, question, query.AskOptions{})
}

// AskWith answers a question. It always finds the extractive answer: the
// best verbatim sentence window from the retrieved passages, with
// citations, or a "not found" answer listing the closest passages when the
// evidence is weak. With a language model configured (WithLLM) the model
// then writes the answer from the top passages, streamed to opt.OnDelta,
// and the grounding check keeps it honest; when the model fails, the
// extractive answer is returned with a Notice.
func (e *Engine) AskWith(ctx context.Context, question string, opt query.AskOptions) (*Answer, error) {
	start := time.Now()
	q, err := e.Analyze(question)
	if err != nil {
		return nil, err
	}
	history := query.BoundHistory(opt.History, e.llm.HistoryTokens)
	if len(history) > 0 && query.IsFollowUp(q) {
		q = query.FollowUp(q, history[len(history)-1].Question, e.dict, e.ix.Lexical())
	}
	var rw *rewrite
	if e.llm.Chat != nil && e.llm.Rewrite && needsRewrite(q, history) {
		rw, err = e.rewriteQuery(ctx, question, history)
		if err != nil {
			e.log.Warn("query rewrite failed; using the offline analysis", "err", err)
		}
	}
	hits, evq, degraded, err := e.retrieveFor(ctx, q, rw)
	if err != nil {
		return nil, fmt.Errorf("retrieve: %w", err)
	}
	retrieved := time.Now()
	scored := ScoreEvidence(evq, hits, e.ix.Lexical())
	hits = Rerank(hits, scored)
	hits = hits[:min(len(hits), retrieveK)]
	a := &Answer{Question: q.Text, Query: q, Hits: hits, Mode: "extractive", VectorSearch: e.ix.VectorSearchName()}
	if rw != nil {
		a.Rewrite = rw.Query
	}
	if degraded {
		addNotice(a, notice(noticeKeywordOnly, q.Lang))
	}
	for _, x := range scored[:min(len(scored), traceEvidence)] {
		a.Trace = append(a.Trace, TraceLine{PassageID: x.Hit.Passage.ID, Text: x.Text, Score: x.Score, Coverage: x.Coverage, TypeOK: x.TypeOK})
	}
	ev, err := SelectEvidence(evq, scored)
	if err != nil {
		if !errors.Is(err, ErrNoEvidence) {
			return nil, err
		}
		e.notFound(a)
		// evq's years and intent (the question's, or the model's rewrite's)
		// are the ones the evidence was held to.
		switch {
		case errors.Is(err, ErrOtherYears):
			a.Text = otherYearsText(a.Query.Lang, evq.Years)
		case errors.Is(err, ErrOtherPeriod):
			a.Text = otherPeriodText(a.Query.Lang, evq.Kind, evq.Years)
		}
	} else {
		e.compose(a, ev)
		if len(evq.Years) > 0 && ev[0].Hit.Passage.Period.Year == 0 && ev[0].Hit.Report.Year == 0 {
			addNotice(a, notice(noticeUndated, q.Lang))
		}
	}
	if e.llm.Chat != nil && len(hits) > 0 {
		e.generate(ctx, a, evq, question, history, hits[:min(len(hits), e.llm.MaxPassages)], opt.OnDelta)
	} else if opt.OnDelta != nil {
		opt.OnDelta(a.Text)
	}
	a.Timings = Timings{Retrieve: retrieved.Sub(start), Answer: time.Since(retrieved), Total: time.Since(start)}
	e.log.Debug("answered", "question_len", utf8.RuneCountInString(q.Text), "lang", q.Lang, "mode", a.Mode,
		"hits", len(hits), "not_found", a.NotFound, "latency", a.Timings.Total)
	return a, nil
}

// notFound turns a into a "not found" answer listing the closest passages.
func (e *Engine) notFound(a *Answer) {
	a.NotFound = true
	a.Text = notFoundText(a.Query.Lang)
	a.Citations = nil
	a.Closest = nil
	for i, h := range a.Hits[:min(closestK, len(a.Hits))] {
		a.Closest = append(a.Closest, citationFor(i+1, h, firstSentence(h.Passage.Text)))
	}
}

// compose writes the answer text from the best evidence: the top window and
// at most one more from another passage when it is nearly as good.
func (e *Engine) compose(a *Answer, ev []Evidence) {
	best := ev[0]
	chosen := []Evidence{best}
	for _, x := range ev[1:] {
		if len(chosen) == 2 {
			break
		}
		if x.Hit.Passage.ID != best.Hit.Passage.ID && x.Score >= 0.9*best.Score && x.Coverage >= coverageFloor(a.Query) &&
			x.Hit.Passage.Period == best.Hit.Passage.Period && !strings.Contains(best.Text, x.Text) && !strings.Contains(x.Text, best.Text) {
			chosen = append(chosen, x)
		}
	}
	var b strings.Builder
	for i, x := range chosen {
		if i > 0 {
			b.WriteString("\n")
		}
		if !a.Query.Want.Quantity && !a.Query.Want.PreferNumber && utf8.RuneCountInString(x.Sentence) <= sentenceAnswerRunes {
			// A "what is" question needs the whole statement, not a clause.
			x.Text = x.Sentence
		}
		if !strings.HasPrefix(x.Sentence, x.Text) {
			b.WriteString("…")
		}
		b.WriteString(x.Text)
		if !strings.HasSuffix(x.Sentence, x.Text) {
			b.WriteString("…")
		}
		fmt.Fprintf(&b, " [%d]", i+1)
		a.Citations = append(a.Citations, citationFor(i+1, x.Hit, quoteAround(x.Sentence, x.Text, quoteRunes)))
	}
	a.Text = b.String()
}

func citationFor(n int, h index.Hit, quote string) Citation {
	return Citation{
		N:           n,
		PassageID:   h.Passage.ID,
		ReportID:    h.Report.ID,
		ReportTitle: h.Report.Title,
		Year:        h.Report.Year,
		Section:     h.Passage.HeadingPath,
		Paragraph:   h.Passage.Paragraph,
		Quote:       quote,
		Text:        h.Passage.Text,
		Score:       h.Score,
	}
}

func firstSentence(text string) string {
	sp := splitSpans(text, sentenceEnds, 0)
	if len(sp) == 0 {
		return query.TruncateRunes(text, quoteRunes)
	}
	return query.TruncateRunes(strings.TrimSpace(text[sp[0].start:sp[0].end]), quoteRunes)
}

// otherYearsText says that passages answer the question only for years it
// did not ask about.
func otherYearsText(lang string, years []int) string {
	if lang == "zh" {
		return "报告中未找到" + joinYears(years, "、") + "年的答案:相关段落都是其他年份的。以下是最接近的段落,请注意年份。"
	}
	return "Not found for " + joinYears(years, ", ") + ": the reports answer this only for other years. " +
		"These are the closest passages; mind their years."
}

// otherPeriodText says that passages give results where the question
// asks for targets, or targets where it asks for results.
func otherPeriodText(lang string, kind corpus.PeriodKind, years []int) string {
	when := joinYears(years, "、")
	if lang == "zh" {
		if when != "" {
			when += "年的"
		}
		if kind == corpus.PeriodTarget {
			return "报告中未找到" + when + "目标:相关段落给出的是实际完成情况。以下是最接近的段落,请注意区分。"
		}
		return "报告中未找到" + when + "实际完成情况:相关段落给出的是目标。以下是最接近的段落,请注意区分。"
	}
	if when != "" {
		when = " for " + joinYears(years, ", ")
	}
	if kind == corpus.PeriodTarget {
		return "Not found: the reports give results" + when + ", not targets. These are the closest passages; mind the difference."
	}
	return "Not found: the reports give targets" + when + ", not results. These are the closest passages; mind the difference."
}

func notFoundText(lang string) string {
	if lang == "zh" {
		return "报告中未找到答案。以下是最接近的段落。"
	}
	return "Not found in the reports. These are the closest passages."
}
