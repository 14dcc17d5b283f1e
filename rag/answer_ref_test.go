package rag

import (
	"cmp"
	"os"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// scoreEvidenceReference is ScoreEvidence as it was before windows reused
// their clauses' terms: every window cut into terms on its own.
func scoreEvidenceReference(q query.Query, hits []index.Hit, lex *lexical.Index) []Evidence {
	cs := conceptsOf(q, lex)
	var total float64
	for _, c := range cs {
		total += c.weight
	}
	if total == 0 || len(hits) == 0 {
		return nil
	}
	termSet := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, t := range lexical.AppendIndexTerms(nil, s) {
			m[t] = true
		}
		return m
	}
	top := hits[0].Score
	var out []Evidence
	for _, h := range hits {
		text := h.Passage.Text
		ctxTerms := termSet(index.ContextHeader(h.Report, h.Passage.Passage) + "\n" + text)
		ctxMatch := make([]float64, len(cs))
		for i, c := range cs {
			ctxMatch[i] = c.matched(ctxTerms)
		}
		for _, sent := range splitSpans(text, sentenceEnds, 0) {
			clauses := splitSpans(text[sent.start:sent.end], clauseEnds, sent.start)
			for i := range clauses {
				for n := 1; n <= answerWindows && i+n <= len(clauses); n++ {
					win := span{clauses[i].start, clauses[i+n-1].end}
					wtext := text[win.start:win.end]
					typeOK := (!q.Want.Quantity || hasQuantity(wtext, q.Want.Unit)) &&
						(!q.Want.Person || namesPerson(wtext))
					winTerms := termSet(wtext)
					var inWin, inAll float64
					for i, c := range cs {
						mw := c.matched(winTerms)
						inWin += c.weight * mw
						inAll += c.weight * max(mw, ctxMatch[i])
					}
					score := (inWin + 0.3*(inAll-inWin)) / total
					score *= 1 - 0.05*float64(n-1)
					if !q.Want.Quantity && hasQuantity(wtext, "") {
						if q.Want.PreferNumber {
							score *= 1.15
						} else {
							score *= 1.05
						}
					}
					score *= 1 + countedBonus*countedMatch(wtext, q.Want.Counted)
					score *= (0.5 + 0.5*h.Score/top) * h.PeriodWeight
					out = append(out, Evidence{Hit: h, Text: trimPunct(text, win), Sentence: trimPunct(text, sent),
						Score: score, Coverage: inAll / total, TypeOK: typeOK})
				}
			}
		}
	}
	sortEvidence(out)
	return out
}

// TestScoreEvidenceMatchesReference checks the faster evidence scorer
// against the direct one on the dev questions, a number with a thousands
// separator split across clauses included.
func TestScoreEvidenceMatchesReference(t *testing.T) {
	e := newTestEngine(t)
	f, err := os.Open("../testdata/questions.dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := ReadEvalQuestions(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"新增就业3,400人"}
	for _, q := range qs {
		questions = append(questions, q.Question)
	}
	for _, question := range questions {
		q, err := e.Analyze(question)
		if err != nil {
			t.Fatal(err)
		}
		hits, err := e.Retrieve(t.Context(), q, rerankK)
		if err != nil {
			t.Fatal(err)
		}
		if question == "新增就业3,400人" && len(hits) > 0 {
			hits[0].Passage.Text = "全年新增就业3,400人,完成目标。"
		}
		got, want := ScoreEvidence(q, hits, e.ix.Lexical()), scoreEvidenceReference(q, hits, e.ix.Lexical())
		if len(got) != len(want) {
			t.Fatalf("%s: got %d windows, want %d", question, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Text != w.Text || g.Score != w.Score || g.Coverage != w.Coverage || g.TypeOK != w.TypeOK || g.Hit.Passage.ID != w.Hit.Passage.ID {
				t.Fatalf("%s window %d: got %q %.6f, want %q %.6f", question, i, g.Text, g.Score, w.Text, w.Score)
			}
		}
	}
}

// TestWindowTermsFromClauses checks that a window's terms are the union of
// its clauses' terms unless joinsNumber says a number spans a break.
func TestWindowTermsFromClauses(t *testing.T) {
	texts := []string{
		"全年新增就业3,400人,完成目标。",
		"GDP增长6.5%,CPI涨幅3%左右;城镇调查失业率5.5%以内:居民收入增长和经济增长基本同步",
		"建成蓝领实训中心、加强技能培训, and English words, 2018, 2,019",
		"村,镇,县",
	}
	for _, text := range texts {
		ts := &termSets{wanted: map[string]bool{}, set: map[string]bool{}}
		for _, term := range lexical.AppendIndexTerms(nil, text) {
			ts.wanted[term] = true
		}
		clauses := splitSpans(text, clauseEnds, 0)
		lists := make([][]string, len(clauses))
		for j, c := range clauses {
			lists[j] = ts.list(text[c.start:c.end])
		}
		for i := range clauses {
			for n := 1; n <= answerWindows && i+n <= len(clauses); n++ {
				wtext := text[clauses[i].start:clauses[i+n-1].end]
				direct := map[string]bool{}
				for term := range ts.of(wtext) {
					direct[term] = true
				}
				union := ts.union(lists[i : i+n])
				same := len(union) == len(direct)
				for term := range union {
					same = same && direct[term]
				}
				if joins := joinsNumber(text, clauses[i:i+n]); same == joins {
					t.Errorf("window %q: union equals direct = %v, joinsNumber = %v", wtext, same, joins)
				}
			}
		}
	}
}

// sortEvidence orders windows by score, then shorter text, keeping the
// scan order among equals (as ScoreEvidence did). It sorts positions and moves each window once:
// windows are large structs.
func sortEvidence(ev []Evidence) {
	idx := make([]int, len(ev))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := &ev[i], &ev[j]
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(len(a.Text), len(b.Text))
	})
	sorted := make([]Evidence, len(ev))
	for k, i := range idx {
		sorted[k] = ev[i]
	}
	copy(ev, sorted)
}
