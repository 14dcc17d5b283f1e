// Package query reads a question: Clean applies the one length rule and
// normalises it; Analyze finds its language, years, intent (target or
// result), the kind of answer it wants and its weighted search terms,
// expanding English and Latin words through the dictionary; the
// conversation helpers carry a follow-up's context from the previous turn.
package query

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/indicator"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/place"
)

// Query is an analysed question: what to search for and what kind of answer
// is expected.
type Query struct {
	Text  string `json:"text"`
	Lang  string `json:"lang"` // "zh" or "en"
	Years []int  `json:"years,omitempty"`
	// Places are the places the question names (see place.Finder.Find):
	// provinces, prefectures and cities, counties and districts by full
	// name, short form or English name, China, other countries. Only
	// reports of one of them can answer.
	Places []place.Place `json:"places,omitempty"`
	// OutOfRange are years the question writes in full that no report can
	// be about (1899年, 二一〇一年, 9999年; see hanzi.ValidYear). With no
	// other year, the answer is "not found for that year".
	OutOfRange []int `json:"out_of_range,omitempty"`
	// RelativeYears are the offsets from "this year" of the relative years
	// the question names (今年 0, 去年 -1, 明年 1, 前年 -2), and ShortYears
	// its two-digit years (18 in "18年"); ResolveYears turns both into
	// Years once the reference year is known.
	RelativeYears []int `json:"relative_years,omitempty"`
	ShortYears    []int `json:"short_years,omitempty"`
	// FiveYears is set when the question asks about the five years up to
	// last year together (过去五年, "the past five years": asksFiveYears);
	// RelativeYears then holds -1, their last year.
	FiveYears bool `json:"five_years,omitempty"`
	// ThisYear is the year ResolveYears read "this year" as, when the
	// question has relative years; the answer says which year it used.
	ThisYear int               `json:"this_year,omitempty"`
	Kind     corpus.PeriodKind `json:"kind,omitempty"` // asked about targets or actual results
	// KindInherited is set when Kind comes from an earlier question of the
	// conversation, not from this one's words ("2017年呢?" after a question
	// about a target): it then guides ranking but does not exclude
	// passages of the other kind.
	KindInherited bool `json:"kind_inherited,omitempty"`
	// Terms are the lexical terms searched for, with weights; for English
	// questions they include dictionary expansions.
	Terms []lexical.WeightedTerm `json:"-"`
	// Expansions maps English words to the Chinese words they were expanded to.
	Expansions map[string][]string `json:"expansions,omitempty"`
	// EmbedText is the text embedded for the vector search.
	EmbedText string     `json:"embed_text"`
	Want      AnswerType `json:"want"`
	// Missing are parts of a Chinese question that no passage contains
	// ("火星" in "火星基地有多少个"); they count against the evidence.
	Missing []string `json:"missing,omitempty"`
	// Indicators are the indicators of the vocabulary the question names
	// (indicator.Vocabulary.Find), in either language; Measure is what it
	// asks of them (MeasureGrowth, MeasureDecline, MeasureLevel; "" when it
	// does not say).
	Indicators []indicator.Match `json:"indicators,omitempty"`
	Measure    string            `json:"measure,omitempty"`
	// Qualifiers are the words a Chinese question writes right before an
	// indicator that narrow it ("地方" in 地方财政赤字, "中央" in
	// 中央财政赤字): a fact answers only when its clause has them too.
	Qualifiers []string `json:"qualifiers,omitempty"`
}

// AnswerType is what a good answer must contain.
type AnswerType struct {
	Quantity bool   `json:"quantity,omitempty"` // a number ("how many", "多少")
	Unit     string `json:"unit,omitempty"`     // a unit the number must carry ("亿元", "家")
	Person   bool   `json:"person,omitempty"`   // a person ("who", "谁")
	// PreferNumber favours windows with a figure without requiring one
	// ("what was the employment target").
	PreferNumber bool `json:"prefer_number,omitempty"`
	// Counted is what a Chinese quantity question counts: the words just
	// before its question word ("新增北京项目" in "2017年新增北京项目多少个?").
	// Reports write the number right after them ("北京项目1290个").
	Counted string `json:"counted,omitempty"`
}

// questionStop are interrogative and function words removed from Chinese
// questions before they are cut into bigrams, so that "是多少" or "的" do not
// count as content. Longest first.
var questionStop = []string{
	"叫什么名字", "什么名字", "叫什么", "叫啥", "是啥", "啥",
	"是多少", "有多少", "为多少", "是什么", "指的是", "是哪些", "有哪些", "是否", "多少", "什么", "哪些", "哪个", "哪里", "怎么", "怎样", "如何", "为何", "为什么",
	"请问", "吗", "呢", "么", "几", "谁", "的", "了", "是", "要", "在", "有", "对", "把", "被", "和", "与", "及",
}

