package indicator

import (
	"slices"
	"strings"
	"testing"
)

// found renders Find's matches as "id" or "id:implies", in text order.
func found(v *Vocabulary, text string) []string {
	var out []string
	for _, m := range v.Find(text) {
		s := m.ID
		if m.Implies != "" {
			s += ":" + m.Implies
		}
		out = append(out, s)
	}
	return out
}

// TestFindChinese covers the Chinese forms: canonical names, abbreviations,
// the more specific entry winning over the general one it contains, forms
// implying growth, and phrases that contain a form but name no indicator.
func TestFindChinese(t *testing.T) {
	t.Parallel()
	v := Default()
	tests := []struct {
		text string
		want []string
	}{
		// Names and abbreviations.
		{"全年国内生产总值增长5%", []string{"gdp"}},
		{"全市地区生产总值突破3万亿元", []string{"gdp"}},
		{"经济总量稳居全国前列", []string{"gdp"}},
		{"社零增长6%，固投增长5%", []string{"retail_sales", "fixed_asset_investment"}},
		{"社会消费品零售总额5.4万亿元", []string{"retail_sales"}},
		{"规上工业增加值增长6.7%", []string{"industrial_value_added_above_size"}},
		{"城镇新增就业1269万人，城镇调查失业率平均为5.1%", []string{"new_urban_jobs", "surveyed_unemployment"}},
		{"城镇登记失业率4.5%以内", []string{"registered_unemployment"}},
		{"居民消费价格涨幅3%左右", []string{"cpi:growth"}},
		{"CPI涨幅2%左右", []string{"cpi:growth"}},
		{"粮食总产量保持在1.3万亿斤以上", []string{"grain_output"}},
		{"单位GDP能耗下降3%", []string{"energy_intensity"}},
		{"单位国内生产总值二氧化碳排放降低", []string{"carbon_intensity"}},
		{"R&D经费投入强度达到2.5%", []string{"rd_intensity"}},
		{"全社会研发投入增长10%", []string{"rd_expenditure"}},
		{"森林覆盖率达到24.1%", []string{"forest_coverage"}},
		{"空气质量优良天数比率超过80%", []string{"good_air_days"}},
		{"PM2.5平均浓度降至28.5微克", []string{"pm25"}},
		{"细颗粒物（PM2.5）浓度继续下降", []string{"pm25"}},
		{"常住人口城镇化率提高到65%", []string{"urbanisation"}},
		{"赤字率拟按3%安排", []string{"deficit_ratio"}},
		{"拟安排地方政府专项债券3.9万亿元", []string{"special_purpose_bonds"}},
		{"实际使用外资1383亿美元", []string{"foreign_investment_used"}},
		{"5G基站达到9.5万座", []string{"base_stations_5g"}},
		{"广义货币M2增速", []string{"m2"}},
		// Implied growth.
		{"经济增长5%左右", []string{"gdp:growth"}},
		{"经济增速继续位居世界前列", []string{"gdp:growth"}},
		{"GDP增速6.5%", []string{"gdp:growth"}},
		{"居民收入增长与经济增长基本同步", []string{"income_all", "gdp:growth"}},
		// The more specific entry wins.
		{"农村居民人均可支配收入增长6%", []string{"income_rural"}},
		{"城镇居民人均可支配收入增长5%", []string{"income_urban"}},
		{"城乡居民人均可支配收入分别增长4.4%和6.2%", []string{"income_urban_rural"}},
		{"全体居民人均可支配收入增长5.5%", []string{"income_all"}},
		{"地方一般公共预算收入增长2.3%", []string{"general_budget_revenue"}},
		{"财政收入从11.7万亿元增加到", []string{"fiscal_revenue"}},
		{"规模以上工业增加值增长6%", []string{"industrial_value_added_above_size"}},
		{"工业增加值突破7600亿元", []string{"industrial_value_added"}},
		{"人均地区生产总值超1万美元", []string{"gdp_per_capita"}},
		{"人均GDP进入全国前列", []string{"gdp_per_capita"}},
		{"海洋生产总值突破万亿", []string{"marine_gdp"}},
		{"户籍人口城镇化率达到45%", []string{"urbanisation_registered"}},
		{"超长期特别国债1万亿元", []string{"ultra_long_treasury_bonds"}},
		{"外贸进出口增长8.4%", []string{"trade_total"}},
		{"出口增长7%，进口增长3%", []string{"exports", "imports"}},
		{"服务进出口总额增长22%", []string{"services_trade"}},
		{"消费对经济增长的贡献率达到66.4%", []string{"consumption_contribution"}},
		{"新能源装机占比达63%", []string{"renewable_capacity"}},
		// Phrases that name no indicator, and generic words.
		{"办好中国国际进口博览会", nil},
		{"落实出口退税政策", nil},
		{"培育新的经济增长点", nil},
		{"世界经济增长动能不足", nil},
		{"中国进出口银行", nil},
		{"提高企业竞争力", nil}, // 高企 is not a form
		{"收入增长，投资增长，就业稳定，产量增加", nil},
		{"失业率保持稳定", nil}, // surveyed or registered: not said
		{"", nil},
	}
	for _, tt := range tests {
		if got := found(v, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestFindEnglish covers English names: whole words, any case, plurals,
// possessives, hyphens or line breaks between words.
func TestFindEnglish(t *testing.T) {
	t.Parallel()
	v := Default()
	tests := []struct {
		text string
		want []string
	}{
		{"GDP grew by 5 percent", []string{"gdp"}},
		{"What was the GDP growth target?", []string{"gdp:growth"}},
		{"China's GDP's growth", []string{"gdp:growth"}},
		{"economic growth of around 5%", []string{"gdp:growth"}},
		{"Gross Domestic Product", []string{"gdp"}},
		{"over 12 million new urban jobs", []string{"new_urban_jobs"}},
		{"a new urban job", []string{"new_urban_jobs"}},
		{"the surveyed urban unemployment rate was 5.2%", []string{"surveyed_unemployment"}},
		{"registered urban unemployment rate", []string{"registered_unemployment"}},
		{"total retail sales of consumer goods rose", []string{"retail_sales"}},
		{"fixed-asset investment; fixed asset investment; Fixed-Asset Investments", []string{"fixed_asset_investment", "fixed_asset_investment", "fixed_asset_investment"}},
		{"per capita disposable income of rural residents", []string{"income_rural"}},
		{"rural residents' per capita disposable income", []string{"income_rural"}},
		{"per capita disposable income", []string{"income_all"}},
		{"urban and rural incomes", []string{"income_urban_rural"}},
		{"general public budget revenue", []string{"general_budget_revenue"}},
		{"the deficit-to-GDP ratio is projected at 3%", []string{"deficit_ratio"}},
		{"CPI increase of around 3%", []string{"cpi:growth"}},
		{"R&D intensity", []string{"rd_intensity"}},
		{"PM2.5 concentration fell", []string{"pm25"}},
		{"forest coverage reached 24%", []string{"forest_coverage"}},
		{"energy consumption per unit\nof GDP dropped", []string{"energy_intensity"}},
		{"high-value invention patents per 10,000 people", []string{"high_value_patents_per_10k"}},
		{"gross output value of agriculture, forestry, animal husbandry and fishery", []string{"agricultural_output"}},
		{"exports rose; imports fell", []string{"exports", "imports"}},
		{"imports and exports", []string{"trade_total"}},
		{"the China International Import Expo", nil},
		{"world economic growth", nil},
		// Whole words only, generic words alone.
		{"gdpx xgdp cpis", nil},
		{"income, revenue, investment, jobs, growth", nil},
		{"unemployment rate", nil},
		{"retail. sales", nil}, // a full stop breaks a name
		{"GDP增长5%", []string{"gdp:growth"}},
		{"GDP和CPI", []string{"gdp", "cpi"}},
	}
	for _, tt := range tests {
		if got := found(v, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestFindOffsets checks Start, End and Alias.
func TestFindOffsets(t *testing.T) {
	t.Parallel()
	v := Default()
	tests := []struct {
		text string
		want []Match
	}{
		{"今年社零增长", []Match{{ID: "retail_sales", Start: 6, End: 12, Alias: "社零"}}},
		{"Its GDP's growth", []Match{{ID: "gdp", Start: 4, End: 16, Alias: "gdp growth", Implies: Growth}}},
		{"New Urban Jobs: 12m", []Match{{ID: "new_urban_jobs", Start: 0, End: 14, Alias: "new urban jobs"}}},
		{"进出口总额", []Match{{ID: "trade_total", Start: 0, End: 15, Alias: "进出口总额"}}},
		{"gdp增速", []Match{{ID: "gdp", Start: 0, End: 9, Alias: "gdp增速", Implies: Growth}}},
	}
	for _, tt := range tests {
		if got := v.Find(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

// TestFindOverlap checks the choice among overlapping forms: longest first,
// then leftmost, and a shorter form kept where a longer one at the same
// start lost.
func TestFindOverlap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		table string // rows "id name", English name = id
		text  string
		want  []string
	}{
		{"ab 甲乙|abc 甲乙丙", "甲乙丙", []string{"abc"}},
		{"abc 甲乙丙|cde 丙丁戊", "甲乙丙丁戊", []string{"abc"}}, // same length: leftmost
		{"ab 甲乙|abc 甲乙丙|x 乙丙丁戊己", "甲乙丙丁戊己", []string{"x"}},
		// 甲乙丙 lost to 丙丁戊己庚; 甲乙, at its start, still fits.
		{"ab 甲乙|abc 甲乙丙|cdefg 丙丁戊己庚", "甲乙丙丁戊己庚", []string{"ab", "cdefg"}},
		{"ab 甲乙|cd 丙丁", "甲乙丙丁甲乙", []string{"ab", "cd", "ab"}},
	}
	for _, tt := range tests {
		var rows []string
		for _, r := range strings.Split(tt.table, "|") {
			id, name, _ := strings.Cut(r, " ")
			rows = append(rows, strings.Join([]string{id, name, "-", id, "-", "-"}, "\t"))
		}
		v, err := Parse([]byte(strings.Join(rows, "\n")))
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.table, err)
		}
		if got := found(v, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("table %q: Find(%q) = %q, want %q", tt.table, tt.text, got, tt.want)
		}
	}
}

// TestFindTextOrder checks that matches come in text order, do not
// overlap and name the alias found there.
func TestFindTextOrder(t *testing.T) {
	t.Parallel()
	v := Default()
	ms := v.Find(benchZH)
	if len(ms) < 10 {
		t.Fatalf("Find(benchZH) found %d indicators, want at least 10", len(ms))
	}
	checkMatches(t, v, benchZH, ms)
}

// checkMatches checks the properties every Find result has.
func checkMatches(t *testing.T, v *Vocabulary, text string, ms []Match) {
	t.Helper()
	end := 0
	for _, m := range ms {
		if m.Start < end || m.End <= m.Start || m.End > len(text) {
			t.Fatalf("Find(%q): match %+v out of order or out of range (previous end %d)", text, m, end)
		}
		end = m.End
		in, ok := v.Get(m.ID)
		if !ok {
			t.Fatalf("Find(%q): unknown id %q", text, m.ID)
		}
		if !slices.Contains(in.Aliases, m.Alias) && !slices.Contains(in.English, m.Alias) && in.Name != m.Alias {
			t.Fatalf("Find(%q): alias %q is not a form of %s", text, m.Alias, m.ID)
		}
		if got, want := foldForm(strings.ToLower(text[m.Start:m.End])), foldForm(m.Alias); got != want {
			t.Fatalf("Find(%q): text %q does not read as alias %q (%q vs %q)", text, text[m.Start:m.End], m.Alias, got, want)
		}
		if m.Implies != in.AliasImplies[m.Alias] && !(m.Alias == in.Name && m.Implies == in.Implies) {
			t.Fatalf("Find(%q): implies %q for alias %q", text, m.Implies, m.Alias)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		benchZH[:300], benchEN, "GDP's growth", "gdp增速gdp", "R&D经费投入强度", "pm2.5浓度", "10,000 people",
		"进出口总额", "fixed-\nasset investment", "café gdp", "GDP\u00a0growth", "’s gdp’s", "ＧＤＰ", "\xff\xfe社零",
	} {
		f.Add(s)
	}
	v := Default()
	f.Fuzz(func(t *testing.T, text string) {
		checkMatches(t, v, text, v.Find(text))
	})
}
