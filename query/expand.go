package query

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/cedict"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/lexical"
)

// Dictionary finds Chinese words for an English word or phrase.
// *cedict.Dict implements it.
type Dictionary interface {
	Lookup(phrase string) []cedict.Candidate
}

// Expansion limits: how many Chinese words one English word may expand to,
// and how weak (relative to the best) a kept candidate may be.
const (
	maxExpansions  = 3
	minRelativeFit = 0.6
	// tierSlack keeps candidates whose match quality is this close to the
	// best candidate's (lemma matches are discounted by lemmaDiscount).
	tierSlack = 0.85
)

// expander builds the weighted terms of an English question.
type expander struct {
	dict  Dictionary
	lex   *lexical.Index
	terms []lexical.WeightedTerm
	group int
}

// add appends a concept with its alternatives (each a word searched by its
// bigrams, or itself when it is one character) and their weights.
func (x *expander) add(alts []scoredWord) {
	x.group++
	for a, alt := range alts {
		for _, t := range queryTermsOf(alt.word) {
			x.terms = append(x.terms, lexical.WeightedTerm{Term: t, Weight: alt.weight, Group: x.group, Alt: a})
		}
	}
}

// expandEnglish turns an English question into weighted Chinese (and
// English) lexical terms using the dictionary, keeping the candidates that
// occur in the corpus and preferring exact glosses, whole words over single
// characters, and words frequent in the corpus.
func expandEnglish(question string, inds []indicator.Match, dict Dictionary, lex *lexical.Index) ([]lexical.WeightedTerm, map[string][]string, string) {
	x := &expander{dict: dict, lex: lex}
	expansions := map[string][]string{}
	var embed []string
	// An indicator the question names is searched by its Chinese names,
	// not word by word through the dictionary ("new urban jobs" is
	// 城镇新增就业, not 新 + 城市 + 工作).
	for _, m := range inds {
		alts := indicatorAlternatives(indicator.Default(), m.ID, "", lex)
		if len(alts) == 0 {
			continue
		}
		x.add(alts)
		phrase := strings.ToLower(question[m.Start:m.End])
		for _, a := range alts {
			expansions[phrase] = append(expansions[phrase], a.word)
			embed = append(embed, a.word)
		}
	}
	words := englishWords(blankSpans(question, inds))
	for i := 0; i < len(words); {
		w := words[i]
		if isNumberWord(w) {
			n := strings.ReplaceAll(w, ",", "")
			x.add([]scoredWord{{word: n, weight: 1}})
			embed = append(embed, n)
			i++
			continue
		}
		if cedict.IsStopword(w) {
			i++
			continue
		}
		// Longest phrase of content words first ("foreign capital").
		used := 1
		var chosen []scoredWord
		for n := 3; n >= 2; n-- {
			if i+n > len(words) || !allContent(words[i:i+n]) {
				continue
			}
			if c := x.pick(x.lookup(words[i:i+n]), cedict.MatchHead); len(c) > 0 {
				chosen, used = c, n
				w = strings.Join(words[i:i+n], " ")
				break
			}
		}
		if chosen == nil {
			chosen = x.pick(x.lookup(words[i:i+1]), 0)
		}
		// The English word itself, for reports written in English.
		if lex == nil || lex.DocFreq(words[i]) > 0 {
			chosen = append(chosen, scoredWord{word: words[i], weight: 1})
		}
		if isIntentWord(words[i]) {
			for k := range chosen {
				chosen[k].weight *= intentWeight
			}
		}
		if len(chosen) > 0 {
			x.add(chosen)
		}
		for _, c := range chosen {
			if c.word != words[i] {
				expansions[w] = append(expansions[w], c.word)
				embed = append(embed, c.word)
			}
		}
		i += used
	}
	return x.terms, expansions, strings.Join(embed, " ")
}

// englishWords splits a question into lower-case words, also splitting
// hyphenated compounds ("tech-based" → "tech", "based").
func englishWords(q string) []string {
	var out []string
	for _, w := range wordsOf(q) {
		out = append(out, strings.FieldsFunc(w, func(r rune) bool { return r == '-' })...)
	}
	return out
}

type scoredWord struct {
	word   string
	weight float64
}

func isNumberWord(w string) bool {
	if w == "" || !lexical.IsDigit(w[0]) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !lexical.IsDigit(w[i]) && w[i] != '.' && w[i] != ',' {
			return false
		}
	}
	return true
}

func allContent(ws []string) bool {
	for _, w := range ws {
		if cedict.IsStopword(w) || isNumberWord(w) {
			return false
		}
	}
	return true
}

// lemmaDiscount lowers matches found only through a lemma ("planned" →
// "plan") below matches of the word as written.
const lemmaDiscount = 0.9

// lookup looks a phrase up as written and with its last word lemmatised
// ("kindergartens" → "kindergarten", "planned" → "plan"), merging both.
func (x *expander) lookup(words []string) []cedict.Candidate {
	if x.dict == nil {
		return nil
	}
	head := strings.Join(words[:len(words)-1], " ")
	asWritten := strings.Join(words, " ")
	seen := map[string]bool{}
	var out []cedict.Candidate
	for _, last := range cedict.Lemmas(words[len(words)-1]) {
		phrase := strings.TrimSpace(head + " " + last)
		if seen[phrase] {
			continue
		}
		seen[phrase] = true
		for _, c := range x.dict.Lookup(phrase) {
			if phrase != asWritten {
				c.Match *= lemmaDiscount
			}
			out = append(out, c)
		}
	}
	return out
}