// kindWords signal whether a question asks about targets or results.
var (
	TargetWordsZH = []string{"目标", "预期", "计划", "力争", "任务", "确保", "将要", "打算", "控制在"}
	ActualWordsZH = []string{"实际", "完成了", "实现了", "达到了", "新增了", "办复了", "去年", "过去", "回顾", "累计"}
	targetWordsEN = []string{"target", "goal", "plan", "planned", "plans", "aim", "aimed", "aims", "expected", "expect", "projected", "will", "to be"}
	actualWordsEN = []string{"actual", "actually", "achieved", "completed", "were added", "was added", "did", "last year", "result", "results"}
)

// auxiliaryActualEN are actual-result words that may only carry an English
// question ("How did … change?"): they do not outweigh a target word.
var auxiliaryActualEN = []string{"did"}

// intentWeight is the weight of words that say which period a question is
// about ("target", "目标"): the period weighting handles them, so as search
// terms they count little.
const intentWeight = 0.3

// intentJunctions returns the bigrams of s that have one character inside
// an intent word (目标, 预期, 实际...) and one outside it ("长目" and "标定"
// in "增长目标定"), unless the same bigram also stands elsewhere in s whole.
// Such a pair belongs to no word: an answer that words the question
// differently rarely has it, so it counts for evidence that has it and
// not against evidence that lacks it (WeightedTerm.Optional).
func intentJunctions(s string) map[string]bool {
	r := []rune(s)
	inWord := make([]int, len(r)) // index+1 of the intent word covering rune i, 0 if none
	n := 0
	for _, w := range slices.Concat(TargetWordsZH, ActualWordsZH) {
		wr := []rune(w)
		for i := 0; i+len(wr) <= len(r); i++ {
			if string(r[i:i+len(wr)]) == w {
				n++
				for k := i; k < i+len(wr); k++ {
					if inWord[k] == 0 {
						inWord[k] = n
					}
				}
			}
		}
	}
	straddle, whole := map[string]bool{}, map[string]bool{}
	for i := 0; i+1 < len(r); i++ {
		if !hanzi.IsHanScript(r[i]) || !hanzi.IsHanScript(r[i+1]) {
			continue
		}
		b := string(r[i : i+2])
		if inWord[i] != inWord[i+1] {
			straddle[b] = true
		} else {
			whole[b] = true
		}
	}
	for b := range whole {
		delete(straddle, b)
	}
	return straddle
}

// isIntentWord reports whether an English word only signals period intent.
func isIntentWord(w string) bool {
	return slices.Contains(targetWordsEN, w) || slices.Contains(actualWordsEN, w)
}

// MeasureWords are units and classifiers a "多少X" question can ask for.
// Longest first, so that a unit is never cut short by a shorter one that
// begins it ("个百分点" before "个").
var MeasureWords = []string{"个百分点", "平方公里", "平方米", "万千瓦", "万亩", "万吨", "万人", "万元", "亿元", "公里", "千米", "美元", "元", "亿", "万", "人", "家", "个", "所", "件", "项", "座", "条", "亩", "吨", "户", "名", "次", "台", "辆", "套", "处", "%"}

