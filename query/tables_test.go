package query

import (
	"slices"
	"testing"

	"github.com/reportbot/reportbot/place"
)

func TestTabulate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question string
		shape    TableShape
		years    []int
		since    int
		recent   bool
		level    place.Level
		all      bool
	}{
		// One place under an ambiguous name (the province, and districts
		// called Hainan) is no comparison.
		{question: "How many new urban jobs did Hainan add in 2024?"},
		// Series: a range (however wide), since, every year, recent, change.
		{question: "2011到2020年全国居民消费价格涨幅目标", shape: SeriesTable, years: []int{2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020}},
		{question: "2005-2024年城镇新增就业目标", shape: SeriesTable, years: yearsFrom(2005, 2024)},
		{question: "What were the surveyed unemployment rate targets from 2014 to 2018?", shape: SeriesTable, years: yearsFrom(2014, 2018)},
		{question: "2012年以来财政赤字率怎么变", shape: SeriesTable, since: 2012},
		{question: "从2013年起粮食产量", shape: SeriesTable, since: 2013},
		{question: "How has the fiscal deficit changed since 2015?", shape: SeriesTable, since: 2015},
		{question: "历年城镇新增就业目标", shape: SeriesTable},
		{question: "这几年居民消费价格涨幅", shape: SeriesTable, recent: true},
		{question: "What was the CPI target in recent years?", shape: SeriesTable, recent: true},
		{question: "粮食产量的变化趋势", shape: SeriesTable},
		{question: "2014年、2016年和2019年的财政赤字率", shape: SeriesTable},
		// Target against result.
		{question: "2015年居民消费价格涨幅目标完成了吗", shape: TargetResultTable},
		{question: "2019年是否完成了城镇新增就业目标", shape: TargetResultTable},
		{question: "2018年城镇新增就业目标完成情况", shape: TargetResultTable},
		{question: "2017年实现了财政赤字率目标没有?", shape: TargetResultTable},
		{question: "Did the government meet its 2013 CPI target?", shape: TargetResultTable},
		{question: "Was the 2019 goal for new urban jobs achieved?", shape: TargetResultTable},
		{question: "Grain output target vs actual in 2020", shape: TargetResultTable},
		// Places.
		{question: "各省2024年财政赤字率", shape: PlacesTable, all: true, level: place.Province},
		{question: "哪个省2025年城镇新增就业目标最高", shape: PlacesTable, all: true, level: place.Province},
		{question: "各地市2023年粮食产量", shape: PlacesTable, all: true, level: place.Prefecture},
		{question: "Which province set the highest surveyed unemployment rate target for 2024?", shape: PlacesTable, all: true, level: place.Province},
		{question: "江西和湖南2025年城镇新增就业目标", shape: PlacesTable},
		// One figure: no table.
		{question: "2018年城镇新增就业目标是多少", shape: NoTable},
		{question: "2026年的目标是实现居民消费价格涨幅2%左右吗", shape: NoTable},
		{question: "What is the 2024 CPI target?", shape: NoTable},
		{question: "2016年和2017年财政赤字率", shape: NoTable},
		{question: "2020年粮食产量有什么变化", shape: NoTable},
		{question: "历年政府工作报告的主题", shape: NoTable}, // no indicator
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			t.Parallel()
			q := Analyze(tt.question, nil, nil)
			got := Tabulate(q)
			if got.Shape != tt.shape {
				t.Fatalf("Tabulate(%q).Shape = %q, want %q (indicators %v, years %v)", tt.question, got.Shape, tt.shape, q.Indicators, q.Years)
			}
			if tt.years != nil && !slices.Equal(got.Years, tt.years) {
				t.Errorf("Years = %v, want %v", got.Years, tt.years)
			}
			if got.Since != tt.since || got.Recent != tt.recent {
				t.Errorf("Since, Recent = %d, %v, want %d, %v", got.Since, got.Recent, tt.since, tt.recent)
			}
			if got.AllPlaces != tt.all || got.Level != tt.level {
				t.Errorf("AllPlaces, Level = %v, %q, want %v, %q", got.AllPlaces, got.Level, tt.all, tt.level)
			}
		})
	}
}

func yearsFrom(a, b int) []int {
	var ys []int
	for y := a; y <= b; y++ {
		ys = append(ys, y)
	}
	return ys
}

func FuzzTabulate(f *testing.F) {
	for _, s := range []string{"2010到2022年全国GDP增长目标", "各省2026年GDP增长目标", "Did China meet its 2016 GDP growth target?", "2010年以来", "从1999-2100年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := Tabulate(Analyze(s, nil, nil)); len(got.Years) > maxSeriesYears {
			t.Errorf("Tabulate(%q).Years has %d years, more than %d", s, len(got.Years), maxSeriesYears)
		}
	})
}
