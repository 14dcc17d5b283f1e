package chart

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestPNGFormat checks the chart's format and size against a golden file
// (not its pixels, which depend on font rendering).
func TestPNGFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    Series
	}{
		{"series", Series{Title: "China GDP growth target, 2010-2015", YLabel: "percent", Points: []Point{{2010, 8}, {2011, 8}, {2012, 7.5}, {2013, 7.5}, {2014, 7.5}, {2015, 7}}}},
		{"gap-and-chinese-title", Series{Title: "全国 GDP target", YLabel: "percent", Points: []Point{{2018, 6.5}, {2019, 6.25}, {2021, 6}}}},
		{"long", Series{Title: "Grain output", YLabel: "tonnes", Points: longSeries()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			png, err := PNG(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(png))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if _, _, err := image.Decode(bytes.NewReader(png)); err != nil {
				t.Fatalf("decode: %v", err)
			}
			got := fmt.Sprintf("%s %dx%d\n", format, cfg.Width, cfg.Height)
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("chart is %q, want %q", got, want)
			}
		})
	}
}

func longSeries() []Point {
	var ps []Point
	for y := 1980; y <= 2024; y++ {
		ps = append(ps, Point{y, float64(300+y-1980) * 1e9})
	}
	return ps
}

func TestPNGTooFewPoints(t *testing.T) {
	t.Parallel()
	_, err := PNG(Series{Title: "x", Points: []Point{{2020, 1}, {2021, 2}}})
	if !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("PNG(2 points) error = %v, want ErrTooFewPoints", err)
	}
}
