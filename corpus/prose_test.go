package corpus

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// navPage is a navigation-only page of a government website: a menu,
// breadcrumbs, a side menu, a list of links to reports (which mention
// 报告 and dates, as titles do), pagination and a footer. No report text.
const navPage = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府工作报告_某市人民政府门户网站</title>
<script>var x = "<p>脚本。</p>";</script></head>
<body>
<div class="top"><a href="/">网站首页</a> | <a href="/en/">English</a> | <a href="/wza/">无障碍浏览</a></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/xwzx/">新闻中心</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjms/">走进某市</a></li></ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府工作报告</div>
<div class="side"><h3>政府信息公开</h3>
<ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>法定主动公开内容</li><li>政府信息公开年报</li></ul></div>
<ul class="list">
<li><a href="/a/2023.html">2023年某市政府工作报告</a><span>2023-01-15</span></li>
<li><a href="/a/2022.html">2022年某市政府工作报告</a><span>2022-01-12</span></li>
<li><a href="/a/2021.html">2021年某市政府工作报告</a><span>2021-01-20</span></li>
<li><a href="/a/2020.html">2020年某市政府工作报告</a><span>2020-01-08</span></li>
</ul>
<div class="page">共1页 首页 上一页 1 下一页 尾页</div>
<div class="foot"><p>网站地图 | 联系我们 | 网站声明</p>
<p>主办单位：某市人民政府办公室 承办单位：某市大数据中心</p><p>版权所有：某市人民政府 ICP备12345678号</p></div>
</body></html>`

// TestLoadNoText checks that files without report text (navigation,
// menus, link lists) are skipped as ErrNoText, and that short real text,
// however small, is still a report.
func TestLoadNoText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, data string
		want             error // nil: loaded as a report
	}{
		{"navigation page", "nav.html", navPage, ErrNoText},
		{"menu only", "menu.html", "<ul><li>政务公开</li><li>新闻中心</li><li>办事服务</li><li>互动交流</li></ul>", ErrNoText},
		{"link list in text", "links.txt", "2023年政府工作报告\n2022年政府工作报告\n2021年政府工作报告\n政府信息公开指南", ErrNoText},
		{"one notice among many links", "notice.html", "<p>欢迎访问本网站！</p>" +
			"<ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>法定主动公开内容</li><li>政府信息公开年报</li>" +
			"<li>政策文件</li><li>规划计划</li><li>财政预决算</li><li>人事信息</li><li>统计信息</li><li>应急管理</li></ul>", ErrNoText},
		{"a browser warning is no sentence", "warn.html", "<p>建议使用IE9以上浏览器浏览本站。</p><p>政务公开</p><p>新闻中心</p>", ErrNoText},
		{"navigation JSONL line", "nav.jsonl", `{"title": "栏目", "content": "政务公开\n新闻中心\n办事服务"}`, ErrNoText},
		{"one sentence", "one.txt", "甲报告正文。", nil},
		{"headings and sentences", "h.txt", "某市2021年政府工作报告\n\n一、2020年工作回顾\n\n全年新增就业5.2万人。\n\n二、2021年主要任务\n\n新增就业6万人以上。\n", nil},
		{"salutation and a sentence", "s.txt", "某县2019年政府工作报告\n\n各位代表：\n\n报告正文。", nil},
		{"ASCII full stop", "ascii.txt", "新增就业6万人以上.", nil},
		{"English", "en.md", "# Report on the Work of the Government\n\nFellow Deputies,\n\nThe economy grew by 5.2 percent in 2023. Employment was stable", nil},
		{"report page with a sidebar", "page.html", "<h1>某区2021年政府工作报告</h1><p>各位代表：</p>" +
			"<p>现在，我代表区人民政府向大会报告政府工作，请予审议。全年新增就业5.2万人，城镇调查失业率控制在5.5%以内。</p>" +
			"<ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>法定主动公开内容</li><li>政府信息公开年报</li></ul>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reports, problems, err := Load(fstest.MapFS{tt.file: {Data: []byte(tt.data)}}, ".", LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if len(reports) != 1 || len(problems) != 0 {
					t.Fatalf("got %d reports, problems %v; want the report", len(reports), problems)
				}
				return
			}
			if len(reports) != 0 || len(problems) != 1 || !errors.Is(problems[0].Err, tt.want) {
				t.Fatalf("got reports %+v, problems %v; want one %v problem", reports, problems, tt.want)
			}
			if src := problems[0].Source; src != tt.file && src != tt.file+":1" {
				t.Errorf("problem source = %q, want %q", src, tt.file)
			}
		})
	}
}

func TestHasLatinStop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"The economy grew.", true},
		{"It grew. Then it grew again", true},
		{"新增就业6万人以上.", true},
		{"增长2.5%", false},
		{"www.gov.cn", false},
		{"No. 3", true}, // an abbreviation looks like a sentence end
		{"No.3", false},
		{"1. 首页", false},
		{"in 2023. Employment", true},
		{".", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := hasLatinStop(tt.in); got != tt.want {
			t.Errorf("hasLatinStop(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestNoTextErrorAsIfReadWhole checks that noTextError, which stops
// reading once enough of the text is sentences, answers as reading every
// paragraph does.
func TestNoTextErrorAsIfReadWhole(t *testing.T) {
	t.Parallel()
	whole := func(paras []string) error {
		var all, prose, sentences int
		for _, p := range paras {
			n := runeLen(p)
			all += n
			if isProse(p) {
				prose += n
				sentences++
			}
		}
		if float64(prose) >= minProseShare*float64(all) {
			return nil
		}
		if sentences == 0 {
			return fmt.Errorf("%w: no sentence in %s", ErrNoText, plural(len(paras), "paragraph"))
		}
		return fmt.Errorf("%w: sentences are %d%% of the text, want at least %.0f%%", ErrNoText, prose*100/all, minProseShare*100)
	}
	sentence, menu := "全年新增就业3.4万人。", "首页 | 新闻 | 政务公开 | 办事服务 | 互动交流"
	for _, paras := range [][]string{
		{sentence},
		{menu},
		{menu, menu, menu, sentence},
		{menu, menu, menu, menu, sentence},
		{sentence, menu, menu, menu, menu, menu, menu},
		{"", sentence, "", menu},
		{"一、总体要求", sentence, "二、主要任务", sentence},
		{strings.Repeat(menu, 10), sentence, sentence},
	} {
		got, want := noTextError(paras), whole(paras)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("noTextError(%q) = %v, want %v", paras, got, want)
		}
	}
}