// pick keeps candidates found in the corpus with match quality at least
// minMatch, scores them by match quality, word length and corpus frequency,
// and returns the best few with weights relative to the best.
func (x *expander) pick(cands []cedict.Candidate, minMatch float64) []scoredWord {
	// Only candidates the corpus has, and only from the best match tier
	// among those: a word whose gloss merely mentions "rural" does not
	// compete with one glossed "rural area".
	type found struct {
		c    cedict.Candidate
		df   int
		part float64
	}
	var inCorpus []found
	tier := 0.0
	for _, c := range cands {
		if c.Match < minMatch || c.Simplified == "" {
			continue
		}
		df, part := 1, 1.0
		if x.lex != nil {
			df, part = wordDocFreq(x.lex, c.Simplified)
		}
		if df == 0 {
			continue
		}
		inCorpus = append(inCorpus, found{c, df, part})
		tier = max(tier, c.Match*part)
	}
	best := map[string]float64{}
	for _, f := range inCorpus {
		c, df, part := f.c, f.df, f.part
		if c.Match*part < tierSlack*tier {
			continue
		}
		s := c.Match * part * (1 + math.Log1p(float64(df))/8)
		if utf8.RuneCountInString(c.Simplified) == 1 {
			s *= 0.6 // a lone character is a weaker, more ambiguous match
		}
		if s > best[c.Simplified] {
			best[c.Simplified] = s
		}
	}
	out := make([]scoredWord, 0, len(best))
	for w, s := range best {
		out = append(out, scoredWord{word: w, weight: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].word < out[j].word
	})
	if len(out) == 0 {
		return nil
	}
	// A lone character matches inside unrelated words ("业" in "失业"):
	// keep one only when no whole word qualifies.
	if words := slices.DeleteFunc(slices.Clone(out), func(w scoredWord) bool {
		return utf8.RuneCountInString(w.word) == 1
	}); len(words) > 0 && words[0].weight >= minRelativeFit*out[0].weight {
		out = words
	}
	top := out[0].weight
	var kept []scoredWord
	for i, c := range out {
		if i == maxExpansions || c.weight < minRelativeFit*top {
			break
		}
		kept = append(kept, scoredWord{word: c.word, weight: c.weight / top})
	}
	return kept
}

// queryTermsOf is how a word is searched: the bigrams of a Chinese word, or
// the word itself when it is one character or not Chinese.
func queryTermsOf(word string) []string {
	if utf8.RuneCountInString(word) == 1 {
		return []string{word}
	}
	return lexical.Terms(word)
}

// wordDocFreq estimates how many passages contain word (exact for one or
// two characters, the rarest bigram for longer words) and which share of
// its bigrams the corpus has. A word the corpus lacks as a whole but partly
// has ("北京市" where reports say "北京") counts with the frequency of its
// rarest present bigram and the share present.
func wordDocFreq(lex *lexical.Index, word string) (int, float64) {
	terms := queryTermsOf(word)
	if len(terms) == 0 {
		return 0, 0
	}
	minDF, minPresent, present := math.MaxInt, math.MaxInt, 0
	for _, t := range terms {
		df := lex.DocFreq(t)
		minDF = min(minDF, df)
		if df > 0 {
			present++
			minPresent = min(minPresent, df)
		}
	}
	if minDF > 0 {
		return minDF, 1
	}
	if present == 0 {
		return 0, 0
	}
	return minPresent, float64(present) / float64(len(terms))
}

// expandLatinWords handles the Latin words of a Chinese question ("2016年
// GDP增长目标是多少?"): a word the corpus does not use is replaced, as a
// search concept, by its dictionary translations that the corpus does use
// (GDP → 国内生产总值), as an English question's words are. Words the corpus
// has, numbers and stopwords stay as they are.
func expandLatinWords(q *Query, cleaned string, dict Dictionary, lex *lexical.Index) {
	if dict == nil || lex == nil {
		return
	}
	group := 0
	for _, t := range q.Terms {
		group = max(group, t.Group)
	}
	x := &expander{dict: dict, lex: lex, group: group}
	for _, w := range wordsOf(cleaned) {
		if len(w) < 2 || isNumberWord(w) || cedict.IsStopword(w) || lex.DocFreq(w) > 0 {
			continue
		}
		chosen := x.pick(x.lookup([]string{w}), 0)
		if len(chosen) == 0 {
			continue
		}
		q.Terms = slices.DeleteFunc(q.Terms, func(t lexical.WeightedTerm) bool { return t.Term == w })
		x.add(chosen)
		if q.Expansions == nil {
			q.Expansions = map[string][]string{}
		}
		for _, c := range chosen {
			q.Expansions[w] = append(q.Expansions[w], c.word)
			q.EmbedText += " " + c.word
		}
	}
	q.Terms = append(q.Terms, x.terms...)
}
