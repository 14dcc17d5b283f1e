package place

import (
	"strings"
	"unicode/utf8"

	pinyin "github.com/mozillazg/go-pinyin"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// suffixes are the administrative endings a short form drops, longest
// first.
var suffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "地区", "省", "市", "区", "县", "盟", "旗"}

// ethnicNames are the names of China's ethnic groups as autonomous areas
// write them (广西壮族自治区, 恩施土家族苗族自治州, 伊犁哈萨克自治州): a short
// form ends before the first of them.
var ethnicNames = []string{
	"蒙古", "回族", "藏族", "维吾尔", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
	"土家族", "哈尼族", "哈萨克", "傣族", "黎族", "傈僳族", "佤族", "畲族", "拉祜族", "水族", "东乡族", "纳西族",
	"景颇族", "柯尔克孜", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
	"普米族", "塔吉克", "怒族", "鄂温克族", "保安族", "裕固族", "鄂伦春", "独龙族", "各族",
}

// minShortRunes is the shortest short form: a one-character short form
// (京, 武) would match inside ordinary words.
const minShortRunes = 2

// shortForms returns the short forms of a full name: the name without its
// administrative ending and, for autonomous areas, without the ethnic
// names (广西壮族自治区 → 广西); none shorter than minShortRunes.
func shortForms(name string) []string {
	stem := name
	for _, s := range suffixes {
		if strings.HasSuffix(stem, s) {
			stem = strings.TrimSuffix(stem, s)
			break
		}
	}
	if strings.HasPrefix(name[len(stem):], "自治") {
		cut := len(stem)
		for _, e := range ethnicNames {
			if i := strings.Index(stem, e); i >= 0 && i < cut && utf8.RuneCountInString(stem[:i]) >= minShortRunes {
				cut = i
			}
		}
		stem = stem[:cut]
	}
	if stem == name || utf8.RuneCountInString(stem) < minShortRunes {
		return nil
	}
	return []string{stem}
}

// officialEnglish are the English names of provincial-level places where
// plain pinyin is not (or not only) what is written, by short form.
var officialEnglish = map[string][]string{
	"内蒙古": {"inner mongolia", "nei mongol", "neimenggu"},
	"西藏":  {"tibet", "xizang"},
	"陕西":  {"shaanxi"},
	"山西":  {"shanxi"},
	"香港":  {"hong kong", "hongkong"},
	"澳门":  {"macao", "macau"},
	"台湾":  {"taiwan"},
	"重庆":  {"chongqing"},
}

// maxReadings bounds the spellings generated for a name with several
// polyphonic characters.
const maxReadings = 8

// pinyinNames returns the pinyin spellings of a Chinese name, lower case,
// syllables joined (xi'an also as xian): one per combination of the
// characters' readings (长沙 gives changsha and zhangsha), at most
// maxReadings.
func pinyinNames(name string, heteronyms bool, cache pinyinReadings) []string {
	var readings [][]string
	for _, r := range name {
		rs := cache.of(r, heteronyms)
		if len(rs) == 0 {
			return nil
		}
		readings = append(readings, rs)
	}
	out := []string{""}
	for i, rs := range readings {
		var next []string
		for _, prefix := range out {
			for _, r := range rs {
				if i > 0 && strings.ContainsRune("aoe", rune(r[0])) {
					r = "'" + r
				}
				if len(next) < maxReadings {
					next = append(next, prefix+r)
				}
			}
		}
		out = next
	}
	var names []string
	for _, n := range out {
		names = appendNew(names, n, strings.ReplaceAll(n, "'", ""))
	}
	return names
}

// addCountries adds the other countries and regions of CLDR, by their
// Chinese and English names, as Foreign places: a question about one of
// them is about no report of this catalog.
func (c *Catalog) addCountries() {
	zh, en := display.Chinese.Regions(), display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code {
				continue
			}
			switch code {
			case "CN", "HK", "MO", "TW":
				continue
			}
			name, eng := zh.Name(r), strings.ToLower(en.Name(r))
			if utf8.RuneCountInString(name) < minShortRunes || eng == "" {
				continue
			}
			c.add(&Place{Code: code, Name: name, Level: Foreign, English: []string{eng}})
		}
	}
}

// pinyinReadings caches each character's readings while a catalog is
// built: a few thousand characters recur across the table's names, and
// go-pinyin formats every reading with a regular expression.
type pinyinReadings map[pinyinKey][]string

type pinyinKey struct {
	r   rune
	all bool // every reading (heteronyms), not only the first
}

func (c pinyinReadings) of(r rune, all bool) []string {
	k := pinyinKey{r, all}
	if rs, ok := c[k]; ok {
		return rs
	}
	args := pinyin.NewArgs()
	args.Heteronym = all
	rs := pinyin.SinglePinyin(r, args)
	c[k] = rs
	return rs
}
