package corpus

import (
	"slices"
	"strings"
	"testing"
)

func TestParseL1(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		wantNum int
		wantOK  bool
	}{
		{"一、2017年工作回顾", "一、2017年工作回顾", 1, true},
		{"三、全面加强政府自身建设", "三、全面加强政府自身建设", 3, true},
		{"十一、 关于外交工作", "十一、关于外交工作", 11, true},
		{"二、2022年经济社会发展总体要求和政策取向", "二、2022年经济社会发展总体要求和政策取向", 2, true},
		{"三、对主要食品定量供应部分，各地根据价格上涨的不同情况，要给职工以适当补贴；", "", 0, false},
		{"一、继续坚持有计划有步骤地改革。", "", 0, false},
		{"一、", "", 0, false},
		{"一二、标题", "", 0, false},
		{"(一)深入落实", "", 0, false},
		{"各位代表：", "", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseL1(tt.in)
		if ok != tt.wantOK || got.title != tt.want || got.num != tt.wantNum {
			t.Errorf("parseL1(%q) = %+v, %v, want %q, %d, %v", tt.in, got, ok, tt.want, tt.wantNum, tt.wantOK)
		}
	}
}

func TestParseL2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		wantText string // h.text with the parsed number, or 5 when it is missing
		wantBody bool
		wantOK   bool
	}{
		{"(一)深入落实重大国家战略，坚定不移推进京津冀协同发展。坚持把协同发展作为政治之责。", "(一)深入落实重大国家战略，坚定不移推进京津冀协同发展", true, true},
		{"()深入推进绿色发展,努力打造生态武清。牢固树立绿水青山就是金山银山理念。", "(五)深入推进绿色发展,努力打造生态武清", true, true},
		{"（七）用心用情用力保障和改善民生，努力创造安居乐业的高品质生活", "（七）用心用情用力保障和改善民生，努力创造安居乐业的高品质生活", false, true},
		{"（一）着力稳定宏观经济大盘，保持经济运行在合理区间。", "（一）着力稳定宏观经济大盘，保持经济运行在合理区间", false, true},
		{"（六） 更加注重社会建设，着力保障和改善民生", "（六）更加注重社会建设，着力保障和改善民生", false, true},
		{"( 十二 )标题。", "(十二)标题", false, true},
		{"(1)标题。", "", false, false},
		{"(一)", "", false, false},
		{"（一", "", false, false},
		{"(一)" + strings.Repeat("很长的标题", 20) + "。", "", false, false},
	}
	for _, tt := range tests {
		h, ok := parseL2(tt.in)
		if ok != tt.wantOK {
			t.Errorf("parseL2(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			continue
		}
		if !ok {
			continue
		}
		num := h.num
		if num == 0 {
			num = 5
		}
		if got := h.text(num); got != tt.wantText || h.body != tt.wantBody {
			t.Errorf("parseL2(%q) = %q, body %v, want %q, body %v", tt.in, got, h.body, tt.wantText, tt.wantBody)
		}
	}
}

