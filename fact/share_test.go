package fact

import "testing"

// TestShareOfAWhole: a percentage after "X在GDP中的比重" is a share, and the
// whole (GDP) is not the fact's indicator.
func TestShareOfAWhole(t *testing.T) {
	t.Parallel()
	fs := Extract("服务业在国内生产总值中的比重上升到50.5%。", Context{Year: 2015, Kind: "actual", ReportYear: 2016})
	if len(fs) != 1 || fs[0].Measure != MeasureShare || fs[0].Indicator == "gdp" {
		t.Errorf("facts %+v: want one share that is not GDP's", fs)
	}
}

// TestClauseGoesOnAboutTheIndicator: a clause without words of its own
// continues an earlier clause's indicator even when that clause's figure
// made no fact.
func TestClauseGoesOnAboutTheIndicator(t *testing.T) {
	t.Parallel()
	fs := Extract("经济规模稳步壮大，地区生产总值迈上6万亿元台阶，达到62661亿元。", Context{Year: 2025, Kind: "actual", ReportYear: 2026})
	if len(fs) != 1 || fs[0].Indicator != "gdp" || fs[0].Value != "62661亿元" {
		t.Errorf("facts %+v: want GDP's 62661亿元", fs)
	}
}
