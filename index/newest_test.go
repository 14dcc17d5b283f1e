package index

import "testing"

// TestNewestYear follows the reports' years through a sync that changes a
// report's year (its passages are embedded again: the year is in their
// embedded text), a save and open, and a sync that drops a report.
func TestNewestYear(t *testing.T) {
	t.Parallel()
	reports := bundled(t)
	ix, _ := New(newCounting(t))
	sync := func() {
		t.Helper()
		if _, err := ix.Sync(t.Context(), reports, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	want := 0
	for _, r := range reports {
		want = max(want, r.Year)
	}
	if want == 0 || ix.NewestYear() != want {
		t.Fatalf("NewestYear = %d, want %d", ix.NewestYear(), want)
	}
	reports[0].Year = want + 7
	sync()
	if got := ix.NewestYear(); got != want+7 {
		t.Errorf("after a metadata change: NewestYear = %d, want %d", got, want+7)
	}
	dir := t.TempDir()
	if err := ix.Save(dir); err != nil {
		t.Fatal(err)
	}
	opened, err := Open(dir, newCounting(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := opened.NewestYear(); got != want+7 {
		t.Errorf("opened: NewestYear = %d, want %d", got, want+7)
	}
	reports = reports[1:]
	sync()
	if got := ix.NewestYear(); got >= want+7 {
		t.Errorf("after removing the newest report: NewestYear = %d", got)
	}
}
