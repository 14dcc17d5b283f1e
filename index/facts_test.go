package index

import (
	"bytes"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/fact"
)

// TestFactsAreStored: the facts extracted at Sync are saved in the index
// file and read back on Open as they were; FactsAbout finds them.
func TestFactsAreStored(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	if ix.FactCount() == 0 {
		t.Fatal("no facts in the bundled reports")
	}
	dir := t.TempDir()
	if err := ix.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Open(dir, ix.emb)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(passagesOf(t, got), ix.passages, func(a, b Passage) bool { return bytes.Equal(a.Facts, b.Facts) }) {
		t.Errorf("facts after Save and Open differ from those extracted")
	}
	jobs := got.FactsAbout([]string{"new_urban_jobs"}, Filter{})
	if !slices.ContainsFunc(jobs, func(h FactHit) bool { return h.Fact.Value == "3.4万人" && h.Fact.Year == 2018 }) {
		t.Errorf("FactsAbout(new_urban_jobs) = %d facts without 2018's 3.4万人", len(jobs))
	}
}

// TestFactsOfOtherRulesAreExtractedAgain: a facts section written by other
// extraction rules (another fact.Version) is not used; an index without a
// facts section (format 2) gets its facts on open too.
func TestFactsOfOtherRulesAreExtractedAgain(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := writeFacts(&buf, []Passage{{Facts: fact.AppendFacts(nil, []fact.Fact{{Indicator: "gdp", Value: "9%"}})}}); err != nil {
		t.Fatal(err)
	}
	b := bytes.Clone(buf.Bytes())
	b[1] = 'x' // the version string "1" becomes "x"
	ps := make([]Passage, 1)
	read, err := readFacts(bytes.NewReader(b), int64(len(b)), ps)
	if err != nil || read || ps[0].Facts != nil {
		t.Errorf("facts of other rules read: %v, %v, %v; want none", read, err, ps[0].Facts)
	}
	if _, err := readFacts(bytes.NewReader(buf.Bytes()[:len(buf.Bytes())-2]), int64(len(buf.Bytes())-2), ps); err == nil {
		t.Error("a cut facts section reads without error")
	}
	emb, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	old, err := Open("testdata/v2", emb)
	if err != nil {
		t.Fatal(err)
	}
	if old.FactCount() == 0 {
		t.Error("a format 2 index has no facts after Open")
	}
}

// TestFactsAfterUnchangedSync: a sync that changes nothing (the same
// passages in the same order) keeps the passages' facts.
func TestFactsAfterUnchangedSync(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	n := ix.FactCount()
	if _, err := ix.Sync(t.Context(), bundled(t), SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := ix.FactCount(); got != n || len(ix.FactsAbout([]string{"new_urban_jobs"}, Filter{})) == 0 {
		t.Errorf("after an unchanged sync: %d facts (was %d)", got, n)
	}
}
