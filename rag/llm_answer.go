package rag

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// LLMOptions configure the language-model answerer of an Engine.
type LLMOptions struct {
	// Chat writes answers (and rewrites queries); nil means offline
	// extractive answers only.
	Chat chat.Model
	// Rewrite asks the model for a Chinese search query and filters when a
	// question is in English, names years or a target/actual intent, or
	// follows up an earlier turn.
	Rewrite bool
	// MaxPassages is how many top passages the model reads (default 6).
	MaxPassages int
	// HistoryTokens bounds the earlier turns sent with a question
	// (estimated tokens, default 1500).
	HistoryTokens int
	// MaxAnswerTokens bounds the model's reply (default 600).
	MaxAnswerTokens int
}

// WithLLM returns a copy of e that answers with a language model.
func (e *Engine) WithLLM(opt LLMOptions) *Engine {
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

// Grounding reports what the grounding check of a model's answer found and
// did: how often it fires is a quality signal (see eval).
type Grounding struct {
	// Model is the chat model's name.
	Model string `json:"model"`
	// RemovedCitations are cited passage numbers that did not exist.
	RemovedCitations []int `json:"removed_citations,omitempty"`
	// Unsupported are figures found in no cited passage (first attempt).
	Unsupported []string `json:"unsupported,omitempty"`
	// OtherYears are the years of the cited passages when the question
	// named years and none of them was about one (first attempt).
	OtherYears []int `json:"other_years,omitempty"`
	// OtherPeriod is set when the question asked for targets (or results)
	// and every cited passage gave the other kind (first attempt).
	OtherPeriod bool `json:"other_period,omitempty"`
	// Retried is set when the answer was regenerated with the problem named.
	Retried bool `json:"retried,omitempty"`
	// FellBack is set when the extractive answer replaced the model's.
	FellBack bool `json:"fell_back,omitempty"`
	// ProviderError is set when the model could not be reached or replied
	// with garbage; the answer is then extractive.
	ProviderError bool `json:"provider_error,omitempty"`
}

// Notices shown with an answer, by language.
var (
	noticeProvider = map[string]string{
		"zh": "语言模型暂不可用,以下为报告原文摘录。",
		"en": "The language model is unavailable right now; this answer is quoted directly from the reports.",
	}
	noticeKeywordOnly = map[string]string{
		"zh": "语义检索暂不可用,本次仅按关键词检索。",
		"en": "Semantic search is unavailable right now; passages were found by keyword search only.",
	}
	noticeUndated = map[string]string{
		"zh": "引用的报告未注明年份,请核对它是否为所问年份。",
		"en": "The cited report gives no year: check that it is about the year you asked for.",
	}
	noticeUngrounded = map[string]string{
		"zh": "模型的回答无法与引用段落核对一致,以下为报告原文摘录。",
		"en": "The model's answer could not be checked against the cited passages; this answer is quoted directly from the reports.",
	}
)

// addNotice adds n to a's notices, once.
func addNotice(a *Answer, n string) {
	if !strings.Contains(a.Notice, n) {
		a.Notice = strings.TrimSpace(a.Notice + " " + n)
	}
}

func notice(m map[string]string, lang string) string {
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}

// generate replaces the extractive answer a with the model's answer when
// the model answers and the answer passes the grounding check (after at most
// one retry). Otherwise a stays extractive, with a notice.
func (e *Engine) generate(ctx context.Context, a *Answer, evq query.Query, question string, history []query.Turn, hits []index.Hit, onDelta func(string)) {
	g := &Grounding{Model: e.llm.Chat.Name()}
	a.Grounding = g
	msgs := answerMessages(question, a.Query.Lang, history, hits)
	sources := groundingSources(hits)
	var stream func(string)
	if onDelta != nil {
		stream = (&notFoundFilter{out: onDelta}).write
	}
	reply, err := e.llm.Chat.Chat(ctx, msgs, chat.Options{OnDelta: stream, MaxTokens: e.llm.MaxAnswerTokens})
	if err != nil {
		e.providerFailed(a, g, err)
		return
	}
	if e.modelNotFound(a, reply) {
		return
	}
	check := checkGrounding(reply, sources)
	check.citedOtherYears(evq, hits)
	check.citedOtherPeriod(evq, hits)
	g.RemovedCitations, g.Unsupported, g.OtherYears, g.OtherPeriod = check.BadCitations, check.Unsupported, check.CitedYears, check.OtherPeriod
	if p := check.problems(); p != "" {
		g.Retried = true
		e.log.Info("model answer failed the grounding check; retrying", "problems", p, "model", g.Model)
		reply, err = e.llm.Chat.Chat(ctx, retryMessages(msgs, reply, p), chat.Options{MaxTokens: e.llm.MaxAnswerTokens})
		if err != nil {
			e.providerFailed(a, g, err)
			return
		}
		if e.modelNotFound(a, reply) {
			return
		}
		check = checkGrounding(reply, sources)
		check.citedOtherYears(evq, hits)
		check.citedOtherPeriod(evq, hits)
		g.RemovedCitations = append(g.RemovedCitations, check.BadCitations...)
		if check.problems() != "" {
			g.FellBack = true
			e.log.Warn("model answer failed the grounding check twice; using the extractive answer",
				"problems", check.problems(), "model", g.Model)
			addNotice(a, notice(noticeUngrounded, a.Query.Lang))
			return
		}
	}
	a.Mode = "llm"
	a.NotFound = false
	a.Closest = nil
	a.Text, a.Citations = renumberCitations(check, hits)
}

// modelNotFound turns a into the model's "not found" answer when reply says
// the passages do not answer, and reports whether it did.
func (e *Engine) modelNotFound(a *Answer, reply string) bool {
	if !isNotFoundReply(reply) {
		return false
	}
	if !a.NotFound {
		e.notFound(a)
	} // else keep the extractive answer's reason ("only other years")
	a.Mode = "llm"
	return true
}

// providerFailed keeps the extractive answer of a, with a notice; the full
// error goes to the log only.
func (e *Engine) providerFailed(a *Answer, g *Grounding, err error) {
	g.ProviderError = true
	e.log.Error("language model failed; answering extractively", "model", g.Model, "err", err)
	addNotice(a, notice(noticeProvider, a.Query.Lang))
}

// isNotFoundReply reports whether the model said the passages do not
// answer the question.
func isNotFoundReply(reply string) bool {
	r := strings.Trim(strings.TrimSpace(reply), "`*\"'.。")
	return r == notFoundToken || strings.HasPrefix(r, notFoundToken) && utf8.RuneCountInString(r) < len(notFoundToken)+40
}

// notFoundFilter holds back the start of a stream until it is clear the
// reply is not the NOT_FOUND token, so users never see it.
type notFoundFilter struct {
	out     func(string)
	buf     strings.Builder
	flowing bool
}

func (f *notFoundFilter) write(d string) {
	if f.flowing {
		f.out(d)
		return
	}
	f.buf.WriteString(d)
	s := strings.TrimLeft(f.buf.String(), " \n`*\"'")
	if len(s) < len(notFoundToken) && strings.HasPrefix(notFoundToken, s) {
		return
	}
	if strings.HasPrefix(s, notFoundToken) {
		return // swallowed; the final answer says "not found" properly
	}
	f.flowing = true
	f.out(f.buf.String())
}

var plainMarker = regexp.MustCompile(`\[(\d+)\]`)

// renumberCitations numbers the cited passages 1..m in order of first
// citation and builds their citations, each quoting the passage sentence
// that best supports the claims citing it.
func renumberCitations(g grounding, hits []index.Hit) (string, []Citation) {
	newN := map[int]int{}
	for i, n := range g.Cited {
		newN[n] = i + 1
	}
	claims := map[int][]string{}
	for _, sent := range splitClaims(g.Text) {
		for _, m := range plainMarker.FindAllStringSubmatch(sent, -1) {
			n, _ := strconv.Atoi(m[1])
			claims[n] = append(claims[n], sent)
		}
	}
	text := plainMarker.ReplaceAllStringFunc(g.Text, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		return fmt.Sprintf("[%d]", newN[n])
	})
	var cites []Citation
	for i, n := range g.Cited {
		h := hits[n-1]
		cites = append(cites, citationFor(i+1, h, bestQuote(h.Passage.Text, strings.Join(claims[n], " "))))
	}
	return text, cites
}

