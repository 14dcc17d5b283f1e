// Package sharedtest checks implementations of index.SharedStore: Run is a
// conformance suite that the in-memory Mem and the Weaviate store both pass,
// so that tests run on Mem prove something about Weaviate.
package sharedtest

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/lexical"
)

// Mem is an in-memory index.SharedStore: exact cosine ranking and BM25
// over the stored contextual text, fused by reciprocal rank, like a hybrid
// search, with the year, kind and report filters applied first. It counts writes
// (Writes). It passes Run, as the Weaviate store does.
type Mem struct {
	mu       sync.Mutex
	objs     map[string]memObj
	manifest *index.SharedManifest
	snaps    map[string][]index.Passage
	gen      int
	puts     int
	deletes  int
}

type memObj struct {
	p   index.Passage
	r   corpus.Report
	vec []float32
}

func NewMem() *Mem {
	return &Mem{objs: map[string]memObj{}, snaps: map[string][]index.Passage{}}
}

func (m *Mem) Snapshot(_ context.Context, man index.SharedManifest) ([]index.Passage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ps, ok := m.snaps[man.Generation]
	if !ok {
		return nil, index.ErrNoIndex
	}
	return slices.Clone(ps), nil
}

func (m *Mem) Manifest(context.Context) (index.SharedManifest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.manifest == nil {
		return index.SharedManifest{}, index.ErrNoIndex
	}
	return *m.manifest, nil
}

func (m *Mem) Passages(context.Context) ([]index.Passage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []index.Passage
	for _, o := range m.objs {
		out = append(out, o.p)
	}
	return out, nil
}

func (m *Mem) Put(_ context.Context, reports map[string]corpus.Report, ps []index.Passage, vecs [][]float32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, p := range ps {
		m.objs[p.ID] = memObj{p: p, r: reports[p.ReportID], vec: vecs[i]}
		m.puts++
	}
	return nil
}

func (m *Mem) Delete(_ context.Context, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		delete(m.objs, id)
		m.deletes++
	}
	return nil
}

func (m *Mem) Commit(_ context.Context, man index.SharedManifest, ps []index.Passage) (index.SharedManifest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	man.Generation = strings.Repeat("g", m.gen)
	m.snaps[man.Generation] = slices.Clone(ps)
	m.manifest = &man
	return man, nil
}

func (m *Mem) Search(_ context.Context, s index.SharedSearch) ([]index.SharedHit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.objs))
	for id := range m.objs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	docs := make([]string, len(ids))
	sims := make([]float64, len(ids))
	ids = slices.DeleteFunc(ids, func(id string) bool { return !matches(s, m.objs[id].p) })
	docs, sims = docs[:len(ids)], sims[:len(ids)]
	for i, id := range ids {
		o := m.objs[id]
		docs[i] = index.EmbedText(o.r, o.p.Passage)
		for j := range s.Vector {
			sims[i] += float64(s.Vector[j] * o.vec[j])
		}
	}
	fused := map[int]*index.SharedHit{}
	get := func(i int) *index.SharedHit {
		if fused[i] == nil {
			fused[i] = &index.SharedHit{Passage: m.objs[ids[i]].p, Report: m.objs[ids[i]].r}
		}
		return fused[i]
	}
	var terms []lexical.WeightedTerm
	for _, t := range lexical.Terms(s.Text) {
		terms = append(terms, lexical.WeightedTerm{Term: t, Weight: 1})
	}
	for r, l := range lexical.NewFunc(len(docs), func(i int) string { return docs[i] }).Search(terms, index.CandidatesPerRanker) {
		h := get(l.Doc)
		h.LexicalRank, h.Score = r+1, h.Score+1/float64(index.RRFK+r+1)
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case sims[a] > sims[b]:
			return -1
		case sims[a] < sims[b]:
			return 1
		}
		return 0
	})
	for r, i := range order[:min(len(order), index.CandidatesPerRanker)] {
		h := get(i)
		h.VectorRank, h.Score = r+1, h.Score+1/float64(index.RRFK+r+1)
	}
	out := []index.SharedHit{}
	for _, h := range fused {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b index.SharedHit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Passage.ID, b.Passage.ID)
	})
	return out[:min(len(out), s.K)], nil
}

// matches reports whether p passes the search's year, kind and report
// filters.
func matches(s index.SharedSearch, p index.Passage) bool {
	if len(s.Years) > 0 && !slices.Contains(s.Years, p.Period.Year) {
		return false
	}
	if len(s.Reports) > 0 && !slices.Contains(s.Reports, p.ReportID) {
		return false
	}
	return s.Kind == "" || p.Period.Kind == s.Kind
}

// Writes returns how many passages were put and deleted so far.
func (m *Mem) Writes() (puts, deletes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.puts, m.deletes
}
