package answer

import "testing"

func TestHasQuantity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s, unit string
		want    bool
	}{
		{"新增就业3.4万人", "", true},
		{"新增就业3.4万人", "人", true},
		{"新增就业3.4万人", "万人", true},
		{"全区引资到位额505亿元", "亿元", true},
		{"全区引资到位额505亿", "亿元", true},
		{"预期全年地区生产总值增长5%", "亿元", false},
		{"2018年是贯彻党的十九大精神的开局之年", "", false},
		{"对1074家“散乱污”企业一律先停后治", "家", true},
		{"对1074家“散乱污”企业一律先停后治", "所", false},
		{"新增养老服务综合体4所", "所", true},
		{"建成三所学校", "所", true},
		{"推进一体化发展", "", false},
		{"城镇登记失业率控制在3.5%以内", "%", true},
		{"今年计划国内生产总值增长百分之九", "", true},
		{"比上年增长百分之十一点八", "%", true},
		{"比上年增长百分之十一点八", "亿元", false},
		{"百分之百完成", "", false}, // the idiom "fully"
		{"增长百分之百零五", "", true},
		{"百分之", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.s+"/"+tt.unit, func(t *testing.T) {
			if got := HasQuantity(tt.s, tt.unit); got != tt.want {
				t.Errorf("hasQuantity(%q, %q) = %v, want %v", tt.s, tt.unit, got, tt.want)
			}
		})
	}
}
