package answer

import "testing"

func TestCountedMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, counted string
		want          float64
	}{
		{"新增中国铁路总公司行业服务基地、商务部大数据中心等北京项目1290个", "新增北京项目", 1},
		{"新增北京邮电大学慈力科技等科技转化项目21个、累计113个", "新增北京项目", 0.5},
		{"新增就业3.4万人", "武清区新增就业", 1},
		{"城镇登记失业率控制在3.5%以内", "城镇登记失业率要控制在", 0.75},
		{"累计113个", "新增北京项目", 0},     // nothing of it before the number
		{"完成113个", "新增北京项目", 0},     // no shared ending
		{"新增北京项目", "新增北京项目", 0},     // no number
		{"北京项目1290个", "", 0},        // no counted phrase
		{"项目1,290个", "新增北京项目", 0.5}, // the digits after the separator are not a new number
		{"目1290个", "新增北京项目", 0},     // one shared character is no match
	}
	for _, tt := range tests {
		if got := CountedMatch(tt.text, tt.counted); got != tt.want {
			t.Errorf("countedMatch(%q, %q) = %v; want %v", tt.text, tt.counted, got, tt.want)
		}
	}
}
