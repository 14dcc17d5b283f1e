package fact

import (
	"math"
	"strconv"
	"strings"

	"github.com/reportbot/reportbot/indicator"
)

// englishUnits are the English words written after a number of each unit.
// People, items and Chinese counters get none: the indicator's name says
// what is counted ("new urban jobs: 34,000").
var englishUnits = map[string]string{
	"yuan": "yuan", "usd": "US dollars", "eur": "euros", "hkd": "Hong Kong dollars",
	"household": "households", "person-time": "person-times",
	"tonne": "tonnes", "kg": "kg", "jin": "jin", "mu": "mu", "hectare": "hectares",
	"km2": "square kilometres", "m2": "square metres", "m3": "cubic metres", "km": "km", "m": "metres",
	"kwh": "kWh", "kw": "kW", "w": "W", "tce": "tonnes of standard coal", "teu": "TEU",
	"ug/m3": "μg/m³", "hour": "hours", "day": "days", "month": "months", "year-of-age": "years of age",
	"times": "times", "permille": "‰",
}

// englishQualifiers render qualifiers before the number, longer words
// first where one starts another (超过 before 超).
var englishQualifiers = []struct{ zh, en string }{
	{"左右", "about"}, {"上下", "about"}, {"大约", "about"}, {"约", "about"},
	{"以上", "at least"}, {"不低于", "at least"}, {"不少于", "at least"},
	{"超过", "over"}, {"超", "over"}, {"逾", "over"}, {"多", "over"}, {"余", "over"},
	{"以内", "within"}, {"不超过", "no more than"}, {"不高于", "no more than"}, {"以下", "below"},
	{"将近", "nearly"}, {"接近", "nearly"}, {"近", "nearly"},
}

// englishMeasures are written after the indicator's name.
var englishMeasures = map[string]string{
	MeasureGrowth: "growth", MeasureDecline: "decline", MeasureShare: "share", MeasureLimit: "ceiling",
	MeasureGap: "gap",
}

// English returns the fact as an English phrase: the indicator's English
// name (its first English name in v; the Chinese label when the
// vocabulary names none), the measure, the value with its qualifier and
// unit, and the kind and year: "new urban jobs: 34,000 (target for
// 2018)", "gross domestic product growth: about 5% (target for 2026)",
// "grain output: 50 billion jin (result for 2025)". Numbers of a million
// or more are written in millions, billions or trillions, smaller ones
// with thousands separators; 万 and 亿 are always converted. v may be
// nil (labels are then used as written).
func (f Fact) English(v *indicator.Vocabulary) string {
	name := f.Label
	if v != nil && f.Indicator != "" {
		if ind, ok := v.Get(f.Indicator); ok && len(ind.English) > 0 {
			name = ind.English[0]
		}
	}
	if m := englishMeasures[f.Measure]; m != "" && !strings.HasSuffix(name, m) {
		if name != "" {
			name += " "
		}
		name += m
	}
	var b strings.Builder
	b.WriteString(name)
	if name != "" {
		b.WriteString(": ")
	}
	b.WriteString(f.englishValue())
	if k := f.englishKind(); k != "" {
		b.WriteString(" (" + k + ")")
	}
	return b.String()
}

// englishValue writes the value: qualifier, number or range, unit.
func (f Fact) englishValue() string {
	var b strings.Builder
	for q := f.Qualifier; q != ""; {
		found := false
		for _, e := range englishQualifiers {
			if strings.HasPrefix(q, e.zh) {
				if !strings.Contains(b.String(), e.en) {
					b.WriteString(e.en + " ")
				}
				q, found = q[len(e.zh):], true
				break
			}
		}
		if !found {
			break
		}
	}
	num := func(x float64) string {
		switch f.Unit {
		case "%":
			return formatNumber(x) + "%"
		case "pp":
			return formatNumber(x) + " percentage points"
		}
		s := formatNumber(x)
		if u := englishUnits[f.Unit]; u != "" {
			s += " " + u
		}
		return s
	}
	if f.Upper != f.Number {
		lo := num(f.Number)
		if f.Unit == "%" || f.Unit == "pp" || englishUnits[f.Unit] == "" {
			lo = formatNumber(f.Number)
			if f.Unit == "%" {
				lo += "%"
			}
		} else {
			lo = strings.TrimSuffix(lo, " "+englishUnits[f.Unit])
		}
		b.WriteString(lo + " to " + num(f.Upper))
	} else {
		b.WriteString(num(f.Number))
	}
	return b.String()
}

// englishKind writes the kind and year: "target for 2018", "result for
// 2021–2025" (five years), "target for 2026–2030" (a plan's).
func (f Fact) englishKind() string {
	kind := map[Kind]string{KindTarget: "target", KindResult: "result", KindAverage: "yearly average",
		KindCumulative: "cumulative", KindFiveYears: "result", KindPlan: "target"}[f.Kind]
	switch {
	case (f.Kind == KindFiveYears || f.Kind == KindPlan) && f.Year != 0:
		return kind + " for " + strconv.Itoa(f.Year-4) + "–" + strconv.Itoa(f.Year)
	case kind == "" && f.Year == 0:
		return ""
	case kind == "":
		return strconv.Itoa(f.Year)
	case f.Year == 0:
		return kind
	case f.Kind == KindAverage || f.Kind == KindCumulative:
		return kind + ", to " + strconv.Itoa(f.Year)
	}
	return kind + " for " + strconv.Itoa(f.Year)
}

// formatNumber writes x with thousands separators below a million
// ("34,000", "961", "2.5") and in millions, billions or trillions above
// ("1.494 million", "1.1 trillion"), with at most four decimals.
func formatNumber(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	neg := x < 0
	x = math.Abs(x)
	var s string
	switch {
	case x >= 1e12:
		s = trimDecimals(x/1e12) + " trillion"
	case x >= 1e9:
		s = trimDecimals(x/1e9) + " billion"
	case x >= 1e6:
		s = trimDecimals(x/1e6) + " million"
	default:
		s = trimDecimals(x)
		intPart, frac, _ := strings.Cut(s, ".")
		var g strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				g.WriteByte(',')
			}
			g.WriteRune(c)
		}
		s = g.String()
		if frac != "" {
			s += "." + frac
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

// trimDecimals writes x with at most four decimals and no trailing zeros.
func trimDecimals(x float64) string {
	s := strconv.FormatFloat(x, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
