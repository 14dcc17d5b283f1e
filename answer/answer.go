// Package answer turns retrieved passages into an answer without a model:
// it scores sentence windows as evidence (Score), holds them to the
// question's years and intent (Select), reranks the passages, composes the
// quoted answer with citations or a "not found" answer, and renders it.
// weights.go holds every ranking weight, each saying where it was chosen.
package answer

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// ErrNoEvidence means the retrieved passages do not answer the question.
var ErrNoEvidence = errors.New("not found in the reports")

// ErrOtherYears is ErrNoEvidence when passages would answer the question's
// words but every one is about a year the question did not ask for: a
// Figure for the wrong year is never given as the answer.
var ErrOtherYears = fmt.Errorf("%w: only passages about other years", ErrNoEvidence)

// ErrYearOutOfRange is ErrNoEvidence when the question names years, but
// only years no report can be about (Query.OutOfRange: 1899年, 9999年).
var ErrYearOutOfRange = fmt.Errorf("%w: only years no report is about", ErrNoEvidence)

// ErrOtherPeriod is ErrNoEvidence when passages would answer the question
// for the years it asks about, but the question asks for targets and they
// give results, or the other way round: a year's result is never given as
// its target.
var ErrOtherPeriod = fmt.Errorf("%w: only passages about the other period kind", ErrNoEvidence)

// Citation points to the passage an answer's claim comes from.
type Citation struct {
	N           int    `json:"n"` // the [n] marker in the answer text
	PassageID   string `json:"passage_id"`
	ReportID    string `json:"report_id"`
	ReportTitle string `json:"report_title"`
	// URL is where the report was published, when the corpus says.
	URL       string   `json:"url,omitempty"`
	Year      int      `json:"year,omitempty"` // report year; 0 when unknown
	Section   []string `json:"section,omitempty"`
	Paragraph int      `json:"paragraph"`
	// Page is the PDF page the passage starts on; 0 for other formats.
	Page int `json:"page,omitempty"`
	// Scanned is set when the passage was read from a scan by OCR: its
	// figures should be checked against the scan.
	Scanned bool    `json:"scanned,omitempty"`
	Quote   string  `json:"quote"` // a short verbatim excerpt
	Text    string  `json:"text"`  // the full passage
	Score   float64 `json:"score"`
}

// Timings says where an answer's time went.
type Timings struct {
	Retrieve time.Duration `json:"retrieve_ns"`
	Answer   time.Duration `json:"answer_ns"`
	Total    time.Duration `json:"total_ns"`
}

// Answer is a cited answer. When NotFound is set, Text says so and Closest
// lists the nearest passages instead of citations.
type Answer struct {
	Question  string      `json:"question"`
	Text      string      `json:"text"`
	Citations []Citation  `json:"citations"`
	NotFound  bool        `json:"not_found"`
	Closest   []Citation  `json:"closest,omitempty"`
	Query     query.Query `json:"query"`
	Hits      []index.Hit `json:"-"`
	Timings   Timings     `json:"timings"`
	// Mode is "extractive" or "llm".
	Mode string `json:"mode"`
	// Notice, when set, is a short note for the reader about how the answer
	// was made (for example that the language model was unavailable and the
	// answer is extractive).
	Notice string `json:"notice,omitempty"`
	// Rewrite is the model's rewritten search query, when one was used.
	Rewrite string `json:"rewrite,omitempty"`
	// Grounding reports the checks of a model's answer (LLM mode only).
	Grounding *Grounding `json:"grounding,omitempty"`
	// Trace lists the best scored evidence windows, for explaining an answer.
	Trace []TraceLine `json:"trace,omitempty"`
	// Facts are the facts of the table of facts the answer was made from
	// (figure questions; see ChooseFacts), each with the passage it is in.
	Facts []UsedFact `json:"facts,omitempty"`
	// Table, when set, lays the answer out as rows (a series, a
	// comparison of places, a target against its result; see
	// ComposeTable); Text then holds the same rows as cited lines.
	Table *Table `json:"table,omitempty"`
	// VectorSearch names what ran the vector half of the search: chromem
	// (chromem-go), int8 (the quantized matrix) or shared (the shared
	// store's own hybrid search, e.g. Weaviate).
	VectorSearch string `json:"vector_search,omitempty"`
}

