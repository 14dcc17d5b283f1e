package corpus

import (
	"testing"
)

// BenchmarkDefaultLoadSplit measures loading the bundled reports and
// splitting them into passages.
func BenchmarkDefaultLoadSplit(b *testing.B) {
	var n int
	for b.Loop() {
		reports, _, err := Default()
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, r := range reports {
			n += len(Split(r, SplitOptions{}))
		}
	}
	b.ReportMetric(float64(n), "passages")
}

// BenchmarkSplit measures splitting the 2018 seed report (about 12,700
// runes) into passages.
func BenchmarkSplit(b *testing.B) {
	r := loadSeed(b, "wuqing-2018-government-work-report")
	b.SetBytes(int64(len(r.Text)))
	for b.Loop() {
		Split(r, SplitOptions{})
	}
}

// BenchmarkSplitSmallParts measures splitting with many small parts and
// overlap, the costliest packing.
func BenchmarkSplitSmallParts(b *testing.B) {
	r := loadSeed(b, "wuqing-2018-government-work-report")
	for b.Loop() {
		Split(r, SplitOptions{MaxRunes: 60, OverlapRunes: 20})
	}
}
