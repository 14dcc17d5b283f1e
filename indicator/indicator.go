package indicator

import (
	_ "embed"
	"fmt"
	"sync"
)

// Indicator is one vocabulary entry.
type Indicator struct {
	ID      string   // stable ASCII id
	Name    string   // canonical Chinese name
	Aliases []string // other Chinese forms
	English []string // English names, lower case, the first is the preferred display name
	Unit    string   // usual unit class, "" if it varies
	Implies string   // measure implied by the Chinese name itself when written alone ("growth"), usually ""

	// AliasImplies maps each alias or English name that implies a measure
	// (经济增长, "economic growth") to that measure; nil when none does.
	AliasImplies map[string]string
}

// Match is one place a text names an indicator.
type Match struct {
	ID         string // Indicator.ID
	Start, End int    // byte offsets of the matched words in the text
	Alias      string // the form matched, as in the vocabulary
	Implies    string // measure implied by this alias ("growth" for 经济增长), else ""
}

// Measures an alias may imply (Indicator.Implies, Match.Implies).
const (
	// Growth is a rate of change, year on year unless the text says
	// otherwise: 经济增长 is GDP growth.
	Growth = "growth"
)

// Unit classes (Indicator.Unit): what the indicator's level is counted in.
// Rates, shares and intensities quoted as percentages are Percent.
var units = map[string]bool{
	"percent": true, // rates, shares, ratios
	"yuan":    true, // money in yuan (reports write 亿元, 万元)
	"usd":     true, // money in US dollars (foreign investment, trade in dollars)
	"person":  true, // people (jobs, population)
	"tonne":   true, // mass (grain, steel)
	"kwh":     true, // electricity
	"km":      true, // length (railways, highways)
	"hectare": true, // area of land (reports write 亩, 公顷)
	"m2":      true, // floor space (square metres)
	"count":   true, // things counted (enterprises, patents, housing units)
	"day":     true, // days (good-air days)
	"ugm3":    true, // concentration, micrograms per cubic metre
	"index":   true, // price and other indices
}

//go:embed data/indicators.tsv
var data []byte

var (
	defaultOnce sync.Once
	defaultVoc  *Vocabulary
)

// Default returns the vocabulary of the embedded table, parsed on first
// use. It panics if the embedded table is invalid, which the package's
// tests rule out.
func Default() *Vocabulary {
	defaultOnce.Do(func() {
		v, err := Parse(data)
		if err != nil {
			panic(fmt.Sprintf("indicator: embedded table: %v", err))
		}
		defaultVoc = v
	})
	return defaultVoc
}

// Get returns the entry with the given ID; ok is false if there is none.
func (v *Vocabulary) Get(id string) (Indicator, bool) {
	i, ok := v.byID[id]
	if !ok {
		return Indicator{}, false
	}
	return v.list[i], true
}

// All returns every entry, in the table's order. The caller may modify the
// returned slice but not the entries' slices and maps.
func (v *Vocabulary) All() []Indicator {
	out := make([]Indicator, len(v.list))
	copy(out, v.list)
	return out
}
