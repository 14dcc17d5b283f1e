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
