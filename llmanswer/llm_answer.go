// Package llmanswer has a chat model write the answer from the retrieved
// passages: the prompts, the query rewrite, and the grounding check that keeps
// every figure and citation honest (retry once naming the problem, else keep
// the extractive answer). It is written against chat.Model.
package llmanswer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/internal/safetext"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// Options configure the language-model answerer of an Engine.
type Options struct {
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
	// Timeout bounds all the model calls of one question together, the
	// query rewrite included (provider.timeout); 0: only each call's own
	// bound.
	Timeout time.Duration
}

// WithDeadline returns the context for the model calls of one question:
// ctx bounded by opt.Timeout, whose cause names the setting.
func WithDeadline(ctx context.Context, opt Options) (context.Context, context.CancelFunc) {
	if opt.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, opt.Timeout, fmt.Errorf(
		"%w: the model calls of this question took longer than provider.timeout (%s)", context.DeadlineExceeded, opt.Timeout))
}

// Generate replaces the extractive answer a with the model's answer when
// the model answers and the answer passes the grounding check (after at most
// one retry). Otherwise a stays extractive, with a notice.
func Generate(ctx context.Context, opt Options, log *slog.Logger, a *answer.Answer, evq query.Query, question string, history []query.Turn, hits []index.Hit, onDelta func(string)) {
	g := &answer.Grounding{Model: opt.Chat.Name()}
	a.Grounding = g
	var draft []answer.Citation
	if !a.NotFound {
		draft = a.Citations
	}
	msgs := answerMessages(question, a.Query.Lang, history, hits, a.Facts, draft)
	sources := groundingSources(hits)
	var stream func(string)
	if onDelta != nil {
		filter := &notFoundFilter{out: onDelta}
		stream = func(d string) { filter.write(safetext.Text(d)) }
	}
	reply, err := opt.Chat.Chat(ctx, msgs, chat.Options{OnDelta: stream, MaxTokens: opt.MaxAnswerTokens})
	if err != nil {
		providerFailed(log, a, g, err)
		return
	}
	// The reply is printed and posted: no escape sequences or
	// bidirectional controls, whatever the grounding check says of it.
	reply = safetext.Text(reply)
	if modelNotFound(a, reply) {
		return
	}
	check := checkGrounding(reply, sources)
	check.citedOtherYears(evq, hits)
	check.citedOtherPeriod(evq, hits)
	check.namesIndicator(evq)
	g.RemovedCitations, g.Unsupported, g.OtherYears, g.OtherPeriod = check.BadCitations, check.Unsupported, check.CitedYears, check.OtherPeriod
	if p := check.problems(); p != "" {
		g.Retried = true
		log.Info("model answer failed the grounding check; retrying", "problems", p, "model", g.Model)
		reply, err = opt.Chat.Chat(ctx, retryMessages(msgs, reply, p), chat.Options{MaxTokens: opt.MaxAnswerTokens})
		if err != nil {
			providerFailed(log, a, g, err)
			return
		}
		reply = safetext.Text(reply)
		if modelNotFound(a, reply) {
			return
		}
		check = checkGrounding(reply, sources)
		check.citedOtherYears(evq, hits)
		check.citedOtherPeriod(evq, hits)
		check.namesIndicator(evq)
		g.RemovedCitations = append(g.RemovedCitations, check.BadCitations...)
		if check.problems() != "" {
			g.FellBack = true
			log.Warn("model answer failed the grounding check twice; using the extractive answer",
				"problems", check.problems(), "model", g.Model)
			answer.AddNotice(a, answer.Notice(answer.NoticeUngrounded, a.Query.Lang))
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
func modelNotFound(a *answer.Answer, reply string) bool {
	if !isNotFoundReply(reply) {
		return false
	}
	if len(a.Facts) > 0 && !a.NotFound {
		return true // the facts answer the question: keep their answer
	}
	if !a.NotFound {
		answer.NotFound(a)
	} // else keep the extractive answer's reason ("only other years")
	a.Mode = "llm"
	return true
}

// providerFailed keeps the extractive answer of a, with a notice; the full
// error goes to the log only.
func providerFailed(log *slog.Logger, a *answer.Answer, g *answer.Grounding, err error) {
	g.ProviderError = true
	log.Error("language model failed; answering extractively", "model", g.Model, "err", err)
	answer.AddNotice(a, answer.Notice(answer.NoticeProvider, a.Query.Lang))
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
func renumberCitations(g grounding, hits []index.Hit) (string, []answer.Citation) {
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
	var cites []answer.Citation
	for i, n := range g.Cited {
		h := hits[n-1]
		cites = append(cites, answer.CitationFor(i+1, h, bestQuote(h.Passage.Text, strings.Join(claims[n], " "))))
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
// Figures first, then shared Chinese bigrams.
func bestQuote(passage, claim string) string {
	spans := answer.SplitSpans(passage, answer.SentenceEnds, 0)
	if len(spans) == 0 {
		return query.TruncateRunes(passage, answer.QuoteRunes)
	}
	cf := answer.Figures(claim)
	cb := map[string]bool{}
	for _, t := range lexical.Terms(claim) {
		cb[t] = true
	}
	best, bestScore := 0, -1.0
	for i, sp := range spans {
		sent := passage[sp.Start:sp.End]
		score := 0.0
		for _, f := range answer.Figures(sent) {
			for _, c := range cf {
				if c.Matches(f) {
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
	return query.TruncateRunes(strings.TrimSpace(passage[sp.Start:sp.End]), answer.QuoteRunes)
}

// errBadRewrite is returned for a rewrite reply that is not the JSON asked
// for.
var errBadRewrite = errors.New("the model's query rewrite is not usable")
