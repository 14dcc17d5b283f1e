package fact

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// sameFact compares facts, NaN numbers included.
func sameFact(a, b Fact) bool {
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	na, nb := a, b
	na.Number, na.Upper, nb.Number, nb.Upper = 0, 0, 0, 0
	return na == nb && same(a.Number, b.Number) && same(a.Upper, b.Upper)
}

// TestCodecRoundTrip writes the facts of the bundled reports and reads
// them back.
func TestCodecRoundTrip(t *testing.T) {
	t.Parallel()
	reports, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	var all []Fact
	for _, r := range reports {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			all = append(all, Extract(p.Text, Context{Year: p.Period.Year, Kind: p.Period.Kind, ReportYear: r.Year})...)
		}
	}
	all = append(all, Fact{Label: "负数", Number: math.Inf(-1), Upper: math.NaN(), Year: -5})
	for _, fs := range [][]Fact{nil, all[:1], all} {
		b := AppendFacts([]byte("prefix"), fs)
		got, err := ReadFacts(b[len("prefix"):])
		if err != nil {
			t.Fatalf("ReadFacts: %v", err)
		}
		if len(got) != len(fs) {
			t.Fatalf("read %d facts; want %d", len(got), len(fs))
		}
		for i := range fs {
			if !sameFact(got[i], fs[i]) {
				t.Errorf("fact %d: got %+v; want %+v", i, got[i], fs[i])
			}
		}
		for _, inds := range [][]string{{}, {"gdp_growth"}, {"new_urban_jobs", "gdp"}, {"no such indicator"}} {
			about, err := ReadFactsAbout(b[len("prefix"):], inds)
			want := slices.DeleteFunc(slices.Clone(got), func(f Fact) bool { return !slices.Contains(inds, f.Indicator) })
			if err != nil || len(about) != len(want) {
				t.Fatalf("ReadFactsAbout(%v): %d facts, %v; want %d", inds, len(about), err, len(want))
			}
			for i := range want {
				if !sameFact(about[i], want[i]) {
					t.Errorf("ReadFactsAbout(%v), fact %d: got %+v; want %+v", inds, i, about[i], want[i])
				}
			}
		}
	}
	t.Logf("%d facts in %d bytes", len(all), len(AppendFacts(nil, all)))
}

// TestReadFactsCorrupt checks the errors of bad input.
func TestReadFactsCorrupt(t *testing.T) {
	t.Parallel()
	good := AppendFacts(nil, Extract(benchParagraph, review2025))
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"other version", append([]byte{codecVersion + 1}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"huge count", []byte{codecVersion, 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"string past the end", []byte{codecVersion, 1, 0x7f, 'a'}},
	}
	for _, tt := range tests {
		if _, err := ReadFacts(tt.in); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: ReadFacts error %v; want ErrCorrupt", tt.name, err)
		}
	}
}