func TestLeadSentence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"提升就业服务质效。深入实施就业岗位拓展。", "提升就业服务质效", true},
		{"融入协同发展取得新成效。坚决服从服务京津冀协同发展大局。", "融入协同发展取得新成效", true},
		{"深化“通武廊”区域合作。以体制机制创新为重点。", "深化“通武廊”区域合作", true},
		{"——经济保持恢复发展。国内生产总值达到114万亿元。", "经济保持恢复发展", true},
		{"提升就业服务质效。", "", false},                     // nothing after it
		{"2017年是新一届政府工作的开局之年,也是很不平凡的一年。", "", false}, // comma
		{"过去一年是党和国家历史上具有里程碑意义的一年。以习近平同志为核心。", "", false},
		{"“打铁必须自身硬”。面对新征程新使命。", "", false},
		{"各位代表！过去一年很不平凡。", "", false},
		{"推动协同发展重点领域率先突破和一个特别长的标题超过限制。主动对接。", "", false},
	}
	for _, tt := range tests {
		got, ok := leadSentence(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("leadSentence(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCNNumbers(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 99; n++ {
		s := cnNumeral(n)
		got, ok := cnNumber(s)
		if !ok || got != n {
			t.Errorf("cnNumber(cnNumeral(%d) = %q) = %d, %v", n, s, got, ok)
		}
	}
	for _, bad := range []string{"", "十十", "一二", "二十十", "百", "两", "零", "一百", "十点五", "一〇"} {
		if n, ok := cnNumber(bad); ok {
			t.Errorf("cnNumber(%q) = %d, want not ok", bad, n)
		}
	}
}

// TestCNNumberShapes checks cnNumber on every string of up to four runes of
// 一…九, 十 and runes headings never number with: it accepts exactly what
// cnNumeral writes for 1 to 99, and 一十 to 一十九 for 10 to 19.
func TestCNNumberShapes(t *testing.T) {
	t.Parallel()
	want := map[string]int{}
	for n := 1; n <= 99; n++ {
		want[cnNumeral(n)] = n
		if n >= 10 && n <= 19 {
			want["一"+cnNumeral(n)] = n
		}
	}
	alpha := []rune("一二三四五六七八九十两零〇百点")
	var walk func(prefix []rune)
	walk = func(prefix []rune) {
		s := string(prefix)
		n, ok := cnNumber(s)
		if w, wok := want[s]; ok != wok || n != w {
			t.Errorf("cnNumber(%q) = %d, %v, want %d, %v", s, n, ok, w, wok)
		}
		if len(prefix) < 4 {
			for _, r := range alpha {
				walk(append(prefix, r))
			}
		}
	}
	walk(nil)
}

func TestStructureSeed2018(t *testing.T) {
	t.Parallel()
	r := loadSeed(t, "wuqing-2018-government-work-report")
	ps := Split(r, SplitOptions{})
	find := func(sub string) Passage {
		t.Helper()
		for _, p := range ps {
			if strings.Contains(p.Text, sub) {
				return p
			}
		}
		t.Fatalf("no passage contains %q", sub)
		return Passage{}
	}
	tests := []struct {
		sub        string
		wantPath   []string
		wantPeriod Period
	}{
		{"现在,我代表区人民政府", nil, Period{}},
		{"新增就业3.7万人", []string{"一、2017年工作回顾", "群众生活实现新改善"}, Period{2017, PeriodActual}},
		{"新增就业3.4万人", []string{"二、2018年主要任务", "(六)深入践行以人民为中心的发展思想,着力保障和改善民生", "高标准实施惠民工程"}, Period{2018, PeriodTarget}},
		{"牢固树立绿水青山就是金山银山理念", []string{"二、2018年主要任务", "(五)深入推进绿色发展,努力打造生态武清"}, Period{2018, PeriodTarget}},
		{"坚决打好污染防治攻坚战。", []string{"二、2018年主要任务", "(五)深入推进绿色发展,努力打造生态武清", "坚决打好污染防治攻坚战"}, Period{2018, PeriodTarget}},
		{"三、全面加强政府自身建设", []string{"三、全面加强政府自身建设"}, Period{2018, PeriodTarget}},
		{"旗帜鲜明讲政治", []string{"三、全面加强政府自身建设", "(一)坚持把政治建设摆在首位,牢固树立和自觉践行“四个意识”"}, Period{2018, PeriodTarget}},
	}
	for _, tt := range tests {
		p := find(tt.sub)
		if !slices.Equal(p.HeadingPath, tt.wantPath) || p.Period != tt.wantPeriod {
			t.Errorf("passage with %q: path %q, period %v; want %q, %v", tt.sub, p.HeadingPath, p.Period, tt.wantPath, tt.wantPeriod)
		}
	}
}

func TestStructureFragment(t *testing.T) {
	t.Parallel()
	r := loadSeed(t, "wuqing-later-report-fragment")
	for _, p := range Split(r, SplitOptions{}) {
		if p.Period.Year != 0 {
			t.Errorf("passage %d.%d has year %d, want 0", p.Paragraph, p.Part, p.Period.Year)
		}
	}
	ps := Split(r, SplitOptions{})
	if got, want := ps[0].HeadingPath, []string{"加强湿地保护修复"}; !slices.Equal(got, want) {
		t.Errorf("first path = %q, want %q", got, want)
	}
	heading := "(七)用心用情用力保障和改善民生,努力创造安居乐业的高品质生活"
	if got := ps[1]; got.Text != heading || !slices.Equal(got.HeadingPath, []string{heading}) {
		t.Errorf("heading-only passage = %q %q, want itself as its path", got.Text, got.HeadingPath)
	}
	if got, want := ps[3].HeadingPath, []string{heading, "提升就业服务质效"}; !slices.Equal(got, want) {
		t.Errorf("path = %q, want %q", got, want)
	}
}

func TestStructurePeriods(t *testing.T) {
	t.Parallel()
	paras := []string{
		"各位代表：",
		"一、过去五年工作回顾",
		"过去五年极不平凡。",
		"二、今年经济社会发展的总体要求和政策取向",
		"今年主要预期目标是。",
		"三、对今年政府工作的建议",
		"（一）一九五七年经济战线上的胜利",
		"工业总产值增长。",
		"四、关于外交工作",
		"我们坚持独立自主。",
	}
	tests := []struct {
		year int
		want []Period
	}{
		{2013, []Period{{}, {2012, PeriodActual}, {2012, PeriodActual}, {2013, PeriodTarget}, {2013, PeriodTarget},
			{2013, PeriodTarget}, {1957, PeriodActual}, {1957, PeriodActual}, {2013, PeriodTarget}, {2013, PeriodTarget}}},
		{0, []Period{{}, {0, PeriodActual}, {0, PeriodActual}, {0, PeriodTarget}, {0, PeriodTarget},
			{0, PeriodTarget}, {1957, PeriodUnknown}, {1957, PeriodUnknown}, {}, {}}},
	}
	for _, tt := range tests {
		for i, info := range structure(paras, tt.year) {
			if info.period != tt.want[i] {
				t.Errorf("report year %d: %q: period %v, want %v", tt.year, paras[i], info.period, tt.want[i])
			}
		}
	}
}

// loadSeed returns the bundled report with the given ID.
func loadSeed(t testing.TB, id string) Report {
	t.Helper()
	reports, problems, err := Default()
	if err != nil || len(problems) > 0 {
		t.Fatalf("Default() = %v, %v", problems, err)
	}
	for _, r := range reports {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no bundled report %q", id)
	return Report{}
}
