package place

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func names(ps []Place) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// TestFind covers Chinese full names and short forms, English names and
// the traps: short forms inside other words, one-character forms, shared
// short forms (吉林, 海南), county short forms that are ordinary words.
func TestFind(t *testing.T) {
	t.Parallel()
	f := NewFinder("120114") // 武清区 is local
	tests := []struct {
		text string
		want []string
	}{
		{"江西今年GDP目标增速是多少？", []string{"江西省"}},
		{"江西省今年GDP目标", []string{"江西省"}},
		{"广西打算合办什么AI比赛？", []string{"广西壮族自治区"}},
		{"内蒙古去年GDP增速是多少？", []string{"内蒙古自治区"}},
		{"宁夏今年城镇新增就业目标多少？", []string{"宁夏回族自治区"}},
		{"武清区2018年地区生产总值", []string{"武清区"}},
		{"幸福武清评价体系", []string{"武清区"}},
		{"吉林去年粮食产量", []string{"吉林省"}},     // the province, not 吉林市
		{"吉林市GDP", []string{"吉林市"}},       // the city by its full name
		{"吉林市场主体增长多少", []string{"吉林省"}},   // 市场 is no 吉林市
		{"海南去年经济增长了多少？", []string{"海南省"}}, // not 海南藏族自治州
		{"上海南站客流", []string{"上海市"}},       // no 海南 inside 上海南站
		{"北京今年目标", []string{"北京市"}},
		{"2022年美国国内生产总值增长目标是多少?", []string{"美国"}},
		{"2021年全国粮食产量是多少？", []string{"全国"}},
		{"京津冀协同发展", []string{}},         // one-character forms never match
		{"和平发展,城中村改造,光明前景", []string{}}, // other counties' short forms are words
		{"What was Jiangxi's GDP growth target?", []string{"江西省"}},
		{"How many new urban jobs is Inner Mongolia targeting?", []string{"内蒙古自治区"}},
		{"Shaanxi and Shanxi", []string{"陕西省", "山西省"}},
		{"TIBET and xizang", []string{"西藏自治区"}},
		{"Hong Kong, Macao", []string{"香港特别行政区", "澳门特别行政区"}},
		{"What was Wuqing's 2018 employment target?", []string{"武清区"}},
		{"What was China's GDP growth?", []string{"全国"}},
		{"Guiyang in Guizhou's report", []string{"贵阳市", "贵州省"}},
		{"Jiangxian words", []string{}}, // whole words only
		{"a changsha trip", []string{"长沙市"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := names(f.Find(tt.text)); !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
	if got := names(NewFinder().Find("What is Wuqing's target? 武清")); len(got) != 0 {
		t.Errorf("Wuqing is not local, yet found %v", got)
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		code, name  string
		level       Level
		parent      string
		short, engl string
	}{
		{"360000", "江西省", Province, NationalCode, "江西", "jiangxi"},
		{"450000", "广西壮族自治区", Province, NationalCode, "广西", "guangxi"},
		{"150000", "内蒙古自治区", Province, NationalCode, "内蒙古", "inner mongolia"},
		{"540000", "西藏自治区", Province, NationalCode, "西藏", "tibet"},
		{"610000", "陕西省", Province, NationalCode, "陕西", "shaanxi"},
		{"810000", "香港特别行政区", Province, NationalCode, "香港", "hong kong"},
		{"820000", "澳门特别行政区", Province, NationalCode, "澳门", "macao"},
		{"120114", "武清区", County, "120000", "武清", "wuqing"},
		{"220200", "吉林市", Prefecture, "220000", "吉林", "jilin"},
		{"422800", "恩施土家族苗族自治州", Prefecture, "420000", "恩施", "enshi"},
	}
	for _, tt := range tests {
		p, ok := c.ByCode(tt.code)
		if !ok || p.Name != tt.name || p.Level != tt.level || p.Parent != tt.parent ||
			!slices.Contains(p.Short, tt.short) || !slices.Contains(p.English, tt.engl) {
			t.Errorf("ByCode(%s) = %+v, %v; want %s %s parent %s short %s english %s", tt.code, p, ok, tt.name, tt.level, tt.parent, tt.short, tt.engl)
		}
	}
	if !c.Within("120114", "120000") || !c.Within("120114", NationalCode) || c.Within("120114", "110000") {
		t.Error("Within: 武清区 should lie in 天津市 and China, not in 北京市")
	}
	for _, p := range c.byCode {
		for _, s := range p.Short {
			if len([]rune(s)) < minShortRunes {
				t.Errorf("%s has a one-character short form %q", p.Name, s)
			}
		}
	}
}

// TestOfReport reads the place of every report of the provincial corpus,
// of the national reports and of Wuqing's.
func TestOfReport(t *testing.T) {
	t.Parallel()
	f := NewFinder()
	tests := []struct{ title, publisher, want string }{
		{"2022年中华人民共和国国务院政府工作报告", "", "全国"},
		{"第十四届全国人民代表大会第三次会议关于政府工作报告的决议", "", "全国"},
		{"政府工作报告", "国务院", "全国"},
		{"武清区2018年政府工作报告", "", "武清区"},
		{"2018年天津市武清区政府工作报告", "", "武清区"},
		{"wuqing-later-report-fragment", "", "武清区"},
		{"政府工作报告", "武清区人民政府办公室", "武清区"},
		{"陕西省2026年政府工作报告", "", "陕西省"},
	}
	for _, tt := range tests {
		if p, _ := f.OfReport(tt.title, tt.publisher); p.Name != tt.want {
			t.Errorf("OfReport(%q, %q) = %q, want %q", tt.title, tt.publisher, p.Name, tt.want)
		}
	}
	if p, ok := f.OfReport("某区2009年政府工作报告", ""); ok {
		t.Errorf("OfReport(某区) = %v, want none", p)
	}
	fh, err := os.Open("/work/shared/corpora/provincial-2026.jsonl")
	if err != nil {
		t.Skip("provincial corpus not here:", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<24)
	seen := map[string]bool{}
	for sc.Scan() {
		var r struct{ Title string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		p, ok := f.OfReport(r.Title, "")
		if !ok || p.Level != Province || !strings.Contains(r.Title, p.Name) {
			t.Errorf("OfReport(%q) = %+v, %v; want its province", r.Title, p, ok)
		}
		seen[p.Code] = true
	}
	if len(seen) != 31 {
		t.Errorf("%d provinces, want 31", len(seen))
	}
}

// FuzzFind checks that Find never panics, returns each place once, and
// only places whose name, short form or English name the text holds.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"江西今年GDP", "吉林市场", "Inner Mongolia's", "上海南站", "", "\xff江", "Xi'an’s"} {
		f.Add(s)
	}
	fd := NewFinder("120114")
	f.Fuzz(func(t *testing.T, s string) {
		ps := fd.Find(s)
		codes := Codes(ps)
		slices.Sort(codes)
		if len(slices.Compact(codes)) != len(ps) {
			t.Fatalf("Find(%q) repeats a place: %v", s, names(ps))
		}
		lower := strings.ToLower(strings.ReplaceAll(s, "’", "'"))
		// English names match whole words: compare with the words of s
		// (a word's edge apostrophes and possessive 's are not part of it,
		// as Find reads words: "Inner' Mongolia's" names Inner Mongolia)
		words := strings.FieldsFunc(lower, func(r rune) bool { return r >= 0x80 || !unicode.IsLetter(r) && r != '\'' })
		for i, w := range words {
			words[i] = strings.Trim(strings.TrimSuffix(w, "'s"), "'")
		}
		lower += " " + strings.Join(words, " ")
		for _, p := range ps {
			found := false
			for _, n := range append(append([]string{p.Name}, p.Short...), p.English...) {
				if strings.Contains(lower, n) || strings.Contains(lower, strings.ReplaceAll(n, "'", "")) {
					found = true
				}
			}
			if !found {
				t.Fatalf("Find(%q) = %s, which the text does not name", s, p.Name)
			}
		}
	})
}