// splitClaims cuts an answer into sentences, keeping the citation markers
// that follow a sentence end with that sentence.
func splitClaims(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune("。！？!?\n", r) || r == '.' && i+1 < len(s) && s[i+1] == ' ' {
			end := i + utf8.RuneLen(r)
			for end < len(s) && s[end] == '[' {
				j := strings.IndexByte(s[end:], ']')
				if j < 0 {
					break
				}
				end += j + 1
			}
			if end > start {
				out = append(out, s[start:end])
			}
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// bestQuote picks the sentence of passage that best supports claim: shared
// figures first, then shared Chinese bigrams.
func bestQuote(passage, claim string) string {
	spans := splitSpans(passage, sentenceEnds, 0)
	if len(spans) == 0 {
		return query.TruncateRunes(passage, quoteRunes)
	}
	cf := figures(claim)
	cb := map[string]bool{}
	for _, t := range lexical.Terms(claim) {
		cb[t] = true
	}
	best, bestScore := 0, -1.0
	for i, sp := range spans {
		sent := passage[sp.start:sp.end]
		score := 0.0
		for _, f := range figures(sent) {
			for _, c := range cf {
				if c.matches(f) {
					score += 3
				}
			}
		}
		for _, t := range lexical.Terms(sent) {
			if cb[t] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	sp := spans[best]
	return query.TruncateRunes(strings.TrimSpace(passage[sp.start:sp.end]), quoteRunes)
}

// errBadRewrite is returned for a rewrite reply that is not the JSON asked
// for.
var errBadRewrite = errors.New("the model's query rewrite is not usable")
