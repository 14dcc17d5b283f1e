package rag

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// nationalSubset holds the national reports of nationalYears, read once
// per test binary from testdata/national (the whole corpus is large).
var (
	nationalOnce    sync.Once
	nationalReports []corpus.Report
	nationalErr     error
	nationalYears   = [2]int{2009, 2016}
)

func nationalSubset(t *testing.T) []corpus.Report {
	t.Helper()
	nationalOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rag-national-")
		if err != nil {
			nationalErr = err
			return
		}
		defer os.RemoveAll(dir)
		gz, err := os.Open(filepath.Join("..", "testdata", "national", "national-government-work-reports.jsonl.gz"))
		if err != nil {
			nationalErr = err
			return
		}
		defer gz.Close()
		zr, err := gzip.NewReader(gz)
		if err != nil {
			nationalErr = err
			return
		}
		dst, err := os.Create(filepath.Join(dir, "national.jsonl"))
		if err != nil {
			nationalErr = err
			return
		}
		if _, err := io.Copy(dst, zr); err != nil {
			nationalErr = err
			return
		}
		if err := dst.Close(); err != nil {
			nationalErr = err
			return
		}
		reports, _, err := corpus.Load(os.DirFS(dir), ".", corpus.LoadOptions{})
		if err != nil {
			nationalErr = err
			return
		}
		nationalReports = slices.DeleteFunc(reports, func(r corpus.Report) bool {
			return r.Year < nationalYears[0] || r.Year > nationalYears[1]
		})
	})
	if nationalErr != nil {
		t.Fatal(nationalErr)
	}
	return nationalReports
}

func nationalEngine(t *testing.T) *Engine {
	t.Helper()
	ix, err := index.New(newCounting(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(t.Context(), nationalSubset(t), index.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSeriesOverNationalReports: a range of years is answered with a
// table of one row per year, each citing its own year's report.
func TestSeriesOverNationalReports(t *testing.T) {
	t.Parallel()
	e := nationalEngine(t)
	a, err := e.Ask(t.Context(), "2010到2015年国内生产总值增长目标")
	if err != nil {
		t.Fatal(err)
	}
	if a.Table == nil || a.Table.Shape != query.SeriesTable {
		t.Fatalf("no series table: %s", a.Text)
	}
	var years []int
	reports := map[string]bool{}
	for _, r := range a.Table.Rows {
		years = append(years, r.Year)
		if r.Citation == 0 {
			t.Errorf("row %v has no citation", r.Cells)
			continue
		}
		c := a.Citations[r.Citation-1]
		reports[c.ReportID] = true
		if c.Year != r.Year {
			t.Errorf("row %d cites the %d report", r.Year, c.Year)
		}
		if !strings.Contains(c.Quote, "国内生产总值") {
			t.Errorf("row %d quotes %q", r.Year, c.Quote)
		}
	}
	if want := []int{2010, 2011, 2012, 2013, 2014, 2015}; !slices.Equal(years, want) {
		t.Errorf("rows for %v, want %v", years, want)
	}
	if len(reports) != 6 {
		t.Errorf("rows cite %d reports, want 6", len(reports))
	}
	for _, want := range []string{"2010年: 8%左右 [1]", "2012年: 7.5% [3]", "2015年: 7%左右 [6]"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, a.Text)
		}
	}
}

// TestTargetResultOverNationalReports: a year's target from its report,
// its result from the next year's, both cited, and the verdict.
func TestTargetResultOverNationalReports(t *testing.T) {
	t.Parallel()
	e := nationalEngine(t)
	tests := []struct{ question, note string }{
		{"Did China meet its 2015 GDP growth target?", "2015: the result was 6.9% [2] against a target of about 7% [1]."},
		{"2015年国内生产总值增长目标完成了吗", "2015年实际6.9% [2],目标7%左右 [1]。"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			t.Parallel()
			a, err := e.Ask(t.Context(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if a.Table == nil || a.Table.Shape != query.TargetResultTable || len(a.Citations) != 2 {
				t.Fatalf("want a target and a result, both cited: %s", a.Text)
			}
			if a.Citations[0].Year != 2015 || a.Citations[1].Year != 2016 {
				t.Errorf("target and result cite the %d and %d reports, want 2015 and 2016", a.Citations[0].Year, a.Citations[1].Year)
			}
			if !slices.Contains(a.Table.Notes, tt.note) {
				t.Errorf("notes %q lack %q", a.Table.Notes, tt.note)
			}
		})
	}
}

// TestPlacesTable: "各省" compares the provinces whose reports the corpus
// has, largest first; a target against its result whose target report is
// missing says so and keeps the result.
func TestPlacesTable(t *testing.T) {
	t.Parallel()
	e := placesEngine(t)
	a, err := e.Ask(t.Context(), "各省2026年地区生产总值增长目标")
	if err != nil {
		t.Fatal(err)
	}
	if a.Table == nil || a.Table.Shape != query.PlacesTable {
		t.Fatalf("no comparison table: %s", a.Text)
	}
	var got []string
	for _, r := range a.Table.Rows {
		got = append(got, strings.Join(r.Cells, " "))
	}
	if want := []string{"江西省 5%-5.5%", "吉林省 5%左右"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	a, err = e.Ask(t.Context(), "江西2025年地区生产总值增长目标完成了吗")
	if err != nil {
		t.Fatal(err)
	}
	if a.Table == nil || len(a.Table.Rows) != 1 || a.Table.Rows[0].Cells[2] != "5.1%" {
		t.Fatalf("want the result row alone: %s", a.Text)
	}
	if !strings.Contains(a.Text, "未收录2025年的报告") {
		t.Errorf("text does not say the 2025 report is missing: %s", a.Text)
	}
}
