// Package eval measures answers against a question set (the format of
// shared/eval/README.md): retrieval hit@k and MRR, answer, citation and
// refusal accuracy, false refusals, grounding fixes and latency, overall and
// per language.
package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/reportbot/reportbot/answer"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Question is one line of an evaluation file (see
// ../shared/eval/README.md for the format).
type Question struct {
	ID           string   `json:"id"`
	Lang         string   `json:"lang"`
	Question     string   `json:"question"`
	Answer       []string `json:"answer,omitempty"`
	Source       string   `json:"source,omitempty"`
	Unanswerable bool     `json:"unanswerable,omitempty"`
	// Note explains an unanswerable or two-part question (see the question
	// set's README); eval does not use it.
	Note string `json:"note,omitempty"`
}

// ReadQuestions parses a JSON Lines question file. Blank lines are
// skipped; a malformed line is an error naming its line number.
func ReadQuestions(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q Question
		// Fields eval does not know (a set's own notes, tags) are ignored.
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if q.Question == "" {
			return nil, fmt.Errorf("line %d: empty question", n)
		}
		if !q.Unanswerable && (len(q.Answer) == 0 || q.Source == "") {
			return nil, fmt.Errorf("line %d (%s): an answerable question needs answer and source", n, q.ID)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, errors.New("no questions")
	}
	return qs, nil
}

// Result is the outcome for one question.
type Result struct {
	ID             string            `json:"id"`
	Lang           string            `json:"lang"`
	Question       string            `json:"question"`
	Unanswerable   bool              `json:"unanswerable,omitempty"`
	SourceRank     int               `json:"source_rank"` // 1-based rank of the first hit holding the source; 0 if none in the top 10
	AnswerCorrect  bool              `json:"answer_correct"`
	CitationOK     bool              `json:"citation_correct"`
	NotFound       bool              `json:"not_found"`
	Answer         string            `json:"answer"`
	Latency        time.Duration     `json:"latency_ns"`
	Err            string            `json:"error,omitempty"`
	Mode           string            `json:"mode,omitempty"`
	CitedPassages  []string          `json:"cited_passages,omitempty"`
	ExpectedAnswer []string          `json:"expected_answer,omitempty"`
	Grounding      *answer.Grounding `json:"grounding,omitempty"`
}

// Metrics are the metrics of ../shared/eval/README.md for a set of results.
type Metrics struct {
	Questions        int     `json:"questions"`
	Answerable       int     `json:"answerable"`
	Unanswerable     int     `json:"unanswerable"`
	Hit1             float64 `json:"hit@1"`
	Hit5             float64 `json:"hit@5"`
	MRR10            float64 `json:"mrr@10"`
	AnswerAccuracy   float64 `json:"answer_accuracy"`
	CitationAccuracy float64 `json:"citation_accuracy"`
	RefusalAccuracy  float64 `json:"refusal_accuracy"`
	FalseRefusals    int     `json:"false_refusals"`
	Errors           int     `json:"errors"`
	LatencyP50       float64 `json:"latency_p50_ms"`
	LatencyP95       float64 `json:"latency_p95_ms"`
	// Grounding counts how often the checks of model answers fired (LLM
	// mode only).
	Grounding *GroundingStats `json:"grounding,omitempty"`
}

// GroundingStats count what the grounding check did over a set of answers.
type GroundingStats struct {
	ModelAnswers     int `json:"model_answers"`     // answers the model was asked for
	Retried          int `json:"retried"`           // regenerated after a failed check
	FellBack         int `json:"fell_back"`         // replaced by the extractive answer
	RemovedCitations int `json:"removed_citations"` // citations of passages that did not exist
	Unsupported      int `json:"unsupported"`       // answers with figures in no cited passage (first attempt)
	OtherYears       int `json:"other_years"`       // answers citing only passages about years not asked (first attempt)
	OtherPeriod      int `json:"other_period"`      // answers citing only results for targets asked, or the reverse (first attempt)
	ProviderErrors   int `json:"provider_errors"`   // model unreachable or garbage; extractive answer
}

// Report holds metrics overall and per language, and the per-question results.
type Report struct {
	Overall Metrics            `json:"overall"`
	ByLang  map[string]Metrics `json:"by_lang"`
	// Odd and Even are the metrics of the odd-numbered (1st, 3rd, ...) and
	// even-numbered questions of the file: two halves nobody chose, so a
	// change that helps only the questions it was tried on shows as a gap.
	Odd     Metrics  `json:"odd"`
	Even    Metrics  `json:"even"`
	Results []Result `json:"results"`
}

// AskFunc answers one question; Engine.Ask is one.
type AskFunc func(ctx context.Context, question string) (*answer.Answer, error)

