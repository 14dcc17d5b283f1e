// Package rag is the answering pipeline, top to bottom: Engine.AskWith
// cleans and analyses the question (query), retrieves passages from the index
// (index) and weighs them by period, scores and selects evidence and composes
// the extractive answer (answer), and, with a model configured, has the model
// write it under the grounding check (llmanswer). Follower keeps an Engine
// current over a shared index.
package rag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/llmanswer"
	"github.com/reportbot/reportbot/place"
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
)

// Engine answers questions from an Index. It is safe for concurrent use.
type Engine struct {
	ix   *index.Index
	dict query.Dictionary
	log  *slog.Logger
	llm  llmanswer.Options
	// places finds the places a question names, counties of the corpus's
	// reports by short and English name too (see place.NewFinder).
	places *placeFinder
}

// NewEngine returns an engine over ix; dict (may be nil) expands English
// questions; log may be nil.
func NewEngine(ix *index.Index, dict query.Dictionary, log *slog.Logger) (*Engine, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{ix: ix, dict: dict, log: log, places: &placeFinder{}}, nil
}

// Index returns the engine's index.
func (e *Engine) Index() *index.Index { return e.ix }

// Analyze cleans and analyses a question against the engine's corpus,
// reading its relative and two-digit years from thisYear.
func (e *Engine) Analyze(question string) (query.Query, error) {
	text, err := query.Clean(question)
	if err != nil {
		return query.Query{}, err
	}
	q := query.Analyze(text, e.dict, e.ix.Lexical())
	query.FindPlaces(&q, e.places.get(e.ix), text)
	return query.ResolveYears(q, e.thisYear(q)), nil
}

// thisYear is the year a question's "今年" means: the year of the report it
// asks about. For a question naming places it is the newest year of those
// places' reports; otherwise (or when no report is of them) the newest
// report year of the corpus. This is the one place that decides it.
func (e *Engine) thisYear(q query.Query) int {
	y := 0
	if len(q.Places) > 0 {
		for r := range e.ix.AllReports() {
			if answer.ReportOfPlaces(q, r) {
				y = max(y, r.Year)
			}
		}
	}
	if y == 0 {
		return e.ix.NewestYear()
	}
	return y
}

