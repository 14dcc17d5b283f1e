package corpus

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      []string // paragraphs after cleaning
		wantTitle string   // <title>
	}{
		{
			name: "entities",
			in:   "<p>&ldquo;通武廊&rdquo;&#12290;A&amp;B&#x3002;&nbsp;&lt;x&gt;</p>",
			want: []string{"“通武廊”。A&B。 <x>"},
		},
		{
			name: "script, style, noscript and comments removed",
			in:   "<script>var s = '<p>不是正文。</p>';</script><STYLE>p{}</STYLE><!-- <p>注释。</p> --><noscript>请启用脚本。</noscript><p>正文。</p>",
			want: []string{"正文。"},
		},
		{
			name: "blocks and br break paragraphs, inline elements do not",
			in:   "<div>第一段<b>加粗</b>文字。</div><p>第二段。<br/>第三段，<br>接着第三段。</p><ul><li>第四段。</li></ul>",
			want: []string{"第一段加粗文字。", "第二段。", "第三段，接着第三段。", "第四段。"},
		},
		{
			name: "whitespace in text collapses, pre keeps lines",
			in:   "<p>\n  各位代表：\n</p><pre>甲。\n乙。</pre>",
			want: []string{"各位代表：", "甲。", "乙。"},
		},
		{
			name:      "title and quoted '>' in attributes",
			in:        "<html><head><title>某市2020年政府工作报告_某市人民政府</title></head><body><a title=\"a>b\" href='x>y'>正文。</a></body></html>",
			want:      []string{"正文。"},
			wantTitle: "某市2020年政府工作报告_某市人民政府",
		},
		{
			name: "unclosed script and stray '<'",
			in:   "<p>甲 < 乙。</p><script>never closed",
			want: []string{"甲 < 乙。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text, title := htmlToText(tt.in)
			got := clean(text, "").paras
			if !slices.Equal(got, tt.want) {
				t.Errorf("paragraphs = %q, want %q", got, tt.want)
			}
			if title != tt.wantTitle {
				t.Errorf("title = %q, want %q", title, tt.wantTitle)
			}
		})
	}
}

func TestHTMLPage(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/page.html")
	if err != nil {
		t.Fatal(err)
	}
	text, title := htmlToText(string(b))
	if got, want := htmlTitleHint(title), "武清区2018年政府工作报告"; got != want {
		t.Errorf("htmlTitleHint() = %q, want %q", got, want)
	}
	c := clean(text, htmlTitleHint(title))
	want := []string{
		"各位代表：",
		"现在，我代表区人民政府向大会报告政府工作，请予审议，并请区政协各位委员和其他列席人员提出意见。",
		"一、2017年工作回顾",
		"融入协同发展取得新成效。发挥“通武廊”地区“小京津冀”的独特作用， 新增北京项目1290个。A&B合作。",
		"推动区域环境信息共享。",
		"二、2018年主要任务",
		"（一）深入落实重大国家战略，坚定不移推进京津冀协同发展。坚持把协同发展作为政治之责。",
	}
	if !slices.Equal(c.paras, want) {
		t.Errorf("paragraphs =\n%q\nwant\n%q", c.paras, want)
	}
	if c.title != "武清区2018年政府工作报告" || c.publisher != "武清区人民政府办公室" || c.date != "2018-01-24" {
		t.Errorf("metadata = %q, %q, %q", c.title, c.publisher, c.date)
	}
	for _, bad := range []string{"脚本", "注释", "不是正文", "JavaScript", "首页", "打印", "版权"} {
		if strings.Contains(c.text(), bad) {
			t.Errorf("text contains %q", bad)
		}
	}
}

func TestMarkdownToText(t *testing.T) {
	t.Parallel()
	in := "# 某市2020年政府工作报告\n\n各位代表：\n\n## 一、2019年工作回顾\n\n> **融入协同发展取得新成效。**发挥[“通武廊”](https://example.org)作用。![图](a.png)\n\n- 新增就业3.4万人。\n"
	text, title := markdownToText(in)
	if title != "某市2020年政府工作报告" {
		t.Errorf("title = %q", title)
	}
	got := clean(text, title).paras
	want := []string{"各位代表：", "一、2019年工作回顾", "融入协同发展取得新成效。发挥“通武廊”作用。", "新增就业3.4万人。"}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}
