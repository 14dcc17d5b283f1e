package fact

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenLine is one fact as a reviewer reads it: year, kind, indicator,
// measure, value, number, unit, then the clause that quotes it.
func goldenLine(text string, f Fact) string {
	ind := f.Indicator
	if ind == "" {
		ind = "-"
	}
	kind := string(f.Kind)
	if kind == "" {
		kind = "-"
	}
	num := fmt.Sprint(f.Number)
	if f.Upper != f.Number {
		num += "~" + fmt.Sprint(f.Upper)
	}
	return fmt.Sprintf("%d %s %s[%s] %s(%s) %s %s %s | %s", f.Year, kind, ind, f.Label, f.Measure, f.MeasureText,
		f.Value, num, f.Unit, text[f.Start:f.End])
}

// TestGoldenReports extracts the facts of the bundled reports (the two
// Wuqing reports) passage by passage, with each passage's period as the
// context, and compares them with testdata/NAME.facts.golden. Run with
// -update to rewrite the files, then review them by eye.
func TestGoldenReports(t *testing.T) {
	t.Parallel()
	reports, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		var b strings.Builder
		n := 0
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			c := Context{Year: p.Period.Year, Kind: p.Period.Kind, ReportYear: r.Year}
			for _, f := range Extract(p.Text, c) {
				fmt.Fprintf(&b, "%s\n", goldenLine(p.Text, f))
				n++
			}
		}
		name := filepath.Join("testdata", strings.TrimSuffix(filepath.Base(r.Source), filepath.Ext(r.Source))+".facts.golden")
		if *update {
			if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if got := b.String(); got != string(want) {
			t.Errorf("%s: facts differ from %s (%d facts; run go test -update and review the diff)", r.Title, name, n)
		}
	}
}