// TraceLine is one scored evidence window.
type TraceLine struct {
	PassageID string  `json:"passage_id"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	Coverage  float64 `json:"coverage"`
	TypeOK    bool    `json:"type_ok"`
}

// Evidence is a sentence window chosen by the extractive answerer.
type Evidence struct {
	Hit      index.Hit
	Text     string  // the verbatim window (one to three clauses)
	Sentence string  // the whole sentence holding it
	Score    float64 // relevance, higher is better
	Coverage float64 // share of the question's weighted concepts found
	// TypeOK is set when the window holds what the question asks for (a
	// number with the asked unit, a person).
	TypeOK bool
}

// personWords are role titles an answer to a "who" question must name.
var personWords = []string{"区长", "市长", "县长", "省长", "书记", "主任", "主席", "总理", "部长", "局长", "镇长", "负责人"}

// NamesPerson reports whether s has a role title next to a name-sized run of
// two or three Han characters ("总理李强", "李强总理"), not a title that is
// part of a longer word ("城市长效管理").
func NamesPerson(s string) bool {
	for _, w := range personWords {
		for off := 0; ; {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			i += off
			after := hanRunFrom(s[i+len(w):])
			before := hanRunBefore(s[:i])
			if (after >= 2 && after <= 3) || (before >= 2 && before <= 3 && after == 0) {
				return true
			}
			off = i + len(w)
		}
	}
	return false
}

func hanRunFrom(s string) int {
	n := 0
	for _, r := range s {
		if !hanzi.IsHanScript(r) {
			break
		}
		n++
	}
	return n
}

func hanRunBefore(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !hanzi.IsHanScript(r) {
			break
		}
		n++
		s = s[:len(s)-size]
	}
	return n
}

// CountedMatch is how much of the end of counted (the question's counted
// words) directly precedes a number in text, from 0 to 1: "北京项目1290个"
// matches all of "新增北京项目" that counts, "科技转化项目21个" half. One
// shared character ("个") is no match.
func CountedMatch(text, counted string) float64 {
	if counted == "" {
		return 0
	}
	want := []rune(counted)
	best := 0
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' || (i > 0 && text[i-1] >= '0' && text[i-1] <= '9') {
			continue
		}
		n := 0
		for s := text[:i]; n < countedFull && n < len(want); n++ {
			r, size := utf8.DecodeLastRuneInString(s)
			if r != want[len(want)-1-n] {
				break
			}
			s = s[:len(s)-size]
		}
		best = max(best, n)
	}
	if best < 2 {
		return 0
	}
	return float64(best) / float64(min(len(want), countedFull))
}

func coverageFloor(q query.Query) float64 {
	if q.Lang == "en" {
		return minCoverageEnglish
	}
	return minCoverage
}

// AnswerWindows is how many clauses an answer window may span.
const AnswerWindows = 3

// concept is one thing the question asks about, with the alternative ways
// the reports may say it.
type concept struct {
	weight float64
	alts   []alternative
	// optional concepts count only where they are found (see
	// WeightedTerm.Optional).
	optional bool
}

type alternative struct {
	terms  []string
	idf    []float64
	total  float64
	weight float64 // relative to the concept's best alternative
}

// ConceptsOf groups a query's terms into concepts weighted by the IDF of
// their best alternative; terms unknown to the corpus carry no weight.
func ConceptsOf(q query.Query, lex *lexical.Index) []concept {
	type key struct{ g, a int }
	alts := map[key]*alternative{}
	optional := map[key]bool{}
	scale := map[int]float64{}
	var order []key
	for _, t := range q.Terms {
		idf := lex.IDF(t.Term)
		if idf == 0 || t.Weight <= 0 {
			continue
		}
		k := key{t.Group, t.Alt}
		a, ok := alts[k]
		if !ok {
			a = &alternative{weight: t.Weight}
			alts[k] = a
			order = append(order, k)
		}
		a.terms = append(a.terms, t.Term)
		a.idf = append(a.idf, idf)
		a.total += idf
		optional[k] = t.Optional
		if t.Scale > 0 {
			scale[t.Group] = t.Scale
		}
	}
	byGroup := map[int]int{}
	var groupOf []int
	var cs []concept
	for _, k := range order {
		i, ok := byGroup[k.g]
		if !ok {
			i = len(cs)
			byGroup[k.g] = i
			cs = append(cs, concept{})
			groupOf = append(groupOf, k.g)
		}
		a := alts[k]
		cs[i].alts = append(cs[i].alts, *a)
		cs[i].optional = optional[k]
	}
	// What the corpus lacks entirely weighs as much as the rarest term.
	for range q.Missing {
		cs = append(cs, concept{weight: lex.MaxIDF(), alts: nil})
	}
	// A concept weighs the mean IDF of its alternatives, weighted by their
	// fit, so one rare but poor alternative cannot inflate it.
	for i := range cs {
		if len(cs[i].alts) == 0 {
			continue
		}
		var sum, norm float64
		for _, a := range cs[i].alts {
			sum += a.total / float64(len(a.terms)) * a.weight
			norm += a.weight
		}
		cs[i].weight = sum / norm * cs[i].alts[0].weight
		if sc, ok := scale[groupOf[i]]; ok {
			cs[i].weight *= sc
		}
	}
	return cs
}

// matched is the best share of an alternative of c found in set.
func (c concept) matched(set map[string]bool) float64 {
	best := 0.0
	for _, a := range c.alts {
		var m float64
		for i, t := range a.terms {
			if set[t] {
				m += a.idf[i]
			}
		}
		best = max(best, m/a.total*a.weight)
	}
	return best
}

// Score scores every window of one to three clauses of every hit
// against q: the weighted share of the question's concepts in the window,
// plus a little for concepts found elsewhere in the passage or its headings,
// times the hit's retrieval strength.
func Score(q query.Query, hits []index.Hit, lex *lexical.Index) []Evidence {
	cs := ConceptsOf(q, lex)
	var total float64
	for _, c := range cs {
		if !c.optional {
			total += c.weight
		}
	}
	if total == 0 || len(hits) == 0 {
		return nil
	}
	top := hits[0].Score
	// Windows are collected as small records and become Evidence (which
	// holds a copy of its Hit) only once sorted: appending and sorting the
	// large structs was the slowest part of answering.
	type window struct {
		seq, hit        int
		text, sentence  string
		score, coverage float64
		typeOK          bool
	}
	var wins []window
	// Only the question's terms matter to concept.matched, so the term sets
	// of windows keep only those: one small reused map instead of a map of
	// every term of every window.
	ts := newTermSets(cs)
	for hi, h := range hits {
		text := h.Passage.Text
		ctxTerms := ts.of(index.ContextHeader(h.Report, h.Passage.Passage) + "\n" + text)
		ctxMatch := make([]float64, len(cs))
		for i, c := range cs {
			ctxMatch[i] = c.matched(ctxTerms)
		}
		for _, sent := range SplitSpans(text, SentenceEnds, 0) {
			clauses := SplitSpans(text[sent.Start:sent.End], ClauseEnds, sent.Start)
			// A window's terms are its clauses' terms (clause breaks are
			// not Han and end every term), so each clause is cut once.
			clauseTerms := make([][]string, len(clauses))
			for j, c := range clauses {
				clauseTerms[j] = ts.list(text[c.Start:c.End])
			}
			for i := range clauses {
				for n := 1; n <= AnswerWindows && i+n <= len(clauses); n++ {
					win := Span{clauses[i].Start, clauses[i+n-1].End}
					wtext := text[win.Start:win.End]
					typeOK := (!q.Want.Quantity || HasQuantity(wtext, q.Want.Unit)) &&
						(!q.Want.Person || NamesPerson(wtext))
					var winTerms map[string]bool
					if JoinsNumber(text, clauses[i:i+n]) {
						winTerms = ts.of(wtext) // "3,400" is one term, not "3" and "400"
					} else {
						winTerms = ts.union(clauseTerms[i : i+n])
					}
					var inWin, inAll, optional float64
					for i, c := range cs {
						mw := c.matched(winTerms)
						if c.optional {
							// Only what the window itself holds counts,
							// on both sides of the ratio.
							inWin += c.weight * mw
							inAll += c.weight * mw
							optional += c.weight * mw
							continue
						}
						inWin += c.weight * mw
						inAll += c.weight * max(mw, ctxMatch[i])
					}
					all := total + optional
					score := (inWin + contextShare*(inAll-inWin)) / all
					score *= 1 - perClausePenalty*float64(n-1)
					if !q.Want.Quantity && HasQuantity(wtext, "") {
						if q.Want.PreferNumber {
							score *= numberBonusPreferred
						} else {
							score *= numberBonus
						}
					}
					score *= 1 + CountedBonus*CountedMatch(wtext, q.Want.Counted)
					score *= (retrievalFloor + retrievalShare*h.Score/top) * h.PeriodWeight
					wins = append(wins, window{seq: len(wins), hit: hi, text: TrimPunct(text, win), sentence: TrimPunct(text, sent),
						score: score, coverage: inAll / all, typeOK: typeOK})
				}
			}
		}
	}
	// By score, then shorter text, then scan order.
	slices.SortFunc(wins, func(a, b window) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if c := cmp.Compare(len(a.text), len(b.text)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]Evidence, len(wins))
	for i, w := range wins {
		out[i] = Evidence{Hit: hits[w.hit], Text: w.text, Sentence: w.sentence, Score: w.score, Coverage: w.coverage, TypeOK: w.typeOK}
	}
	return out
}

// Select returns the windows of ev that hold the kind of content
// asked for, best first, or ErrNoEvidence when there is none or the best
// covers too little of the question.
//
// When the question names places, only windows of their reports count
// (see PlaceFits); when it names years, only windows about one of them count
// (see yearFits), and when it asks for targets or for results, only
// windows of that kind (see kindFits); when windows would answer but none
// fits, the error is ErrOtherPlaces, ErrOtherYears or ErrOtherPeriod. When
// the question names only years no report can be about (Query.OutOfRange),
// nothing counts: the error is ErrYearOutOfRange.
func Select(q query.Query, ev []Evidence) ([]Evidence, error) {
	if len(q.Years) == 0 && len(q.OutOfRange) > 0 {
		return nil, ErrYearOutOfRange // never another year's figure
	}
	var ok []Evidence
	for _, e := range ev {
		if e.TypeOK {
			ok = append(ok, e)
		}
	}
	filters := []struct {
		on   bool
		fits func(query.Query, Evidence) bool
		none error
	}{
		{len(q.Places) > 0, PlaceFits, ErrOtherPlaces},
		{len(q.Years) > 0, YearFits, ErrOtherYears},
		{q.Kind != corpus.PeriodUnknown && !q.KindInherited, KindFits, ErrOtherPeriod},
	}
	for _, f := range filters {
		if !f.on {
			continue
		}
		fit := slices.DeleteFunc(slices.Clone(ok), func(e Evidence) bool { return !f.fits(q, e) })
		if len(fit) == 0 && len(ok) > 0 && ok[0].Coverage >= coverageFloor(q) {
			return nil, f.none
		}
		ok = fit
	}
	if len(ok) == 0 || ok[0].Coverage < coverageFloor(q) {
		return ok, ErrNoEvidence
	}
	return ok, nil
}

// YearFits reports whether evidence can speak for a year the question
// asks about: its passage's period is one of those years; or the period is
// unknown and its report is of that year or the next (a report reviews the
// year before it); or nothing dates the passage at all (a report without a
// year); or its sentence names the year itself ("到2020年…").
func YearFits(q query.Query, e Evidence) bool {
	if len(q.Years) == 0 {
		return true
	}
	switch p, ry := e.Hit.Passage.Period, e.Hit.Report.Year; {
	case p.Year != 0:
		if slices.Contains(q.Years, p.Year) {
			return true
		}
	case ry != 0:
		if slices.Contains(q.Years, ry) || slices.Contains(q.Years, ry-1) {
			return true
		}
	default:
		return true
	}
	s := hanzi.FoldWidthDigits(e.Sentence) // passages indexed before corpus v3 kept full-width digits
	for _, y := range q.Years {
		if strings.Contains(s, strconv.Itoa(y)+"年") {
			return true
		}
	}
	return false
}

// KindFits reports whether evidence can answer a question that asks for
// targets (or for results): its section's period is of that kind or
// unknown, or its sentence says so itself (a review sentence about a
// target, "完成了全年预期目标"; a target-section sentence about last year,
// "去年居民消费价格涨幅回落到2.6%").
func KindFits(q query.Query, e Evidence) bool {
	k := e.Hit.Passage.Period.Kind
	if q.Kind == corpus.PeriodUnknown || k == corpus.PeriodUnknown || k == q.Kind {
		return true
	}
	if q.Kind == corpus.PeriodTarget {
		return query.ContainsAny(e.Sentence, query.TargetWordsZH)
	}
	return query.ContainsAny(e.Sentence, query.ActualWordsZH)
}

// Rerank orders hits by their retrieval score and the score of their best
// evidence window together: a passage holding a sentence that answers the
// question rises above one that merely shares its words.
func Rerank(hits []index.Hit, ev []Evidence) []index.Hit {
	if len(hits) == 0 {
		return hits
	}
	best := map[string]float64{}
	var top float64
	for _, e := range ev {
		s := e.Score
		if !e.TypeOK {
			s *= wrongTypeFactor
		}
		if s > best[e.Hit.Passage.ID] {
			best[e.Hit.Passage.ID] = s
		}
		top = max(top, s)
	}
	topHit := hits[0].Score
	out := slices.Clone(hits)
	for i := range out {
		r := rerankRetrieval * out[i].Score / topHit
		if top > 0 {
			r += rerankEvidence * best[out[i].Passage.ID] / top
		}
		out[i].Rerank = r
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rerank > out[j].Rerank })
	return out
}

// TermSets computes which of a question's terms a text holds.
type TermSets struct {
	wanted map[string]bool
	set    map[string]bool
	buf    []string
}

func newTermSets(cs []concept) *TermSets {
	ts := &TermSets{wanted: map[string]bool{}, set: map[string]bool{}}
	for _, c := range cs {
		for _, a := range c.alts {
			for _, t := range a.terms {
				ts.wanted[t] = true
			}
		}
	}
	return ts
}

// of returns the set of wanted terms in s (the index terms of s, as
// appendIndexTerms cuts them). The map is reused by the next call.
func (ts *TermSets) of(s string) map[string]bool {
	clear(ts.set)
	ts.buf = lexical.AppendIndexTerms(ts.buf[:0], s)
	for _, t := range ts.buf {
		if ts.wanted[t] {
			ts.set[t] = true
		}
	}
	return ts.set
}

// list returns the wanted terms in s, each once, in a new slice.
func (ts *TermSets) list(s string) []string {
	var out []string
	for t := range ts.of(s) {
		out = append(out, t)
	}
	return out
}

// union returns the set of the terms in lists. The map is reused by the
// next call.
func (ts *TermSets) union(lists [][]string) map[string]bool {
	clear(ts.set)
	for _, l := range lists {
		for _, t := range l {
			ts.set[t] = true
		}
	}
	return ts.set
}

// JoinsNumber reports whether a break between consecutive clauses falls
// inside a number written with an ASCII thousands separator ("3,400"),
// which the tokenizer reads as one term.
func JoinsNumber(text string, clauses []Span) bool {
	for _, c := range clauses[:len(clauses)-1] {
		e := c.End
		if e >= 2 && e < len(text) && text[e-1] == ',' && lexical.IsDigit(text[e-2]) && lexical.IsDigit(text[e]) {
			return true
		}
	}
	return false
}

// quoteAround shortens sentence to at most limit runes around window.
func quoteAround(sentence, window string, limit int) string {
	if utf8.RuneCountInString(sentence) <= limit {
		return sentence
	}
	i := strings.Index(sentence, window)
	if i < 0 {
		return query.TruncateRunes(sentence, limit)
	}
	r := []rune(sentence)
	ws := utf8.RuneCountInString(sentence[:i])
	wl := utf8.RuneCountInString(window)
	pad := max(0, (limit-wl)/2)
	start := max(0, ws-pad)
	end := min(len(r), start+limit)
	start = max(0, end-limit)
	q := string(r[start:end])
	if start > 0 {
		q = "…" + q
	}
	if end < len(r) {
		q += "…"
	}
	return q
}