// Run asks every question and scores the answers. A failing question
// is counted as an error (and as wrong), not a reason to stop.
func Run(ctx context.Context, ask AskFunc, qs []Question) (Report, error) {
	var rep Report
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		start := time.Now()
		a, err := ask(ctx, q.Question)
		res := Result{ID: q.ID, Lang: q.Lang, Question: q.Question, Unanswerable: q.Unanswerable, Latency: time.Since(start), ExpectedAnswer: q.Answer}
		if err != nil {
			res.Err = err.Error()
			rep.Results = append(rep.Results, res)
			continue
		}
		res.Mode, res.NotFound, res.Answer, res.Grounding = a.Mode, a.NotFound, a.Text, a.Grounding
		if !q.Unanswerable {
			src := foldText(q.Source)
			for i, h := range a.Hits[:min(10, len(a.Hits))] {
				if strings.Contains(foldText(h.Passage.Text), src) {
					res.SourceRank = i + 1
					break
				}
			}
			ans := foldText(a.Text)
			for _, want := range q.Answer {
				if ContainsAnswer(ans, foldText(want)) {
					res.AnswerCorrect = !a.NotFound
				}
			}
			for _, c := range a.Citations {
				res.CitedPassages = append(res.CitedPassages, c.PassageID)
				if strings.Contains(foldText(c.Text), src) {
					res.CitationOK = true
				}
			}
		}
		rep.Results = append(rep.Results, res)
	}
	rep.Overall = metricsOf(rep.Results)
	var odd, even []Result
	for i, r := range rep.Results {
		if i%2 == 0 { // the 1st, 3rd, ... question of the file
			odd = append(odd, r)
		} else {
			even = append(even, r)
		}
	}
	rep.Odd, rep.Even = metricsOf(odd), metricsOf(even)
	rep.ByLang = map[string]Metrics{}
	langs := map[string][]Result{}
	for _, r := range rep.Results {
		langs[r.Lang] = append(langs[r.Lang], r)
	}
	for l, rs := range langs {
		rep.ByLang[l] = metricsOf(rs)
	}
	return rep, nil
}

var folder = cases.Fold()

// foldText is Unicode NFKC normalisation followed by case folding, as the
// evaluation format prescribes.
func foldText(s string) string {
	return folder.String(norm.NFKC.String(s))
}

func metricsOf(rs []Result) Metrics {
	m := Metrics{Questions: len(rs)}
	var hit1, hit5, refused, answered, cited int
	var mrr float64
	var lat []float64
	for _, r := range rs {
		if g := r.Grounding; g != nil {
			if m.Grounding == nil {
				m.Grounding = &GroundingStats{}
			}
			m.Grounding.ModelAnswers++
			m.Grounding.RemovedCitations += len(g.RemovedCitations)
			if len(g.Unsupported) > 0 {
				m.Grounding.Unsupported++
			}
			if len(g.OtherYears) > 0 {
				m.Grounding.OtherYears++
			}
			if g.OtherPeriod {
				m.Grounding.OtherPeriod++
			}
			if g.Retried {
				m.Grounding.Retried++
			}
			if g.FellBack {
				m.Grounding.FellBack++
			}
			if g.ProviderError {
				m.Grounding.ProviderErrors++
			}
		}
		lat = append(lat, float64(r.Latency)/1e6)
		if r.Err != "" {
			m.Errors++
		}
		if r.Unanswerable {
			m.Unanswerable++
			if r.NotFound && r.Err == "" {
				refused++
			}
			continue
		}
		m.Answerable++
		if r.SourceRank == 1 {
			hit1++
		}
		if r.SourceRank >= 1 && r.SourceRank <= 5 {
			hit5++
		}
		if r.SourceRank >= 1 {
			mrr += 1 / float64(r.SourceRank)
		}
		if r.AnswerCorrect {
			answered++
		}
		if r.CitationOK {
			cited++
		}
		if r.NotFound {
			m.FalseRefusals++
		}
	}
	if m.Answerable > 0 {
		n := float64(m.Answerable)
		m.Hit1, m.Hit5, m.MRR10 = float64(hit1)/n, float64(hit5)/n, mrr/n
		m.AnswerAccuracy, m.CitationAccuracy = float64(answered)/n, float64(cited)/n
	}
	if m.Unanswerable > 0 {
		m.RefusalAccuracy = float64(refused) / float64(m.Unanswerable)
	}
	m.LatencyP50, m.LatencyP95 = percentile(lat, 0.50), percentile(lat, 0.95)
	return m
}

// percentile is the nearest-rank percentile of xs (0 for none).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