// placeFilter limits retrieval to the reports that can speak for the
// places q names: their reports and those of unknown place. Each ranker's
// candidates are then the best passages of those reports, where weighing
// the corpus's best by place (answer.PlaceWeight) would often find none of
// them among a few dozen reports of other places. A question naming no
// place, or only places no report is of (a national report may still name
// them), searches every report, as does a filter that would keep them all.
func (e *Engine) placeFilter(q query.Query) index.Filter {
	if len(q.Places) == 0 {
		return index.Filter{}
	}
	var ids []string
	named, all := false, true
	for r := range e.ix.AllReports() {
		switch {
		case answer.ReportOfPlaces(q, r):
			named = true
		case r.Place != "":
			all = false
			continue
		}
		ids = append(ids, r.ID)
	}
	if !named || all {
		return index.Filter{}
	}
	return index.Filter{Reports: ids}
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

// search runs the index's hybrid search for q, over the reports of the
// places it names (placeFilter), and weighs each candidate by how well its
// period fits the question's years and intent (PeriodWeight) and its
// report the places (PlaceWeight): the best k, best first.
func (e *Engine) search(ctx context.Context, q query.Query, k int) ([]index.Hit, error) {
	if k <= 0 {
		return nil, nil
	}
	hits, err := e.ix.Search(ctx, q.EmbedText, q.Terms, e.placeFilter(q))
	if err != nil {
		return nil, err
	}
	for i := range hits {
		h := &hits[i]
		h.PeriodWeight = answer.PeriodWeight(q, h.Passage.Period)
		h.Score *= h.PeriodWeight * answer.PlaceWeight(q, h.Report)
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
func (e *Engine) Ask(ctx context.Context, question string) (*answer.Answer, error) {
	return e.AskWith(ctx, question, query.AskOptions{})
}

// AskWith answers a question. It always finds the extractive answer: the
// best verbatim sentence window from the retrieved passages, with
// citations, or a "not found" answer listing the closest passages when the
// evidence is weak. With a language model configured (WithLLM) the model
// then writes the answer from the top passages, streamed to opt.OnDelta,
// and the grounding check keeps it honest; when the model fails, the
// extractive answer is returned with a Notice.
func (e *Engine) AskWith(ctx context.Context, question string, opt query.AskOptions) (*answer.Answer, error) {
	if parts := query.SplitParts(question); len(parts) > 1 {
		return e.askParts(ctx, question, parts, opt)
	}
	return e.askOne(ctx, question, opt)
}

// askOne is AskWith for a question that asks one thing.
func (e *Engine) askOne(ctx context.Context, question string, opt query.AskOptions) (*answer.Answer, error) {
	start := time.Now()
	q, err := e.Analyze(question)
	if err != nil {
		return nil, err
	}
	history := query.BoundHistory(opt.History, e.llm.HistoryTokens)
	if len(history) == 0 && query.NeedsContext(q) {
		a := &answer.Answer{Question: q.Text, Query: q, Mode: "extractive", NotFound: true, Text: answer.NeedsContextText(q.Lang)}
		if opt.OnDelta != nil {
			opt.OnDelta(a.Text)
		}
		a.Timings = answer.Timings{Total: time.Since(start)}
		return a, nil
	}
	if len(history) > 0 && query.IsFollowUp(q) {
		q = query.FollowUp(q, history[len(history)-1].Question, e.dict, e.ix.Lexical())
		query.FindPlaces(&q, e.places.get(e.ix), q.Text)
		q = query.ResolveYears(q, e.thisYear(q))
	}
	// One deadline covers every model call of the question.
	llmCtx, cancel := llmanswer.WithDeadline(ctx, e.llm)
	defer cancel()
	var rw *llmanswer.Rewrite
	if e.llm.Chat != nil && e.llm.Rewrite && llmanswer.NeedsRewrite(q, history) {
		rw, err = llmanswer.RewriteQuery(llmCtx, e.llm.Chat, question, history)
		if err != nil {
			e.log.Warn("query rewrite failed; using the offline analysis", "err", err)
		}
	}
	hits, evq, degraded, err := e.retrieveFor(ctx, q, rw)
	if err != nil {
		return nil, fmt.Errorf("retrieve: %w", err)
	}
	retrieved := time.Now()
	scored := answer.Score(evq, hits, e.ix.Lexical())
	hits = answer.Rerank(hits, scored)
	hits = hits[:min(len(hits), retrieveK)]
	a := e.newAnswer(q, hits, scored, rw, degraded)
	if e.askTable(a, evq, hits, opt, start, retrieved) {
		return a, nil // several figures at once: a table of facts (rag/table.go)
	}
	err = e.compose(a, evq, hits, scored)
	if err != nil && !errors.Is(err, answer.ErrNoEvidence) {
		return nil, err
	}
	// A question about years no report covers gets no model answer: the
	// model would only find other years' figures.
	if e.llm.Chat != nil && len(hits) > 0 && !errors.Is(err, answer.ErrYearOutOfRange) {
		// The model sees first the passages the extractive answer cites
		// (the facts' passage among them).
		citedFirst(a)
		llmanswer.Generate(llmCtx, e.llm, e.log, a, evq, question, history, a.Hits[:min(len(a.Hits), e.llm.MaxPassages)], opt.OnDelta)
	} else if opt.OnDelta != nil {
		opt.OnDelta(a.Text)
	}
	answer.AddScanNotice(a)
	a.Timings = answer.Timings{Retrieve: retrieved.Sub(start), Answer: time.Since(retrieved), Total: time.Since(start)}
	e.log.Debug("answered", "question_len", utf8.RuneCountInString(q.Text), "lang", q.Lang, "mode", a.Mode,
		"hits", len(hits), "not_found", a.NotFound, "latency", a.Timings.Total)
	return a, nil
}

// newAnswer starts the answer to q: its passages, the model's rewrite, the
// notices of the search, and the trace of the best evidence.
func (e *Engine) newAnswer(q query.Query, hits []index.Hit, scored []answer.Evidence, rw *llmanswer.Rewrite, degraded bool) *answer.Answer {
	a := &answer.Answer{Question: q.Text, Query: q, Hits: hits, Mode: "extractive", VectorSearch: e.ix.VectorSearchName()}
	if rw != nil {
		a.Rewrite = rw.Query
	}
	if degraded {
		answer.AddNotice(a, answer.Notice(answer.NoticeKeywordOnly, q.Lang))
	}
	if q.ThisYear != 0 {
		answer.AddNotice(a, answer.ThisYearNotice(q.Lang, q.ThisYear, q.FiveYears))
	}
	for _, x := range scored[:min(len(scored), traceEvidence)] {
		a.Trace = append(a.Trace, answer.TraceLine{PassageID: x.Hit.Passage.ID, Text: x.Text, Score: x.Score, Coverage: x.Coverage, TypeOK: x.TypeOK})
	}
	return a
}

// compose writes the offline answer into a: from the table of facts for a
// figure question they answer, else the best evidence, else "not found"
// with the reason. The error is the reason it was not found (wrapping
// answer.ErrNoEvidence), nil when it was.
func (e *Engine) compose(a *answer.Answer, evq query.Query, hits []index.Hit, scored []answer.Evidence) error {
	var ev []answer.Evidence
	var err error
	best, given, otherYears := e.factsFor(evq, hits)
	switch {
	case len(best) > 0:
		answer.ComposeFacts(a, best)
		ev = []answer.Evidence{answer.FactEvidence(best[0])}
	case len(given) > 0:
		// The reports give the indicator, but not for this year, kind or
		// measure: say what they give rather than quote a near miss.
		answer.FactsNotFound(a, given)
		return nil
	default:
		if ev, err = answer.Select(evq, scoredFor(evq, scored)); err != nil {
			if err == answer.ErrNoEvidence && otherYears {
				err = answer.ErrOtherYears // the table of facts has the indicator for other years only
			}
			if errors.Is(err, answer.ErrNoEvidence) {
				notFound(a, evq, err)
			}
			return err
		}
		answer.Compose(a, ev)
		answer.EnglishLead(a, ev[0])
		if len(evq.Years) > 0 && ev[0].Hit.Passage.Period.Year == 0 && ev[0].Hit.Report.Year == 0 {
			answer.AddNotice(a, answer.Notice(answer.NoticeUndated, a.Query.Lang))
		}
	}
	// A question naming no place over passages of several places is
	// told which one answered, never silently one.
	if p, ok := answer.PlaceOf(ev[0].Hit.Report); ok && len(evq.Places) == 0 && answer.SeveralPlaces(scored) {
		answer.AddNotice(a, answer.PlaceNotice(a.Query.Lang, p))
	}
	return nil
}

// factsFor returns the facts that answer a figure question, best first
// (answer.ChooseFacts over the facts about its indicators in the reports
// its places limit the search to), or, when none does, what those reports
// do give about the indicators (answer.FactsGiven), and whether they give
// them for other years only (answer.OnlyOtherYears). All are empty for other
// questions and when the reports give nothing about the indicators: the
// extractive answerer takes over.
func (e *Engine) factsFor(q query.Query, hits []index.Hit) (best, given []index.FactHit, otherYears bool) {
	if !answer.FactQuestion(q) || len(q.Years) == 0 && len(q.OutOfRange) > 0 {
		return nil, nil, false // years no report can be about: never another year's figure
	}
	// The place test (which reads each clause for the places it names)
	// runs once here; the answerers below need no place finder then.
	filter, places := e.placeFilter(q), e.places.get(e.ix)
	if len(q.Years) > 0 {
		// ChooseFacts keeps only facts of the years asked: those are read
		// first, and the rest only when none answers (for what the reports
		// do give). At a million passages an indicator has facts in tens
		// of thousands of them.
		near := answer.FactsOfPlaces(q, e.ix.FactsAboutIn(q.IndicatorIDs(), filter, answer.YearIn(q.Years)), places)
		if best = answer.ChooseFacts(q, near, hits, nil); len(best) > 0 {
			return best, nil, false
		}
		if len(near) == 0 && answer.PassagesDecideYears(q) {
			// No fact of the years asked fits: FactsGiven gives nothing,
			// and OnlyOtherYears holds when one fact of another year fits,
			// the first found.
			e.ix.EachFact(q.IndicatorIDs(), filter, nil, func(h index.FactHit) bool {
				otherYears = answer.OnlyOtherYears(q, []index.FactHit{h}, places)
				return !otherYears
			})
			return nil, nil, otherYears
		}
		// Facts of the years asked fit, but none answers: they lead what
		// the answer lists as given, and OnlyOtherYears is false with them
		// there, so the indicator's facts of every year (thousands at a
		// million passages) are read only when they list fewer than three.
		if given, complete := answer.FactsGivenOfYears(q, near); complete {
			return nil, given, false
		}
	}
	cands := answer.FactsOfPlaces(q, e.ix.FactsAbout(q.IndicatorIDs(), filter), places)
	if best = answer.ChooseFacts(q, cands, hits, nil); len(best) > 0 {
		return best, nil, false
	}
	return nil, answer.FactsGiven(q, cands, nil), answer.OnlyOtherYears(q, cands, nil)
}

// scoredFor keeps, for a figure question no fact answered, only the
// evidence that names one of its indicators: a sentence about something
// else never answers it.
func scoredFor(q query.Query, scored []answer.Evidence) []answer.Evidence {
	if !answer.FactQuestion(q) {
		return scored
	}
	v := indicator.Default()
	return slices.DeleteFunc(slices.Clone(scored), func(e answer.Evidence) bool { return !answer.NamesIndicator(q, e, v) })
}

// notFound makes a the answer for no evidence, saying why when err does:
// naming the places, years or period kind the evidence was held to, evq's
// (the question's, or the model's rewrite's).
func notFound(a *answer.Answer, evq query.Query, err error) {
	answer.NotFound(a)
	switch {
	case errors.Is(err, answer.ErrYearOutOfRange):
		a.Text = answer.OutOfRangeText(a.Query.Lang, evq.OutOfRange)
	case errors.Is(err, answer.ErrOtherPlaces):
		a.Text = answer.OtherPlacesText(a.Query.Lang, evq.Places)
	case errors.Is(err, answer.ErrOtherYears):
		a.Text = answer.OtherYearsText(a.Query.Lang, evq.Years)
	case errors.Is(err, answer.ErrOtherPeriod):
		a.Text = answer.OtherPeriodText(a.Query.Lang, evq.Kind, evq.Years)
	}
}

// retrieveFor retrieves passages for q and, when the model rewrote the
// question, for the rewritten query too, fusing both lists by reciprocal
// rank. It returns the hits and the query to score evidence with: the
// rewritten one (in the corpus language, with merged filters) when there is
// one.
func (e *Engine) retrieveFor(ctx context.Context, q query.Query, rw *llmanswer.Rewrite) ([]index.Hit, query.Query, bool, error) {
	hits, degraded, err := e.retrieve(ctx, q, rerankK)
	if err != nil || rw == nil {
		return hits, q, degraded, err
	}
	q2 := query.Analyze(rw.Query, e.dict, e.ix.Lexical())
	// The question's own places, years and intent win; the model's fill gaps.
	if len(q.Places) > 0 {
		q2.Places = q.Places
	}
	switch {
	case len(q.Years) > 0:
		q2.Years = q.Years
	case len(q.OutOfRange) > 0: // the question's years, though no report is about them
		q2.Years, q2.OutOfRange = nil, q.OutOfRange
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
		h.Score *= h.PeriodWeight * answer.PlaceWeight(q, h.Report)
		out = append(out, *h)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out[:min(len(out), k)]
}

// WithLLM returns a copy of e that answers with a language model.
func (e *Engine) WithLLM(opt llmanswer.Options) *Engine {
	if opt.MaxPassages <= 0 {
		opt.MaxPassages = 6
	}
	if opt.HistoryTokens <= 0 {
		opt.HistoryTokens = 1500
	}
	if opt.MaxAnswerTokens <= 0 {
		opt.MaxAnswerTokens = 600
	}
	c := *e
	c.llm = opt
	return &c
}

// placeFinder keeps the place finder of the corpus an index holds: one
// that also knows its counties' short and English names. It is rebuilt
// when the index changes.
type placeFinder struct {
	mu  sync.Mutex
	key string
	f   *place.Finder
}

// get returns the finder for ix's current reports.
func (pf *placeFinder) get(ix *index.Index) *place.Finder {
	key := fmt.Sprint(ix.Len(), "/", ix.Generation())
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.f == nil || pf.key != key {
		var local []string
		for _, r := range ix.Reports() {
			if c := r.Report.Place; c != "" {
				local = append(local, c)
			}
		}
		pf.f, pf.key = place.NewFinder(local...), key
	}
	return pf.f
}

// citedFirst moves the passages a's citations quote to the front of a.Hits,
// in citation order, so that a model given the first passages sees them.
func citedFirst(a *answer.Answer) {
	if a.NotFound || len(a.Citations) == 0 {
		return
	}
	var first, rest []index.Hit
	for _, c := range a.Citations {
		if i := slices.IndexFunc(a.Hits, func(h index.Hit) bool { return h.Passage.ID == c.PassageID }); i >= 0 &&
			!slices.ContainsFunc(first, func(h index.Hit) bool { return h.Passage.ID == c.PassageID }) {
			first = append(first, a.Hits[i])
		}
	}
	for _, h := range a.Hits {
		if !slices.ContainsFunc(first, func(x index.Hit) bool { return x.Passage.ID == h.Passage.ID }) {
			rest = append(rest, h)
		}
	}
	a.Hits = append(first, rest...)
}