// Analyze parses question. dict may be nil (no English expansion);
// lex provides corpus statistics to weight expansions and may be nil.
func Analyze(question string, dict Dictionary, lex *lexical.Index) Query {
	q := Query{Text: question, Lang: detectLang(question)}
	f := findYears(question)
	q.Years, q.OutOfRange, q.RelativeYears, q.ShortYears = f.years, f.outOfRange, f.relative, f.short
	q.FiveYears = asksFiveYears(question)
	question = digitYears(question)
	q.Places = defaultPlaces().Find(question)
	findIndicators(&q, question, indicator.Default())
	lower := strings.ToLower(question)
	if q.Lang == "zh" {
		q.Kind = detectKind(lower, TargetWordsZH, ActualWordsZH)
		q.Want = chineseAnswerType(question)
		clean := func(s string) string {
			if u := q.Want.Unit; u != "" {
				// the asked unit is the answer's type, not a search term
				s = strings.Replace(strings.Replace(s, "多少"+u, " ", 1), "几"+u, " ", 1)
			}
			for _, w := range questionStop {
				s = strings.ReplaceAll(s, w, " ")
			}
			return s
		}
		// Indicators are searched as one concept each, by any of their
		// names (indicatorConcepts); their words leave the bigram terms.
		// What is missing is read in the words as asked.
		unblanked := clean(question)
		cleaned := clean(blankSpans(question, q.Indicators))
		straddling := intentJunctions(cleaned)
		for i, t := range lexical.Terms(cleaned) {
			w := 1.0
			if ContainsAny(t, TargetWordsZH) || ContainsAny(t, ActualWordsZH) {
				w = intentWeight
			}
			q.Terms = append(q.Terms, lexical.WeightedTerm{Term: t, Weight: w, Group: i + 1, Optional: straddling[t]})
		}
		terms, expansions := indicatorConcepts(question, q.Indicators, len(q.Terms)+1, lex)
		q.Terms = append(q.Terms, terms...)
		q.Expansions = expansions
		q.EmbedText = cleaned
		for _, m := range q.Indicators {
			q.EmbedText += " " + question[m.Start:m.End]
		}
		if lex != nil {
			// A period word the reports do not write ("目标" where they
			// say 主要预期目标 or nothing) is weighed by the period, not
			// counted as a missing part of the question.
			q.Missing = slices.DeleteFunc(missingWords(unblanked, lex), func(m string) bool {
				return slices.Contains(TargetWordsZH, m) || slices.Contains(ActualWordsZH, m)
			})
		}
		expandLatinWords(&q, cleaned, dict, lex)
		return q
	}
	words := " " + strings.Join(englishWords(lower), " ") + " "
	q.Kind = detectKind(words, padWords(targetWordsEN), padWords(actualWordsEN))
	if q.Kind == corpus.PeriodUnknown && ContainsAny(words, padWords(targetWordsEN)) && startsWithAny(words, []string{" how ", " what ", " which ", " when ", " why "}) &&
		!ContainsAny(words, padWords(slices.DeleteFunc(slices.Clone(actualWordsEN), func(w string) bool { return slices.Contains(auxiliaryActualEN, w) }))) {
		// "How did the GDP growth target change?": "did" only carries a
		// wh-question; the target is what it asks about ("Did … meet its
		// target?" asks about both).
		q.Kind = corpus.PeriodTarget
	}
	q.Want = englishAnswerType(lower)
	q.Terms, q.Expansions, q.EmbedText = expandEnglish(question, q.Indicators, dict, lex)
	return q
}

// defaultPlaces finds places by their full names, and provinces and
// prefectures by short and English names too; the engine adds the short
// forms of its corpus's counties (FindPlaces).
var defaultPlaces = sync.OnceValue(func() *place.Finder { return place.NewFinder() })

// FindPlaces adds to q.Places the places f finds in text that it lacks.
func FindPlaces(q *Query, f *place.Finder, text string) {
	for _, p := range f.Find(text) {
		if !slices.ContainsFunc(q.Places, func(x place.Place) bool { return x.Code == p.Code }) {
			q.Places = append(q.Places, p)
		}
	}
}

func padWords(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = " " + w + " "
	}
	return out
}

// detectLang says "zh" when the question has any Han character, else "en".
func detectLang(s string) string {
	for _, r := range s {
		if hanzi.IsHanScript(r) {
			return "zh"
		}
	}
	return "en"
}

func detectKind(s string, target, actual []string) corpus.PeriodKind {
	t, a := ContainsAny(s, target), ContainsAny(s, actual)
	switch {
	case t && !a:
		return corpus.PeriodTarget
	case a && !t:
		return corpus.PeriodActual
	}
	return corpus.PeriodUnknown
}

