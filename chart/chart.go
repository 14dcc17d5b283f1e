// Package chart draws the line chart of a series answer as a PNG image,
// with gonum/plot (the only package that imports it). Its fonts have no
// Chinese glyphs: titles and labels must be ASCII (answer.Table's
// ChartTitle is); other characters are dropped.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Size of the image: 8 × 4.5 inches at DPI dots per inch, 768 × 432
// pixels, which Discord shows whole in an embed.
const (
	Width  = 8 * vg.Inch
	Height = 4.5 * vg.Inch
	DPI    = 96
)

// MinPoints is the fewest points a chart is drawn for: two points make a
// line, not a trend.
const MinPoints = 3

// ErrTooFewPoints is returned for a series of fewer than MinPoints points.
var ErrTooFewPoints = errors.New("chart: too few points")

// Point is one year's value.
type Point struct {
	Year  int
	Value float64
}

// Series is what a chart shows: one line of yearly values.
type Series struct {
	// Title is the chart's title, YLabel the label of its value axis
	// ("percent"); ASCII.
	Title  string
	YLabel string
	Points []Point
}

// PNG draws s as a line chart with a marker at each point: years on the
// x axis (whole years only), values on the y axis. Years missing between
// points are gaps the line spans.
func PNG(s Series) ([]byte, error) {
	if len(s.Points) < MinPoints {
		return nil, fmt.Errorf("%w: %d", ErrTooFewPoints, len(s.Points))
	}
	p := plot.New()
	p.Title.Text = ascii(s.Title)
	p.X.Label.Text = "Year"
	p.Y.Label.Text = ascii(s.YLabel)
	p.X.Tick.Marker = yearTicks{}
	p.Add(plotter.NewGrid())
	xys := make(plotter.XYs, len(s.Points))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, pt := range s.Points {
		xys[i].X, xys[i].Y = float64(pt.Year), pt.Value
		lo, hi = min(lo, pt.Value), max(hi, pt.Value)
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	blue := color.RGBA{R: 0x2b, G: 0x6c, B: 0xb0, A: 0xff}
	line.Color, line.Width = blue, vg.Points(2)
	points.Color, points.Shape, points.Radius = blue, draw.CircleGlyph{}, vg.Points(3)
	p.Add(line, points)
	// Some room above and below the values, and the zero line in view
	// when the values are near it.
	pad := max((hi-lo)*0.15, math.Abs(hi)*0.05, 0.5)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	if lo >= 0 && p.Y.Min < 0 {
		p.Y.Min = 0
	}
	p.X.Min, p.X.Max = xys[0].X-0.5, xys[len(xys)-1].X+0.5
	c := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// yearTicks marks whole years: every year for short series, every second
// or fifth for long ones.
type yearTicks struct{}

func (yearTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo)), int(math.Floor(hi))
	step := 1
	switch n := last - first; {
	case n > 30:
		step = 5
	case n > 12:
		step = 2
	}
	var ts []plot.Tick
	for y := first; y <= last; y++ {
		t := plot.Tick{Value: float64(y)}
		if (y-first)%step == 0 {
			t.Label = strconv.Itoa(y)
		}
		ts = append(ts, t)
	}
	return ts
}

// ascii drops what the chart's fonts cannot draw.
func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
}
