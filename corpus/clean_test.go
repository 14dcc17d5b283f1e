package corpus

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const (
	seed2018     = "reports/wuqing-2018-government-work-report.txt"
	seedFragment = "reports/wuqing-later-report-fragment.txt"
)

func readSeed(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCleanSeed2018(t *testing.T) {
	t.Parallel()
	c := clean(readSeed(t, seed2018), "")
	text := c.text()
	for _, cruft := range []string{"IE版本", "当前位置", "分享到", "打印页面", "关闭页面", "附件", "来源:", "发布时间"} {
		if strings.Contains(text, cruft) {
			t.Errorf("cleaned text contains %q", cruft)
		}
	}
	if got, want := c.paras[0], "各位代表:"; got != want {
		t.Errorf("first paragraph = %q, want %q", got, want)
	}
	if got, want := c.paras[len(c.paras)-1], "各位代表,使命呼唤担当,使命引领未来。"; !strings.HasPrefix(got, want) {
		t.Errorf("last paragraph = %q, want it to start with %q", got, want)
	}
	if got, want := c.title, "武清区2018年政府工作报告"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got, want := c.publisher, "武清区人民政府办公室"; got != want {
		t.Errorf("publisher = %q, want %q", got, want)
	}
	if got, want := c.date, "2018-01-24"; got != want {
		t.Errorf("date = %q, want %q", got, want)
	}
	if strings.Contains(text, c.title) {
		t.Errorf("title line left in the body")
	}
	// Quotes and half-width punctuation stay as in the source.
	for _, verbatim := range []string{"“三个着力”", "现在,我代表区人民政府", "()深入推进绿色发展"} {
		if !strings.Contains(text, verbatim) {
			t.Errorf("cleaned text lost %q", verbatim)
		}
	}
	// Every body line of the source survives, trimmed.
	src := strings.Split(readSeed(t, seed2018), "\n")
	start := slices.IndexFunc(src, func(l string) bool { return strings.TrimSpace(l) == "各位代表:" })
	end := slices.IndexFunc(src, func(l string) bool { return strings.TrimSpace(l) == "附件:" })
	var want []string
	for _, l := range src[start:end] {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	if !slices.Equal(c.paras, want) {
		t.Errorf("cleaned paragraphs differ from the source body lines: got %d, want %d", len(c.paras), len(want))
	}
}

func TestCleanFragment(t *testing.T) {
	t.Parallel()
	src := readSeed(t, seedFragment)
	c := clean(src, "")
	if c.title != "" || c.publisher != "" || c.date != "" {
		t.Errorf("fragment metadata = %q, %q, %q, want none", c.title, c.publisher, c.date)
	}
	var want []string
	for _, l := range strings.Split(src, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	if !slices.Equal(c.paras, want) {
		t.Errorf("fragment paragraphs changed: got %d, want %d", len(c.paras), len(want))
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      []string
		wantTitle string
	}{
		{
			name: "crlf, full-width spaces, zero-width characters",
			in:   "\u3000\u3000各位代表：\r\n\r\n\u3000\u3000现在，我代表\u200b国务院。\r\n",
			want: []string{"各位代表：", "现在，我代表国务院。"},
		},
		{
			name: "blank-separated paragraphs joined across link breaks",
			in:   "各位代表：\n\n细颗粒物（PM\n2.5\n）平均浓度下降9.1%。\n\n“\n一带一路\n”建设进展快速。\n\n国内生产总值达到74.4\n\u200b\n万亿元。",
			want: []string{"各位代表：", "细颗粒物（PM2.5）平均浓度下降9.1%。", "“一带一路”建设进展快速。", "国内生产总值达到74.4万亿元。"},
		},
		{
			name: "headings are never joined",
			in:   "一、2021年工作回顾\n过去一年极不平凡。\n\n（一）着力稳定宏观经济大盘\n继续做好“六稳”工作。",
			want: []string{"一、2021年工作回顾", "过去一年极不平凡。", "（一）着力稳定宏观经济大盘", "继续做好“六稳”工作。"},
		},
		{
			name: "one paragraph per line without blank lines",
			in:   "加强湿地保护修复。扎实推进。\n(七)用心用情用力保障和改善民生\n深入践行以人民为中心的发展思想\n提升就业服务质效。深入实施。",
			want: []string{"加强湿地保护修复。扎实推进。", "(七)用心用情用力保障和改善民生", "深入践行以人民为中心的发展思想", "提升就业服务质效。深入实施。"},
		},
		{
			name:      "navigation before the title and a breadcrumb",
			in:        "首页 > 政务公开 > 规划计划\n\n网站导航\n\n某市2020年政府工作报告\n\n发布日期：2020年1月9日 浏览次数：1024\n\n各位代表：\n\n现在报告工作。",
			want:      []string{"各位代表：", "现在报告工作。"},
			wantTitle: "某市2020年政府工作报告",
		},
		{
			name: "tail cruft: links, licence, labels, lone symbols",
			in:   "各位代表：\n\n为全面建成小康社会而努力奋斗！\n\n附件：\n\n上一篇：无\n\n返回顶部\n\n版权所有 © 某市人民政府\n\n|\n\nfalse",
			want: []string{"各位代表：", "为全面建成小康社会而努力奋斗！"},
		},
		{
			name: "short lines inside the body stay",
			in:   "各位代表：\n\n返回顶部的按钮不在这里。\n\n结束语\n\n让我们共同奋斗！\n\n某市人民政府\n\n2020年1月9日",
			want: []string{"各位代表：", "返回顶部的按钮不在这里。", "结束语", "让我们共同奋斗！", "某市人民政府", "2020年1月9日"},
		},
		{
			name: "only cruft",
			in:   "IE版本小于11,请升级IE版本! x\n当前位置:\n分享到:\n【打印页面】 【关闭页面】",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := clean(tt.in, "")
			if !slices.Equal(c.paras, tt.want) {
				t.Errorf("clean() paragraphs =\n%q\nwant\n%q", c.paras, tt.want)
			}
			if c.title != tt.wantTitle {
				t.Errorf("clean() title = %q, want %q", c.title, tt.wantTitle)
			}
		})
	}
}
