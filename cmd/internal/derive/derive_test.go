package derive

import (
	"reflect"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	text := "全年国内生产总值增长6.9%，城镇新增就业1351万人，居民消费价格上涨1.6%。"
	got := Metrics(text, 6)
	want := []Metric{{"国内生产总值增长", "6.9%"}, {"城镇新增就业", "1351万人"}, {"居民消费价格上涨", "1.6%"}}
	want[0].Phrase, want[2].Phrase = "生产总值增长", "消费价格上涨" // at most 6 Han characters
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Metrics = %+v, want %+v", got, want)
	}
	if got := Metrics("增长了很多", 6); got != nil {
		t.Errorf("Metrics without a figure = %+v, want none", got)
	}
}

func TestQuestion(t *testing.T) {
	t.Parallel()
	m := Metric{Phrase: "生产总值增长", Figure: "6.5%"}
	tests := []struct {
		period corpus.Period
		want   string
	}{
		{corpus.Period{Year: 2018, Kind: corpus.PeriodTarget}, "2018年生产总值增长目标是多少?"},
		{corpus.Period{Year: 2017, Kind: corpus.PeriodActual}, "2017年生产总值增长多少?"},
	}
	for _, tt := range tests {
		if got := m.Question(tt.period); got != tt.want {
			t.Errorf("Question(%+v) = %q, want %q", tt.period, got, tt.want)
		}
	}
}