func ContainsAny(s string, subs []string) bool {
	for _, w := range subs {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// chineseAnswerType reads "多少X"/"几X" and "谁".
func chineseAnswerType(q string) AnswerType {
	var at AnswerType
	if strings.Contains(q, "谁") {
		at.Person = true
	}
	for _, marker := range []string{"多少", "几"} {
		i := strings.Index(q, marker)
		if i < 0 {
			continue
		}
		at.Quantity = true
		at.Counted = countedPhrase(q[:i])
		rest := q[i+len(marker):]
		for _, u := range MeasureWords {
			if strings.HasPrefix(rest, u) {
				at.Unit = u
				break
			}
		}
		break
	}
	if strings.Contains(q, "百分之") || strings.Contains(q, "比例") || strings.Contains(q, "增长率") {
		at.Quantity = true
	}
	at.PreferNumber = ContainsAny(q, []string{"目标", "指标", "增长", "总额", "规模", "数量"})
	return at
}

// countedPhrase is the run of Han characters that ends before. What only
// frames the question is not part of what is counted: a copula or adverb
// before the question word ("是", "为", "约"), a period word ("目标" in
// "新增就业的目标是多少", which the reports do not write before the figure),
// "的", and a date's "年" or "月" at the start.
func countedPhrase(before string) string {
	runes := []rune(before)
	end := len(runes)
	for trimmed := true; trimmed; {
		trimmed = false
		for end > 0 && strings.ContainsRune("是为有约共达了要的", runes[end-1]) {
			end, trimmed = end-1, true
		}
		for _, w := range countedFrames {
			if n := len([]rune(w)); end >= n && string(runes[end-n:end]) == w {
				end, trimmed = end-n, true
			}
		}
	}
	start := end
	for start > 0 && hanzi.IsHanScript(runes[start-1]) {
		start--
	}
	for start < end && strings.ContainsRune("年月日", runes[start]) && start > 0 && unicode.IsDigit(runes[start-1]) {
		start++
	}
	if end-start < 2 {
		return ""
	}
	return string(runes[start:end])
}

// countedFrames are words that frame a quantity question without naming
// what is counted.
var countedFrames = []string{"目标", "预期", "计划", "指标", "任务", "总共", "一共", "总计", "合计"}

func englishAnswerType(lower string) AnswerType {
	var at AnswerType
	if strings.HasPrefix(lower, "who ") || strings.Contains(lower, " who ") || strings.HasPrefix(lower, "whom ") {
		at.Person = true
	}
	for _, m := range []string{"how many", "how much", "what percentage", "what percent", "by how much", "what number", "what amount", "how large", "how big", "what rate"} {
		if strings.Contains(lower, m) {
			at.Quantity = true
		}
	}
	words := " " + strings.Join(englishWords(lower), " ") + " "
	at.PreferNumber = ContainsAny(words, padWords([]string{"target", "targets", "goal", "goals", "rate", "growth", "total", "number", "amount", "figure", "value", "output", "size"}))
	for _, u := range englishUnits {
		if strings.Contains(words, " in "+u.en+" ") {
			at.Quantity, at.Unit = true, u.zh
			break
		}
	}
	return at
}

// englishUnits are the units an English question may ask a figure in ("in
// tonnes"), with the Chinese unit reports write.
var englishUnits = []struct{ en, zh string }{
	{"tonnes", "吨"}, {"tons", "吨"}, {"metric tons", "吨"}, {"yuan", "元"}, {"rmb", "元"},
	{"people", "人"}, {"persons", "人"}, {"kilometers", "公里"}, {"kilometres", "公里"}, {"km", "公里"},
}

// wordsOf splits English text into lower-case words, keeping numbers.
func wordsOf(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '.'))
	}) {
		f = strings.Trim(f, "'-.")
		f = strings.TrimSuffix(f, "'s")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// missingWords finds the stretches of a Chinese question that the corpus
// does not have: runs of two or more consecutive bigrams absent from every
// passage, or a two-character word that is absent. A single absent bigram
// between present ones is taken for a word boundary ("区新" in "武清区新增")
// and ignored.
func missingWords(text string, lex *lexical.Index) []string {
	var out []string
	for _, run := range hanRuns(text) {
		r := []rune(run)
		if len(r) < 2 {
			continue
		}
		absent := make([]bool, len(r)-1)
		for i := range absent {
			absent[i] = lex.DocFreq(string(r[i:i+2])) == 0
		}
		for i := 0; i < len(absent); {
			if !absent[i] {
				i++
				continue
			}
			j := i
			for j < len(absent) && absent[j] {
				j++
			}
			if j-i >= 2 || len(absent) == 1 {
				out = append(out, string(r[i:j+1]))
			}
			i = j
		}
	}
	return out
}

// hanRuns returns the maximal runs of Han characters in s.
func hanRuns(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		switch {
		case hanzi.IsHanScript(r) && start < 0:
			start = i
		case !hanzi.IsHanScript(r) && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// MaxQuestionRunes is the longest question accepted.
const MaxQuestionRunes = 1000

// Errors for questions that cannot be asked.
var (
	ErrEmptyQuestion   = errors.New("the question is empty")
	ErrQuestionTooLong = fmt.Errorf("the question is longer than %d characters", MaxQuestionRunes)
)

// Clean validates and normalises a question: invalid UTF-8 and
// control characters become spaces, runs of space collapse, full-width
// digits become ASCII and traditional characters simplified
// (hanzi.FoldTraditional: the reports are in simplified Chinese); it fails with
// ErrEmptyQuestion or ErrQuestionTooLong.
func Clean(q string) (string, error) {
	q = strings.ToValidUTF8(q, " ")
	q = hanzi.FoldWidthDigits(q) // the corpus writes "２０１８年" as "2018年"
	q = hanzi.FoldTraditional(q) // "廣東去年城鎮新增就業" as "广东去年城镇新增就业"
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, q)
	q = strings.Join(strings.Fields(q), " ")
	if q == "" {
		return "", ErrEmptyQuestion
	}
	if utf8.RuneCountInString(q) > MaxQuestionRunes {
		return "", ErrQuestionTooLong
	}
	return q, nil
}

// startsWithAny reports whether s starts with one of prefixes.
func startsWithAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
