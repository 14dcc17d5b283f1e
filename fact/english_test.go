package fact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/indicator"
)

// TestEnglish checks phrases built from hand-made facts, one per feature:
// scales, ranges, qualifiers, units, kinds.
func TestEnglish(t *testing.T) {
	t.Parallel()
	v := indicator.Default()
	tests := []struct {
		f    Fact
		want string
	}{
		{Fact{Indicator: "new_urban_jobs", Label: "新增就业", Measure: MeasureLevel, Number: 34000, Upper: 34000, Unit: "person", Year: 2018, Kind: KindTarget},
			"new urban jobs: 34,000 (target for 2018)"},
		{Fact{Indicator: "gdp", Label: "地区生产总值", Measure: MeasureGrowth, Number: 5, Upper: 5, Unit: "%", Qualifier: "左右", Year: 2026, Kind: KindTarget},
			"gross domestic product growth: about 5% (target for 2026)"},
		{Fact{Label: "粮食产量", Measure: MeasureLevel, Number: 5e10, Upper: 5e10, Unit: "jin", Year: 2025, Kind: KindResult},
			"粮食产量: 50 billion jin (result for 2025)"},
		{Fact{Indicator: "gdp", Measure: MeasureGrowth, Number: 5, Upper: 5.5, Unit: "%", Year: 2026, Kind: KindTarget},
			"gross domestic product growth: 5% to 5.5% (target for 2026)"},
		{Fact{Label: "城镇新增就业", Measure: MeasureLevel, Number: 1494000, Upper: 1494000, Unit: "person", Qualifier: "以上"},
			"城镇新增就业: at least 1.494 million"},
		{Fact{Label: "城镇登记失业率", Measure: MeasureLimit, Number: 3.5, Upper: 3.5, Unit: "%", Qualifier: "以内", Year: 2018, Kind: KindTarget},
			"城镇登记失业率 ceiling: within 3.5% (target for 2018)"},
		{Fact{Label: "煤炭消费比重", Measure: MeasureDecline, Number: 8.1, Upper: 8.1, Unit: "pp", Year: 2017},
			"煤炭消费比重 decline: 8.1 percentage points (2017)"},
		{Fact{Label: "地区生产总值", Measure: MeasureGrowth, Number: 5.5, Upper: 5.5, Unit: "%", Year: 2025, Kind: KindAverage},
			"地区生产总值 growth: 5.5% (yearly average, to 2025)"},
		{Fact{Indicator: "new_urban_jobs", Label: "城镇新增就业", Measure: MeasureLevel, Number: 6037000, Upper: 6037000, Unit: "person", Year: 2025, Kind: KindFiveYears},
			"new urban jobs: 6.037 million (result for 2021–2025)"},
		{Fact{Indicator: "new_urban_jobs", Label: "城镇新增就业", Measure: MeasureLevel, Number: 5e6, Upper: 5e6, Unit: "person", Qualifier: "以上", Year: 2030, Kind: KindPlan},
			"new urban jobs: at least 5 million (target for 2026–2030)"},
		{Fact{Label: "新增耕地", Measure: MeasureLevel, Number: 2120000, Upper: 2120000, Unit: "mu", Kind: KindFiveYears},
			"新增耕地: 2.12 million mu (result)"},
		{Fact{Label: "高标准农田", Measure: MeasureCumulative, Number: 1205000, Upper: 1205000, Unit: "mu", Kind: KindCumulative},
			"高标准农田: 1.205 million mu (cumulative)"},
		{Fact{Label: "引资到位额", Number: 1.83e10, Upper: 1.83e10, Unit: "yuan", Qualifier: "超过"},
			"引资到位额: over 18.3 billion yuan"},
		{Fact{Label: "外贸进出口总额", Number: 4.51e12, Upper: 4.51e12, Unit: "yuan"},
			"外贸进出口总额: 4.51 trillion yuan"},
		{Fact{Label: "新申请专利", Number: 11000, Upper: 11000, Unit: "item"}, "新申请专利: 11,000"},
		{Fact{Label: "就业", Number: 30000, Upper: 50000, Unit: "person"}, "就业: 30,000 to 50,000"},
		{Fact{Label: "投资", Number: 3e9, Upper: 5e9, Unit: "yuan"}, "投资: 3 billion to 5 billion yuan"},
	}
	for _, tt := range tests {
		if got := tt.f.English(v); got != tt.want {
			t.Errorf("English(%+v) = %q; want %q", tt.f, got, tt.want)
		}
	}
}

// TestEnglishGolden writes the English phrase of every fact of the 2018
// Wuqing report beside its Chinese value, in testdata/english.golden
// (-update rewrites it).
func TestEnglishGolden(t *testing.T) {
	t.Parallel()
	reports, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := indicator.Default()
	var b strings.Builder
	for _, r := range reports {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			for _, f := range Extract(p.Text, Context{Year: p.Period.Year, Kind: p.Period.Kind, ReportYear: r.Year}) {
				b.WriteString(f.English(v) + " | " + p.Text[f.Start:f.End] + "\n")
			}
		}
	}
	name := filepath.Join("testdata", "english.golden")
	if *update {
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("English phrases differ from %s (run go test -update and review the diff)", name)
	}
}
