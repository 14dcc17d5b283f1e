package corpus

import (
	"strings"
	"testing"
)

func TestParseMetaLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line          string
		wantMeta      bool
		wantPublisher string
		wantDate      string
	}{
		{"来源:  武清区人民政府办公室 发布时间: 2018-01-24 00:00", true, "武清区人民政府办公室", "2018-01-24"},
		{"信息来源：市政府办公厅　发布日期：2020年1月9日　浏览次数：1024", true, "市政府办公厅", "2020-01-09"},
		{"发布时间：2019/3/5 来源：新华社", true, "新华社", "2019-03-05"},
		{"时间：2021.02.30", true, "", ""}, // no 30 February
		{"来源于基层的创新做法。", false, "", ""},
		{"各位代表：", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			if got := isMetaLine(tt.line); got != tt.wantMeta {
				t.Fatalf("isMetaLine() = %v, want %v", got, tt.wantMeta)
			}
			if !tt.wantMeta {
				return
			}
			var c cleaned
			c.parseMetaLine(tt.line)
			if c.publisher != tt.wantPublisher || c.date != tt.wantDate {
				t.Errorf("parseMetaLine() = %q, %q, want %q, %q", c.publisher, c.date, tt.wantPublisher, tt.wantDate)
			}
		})
	}
}

func TestFindDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"2018-01-24 00:00", "2018-01-24"},
		{"——2022年3月5日在第十三届全国人民代表大会第五次会议上", "2022-03-05"},
		{"（2021年3月11日第十三届全国人民代表大会第四次会议通过）", "2021-03-11"},
		{"2018年政府工作报告", ""},
		{"12018-01-24", ""},
		{"2018-13-01", ""},
		{"2018-1-2x", "2018-01-02"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := findDate(tt.in); got != tt.want {
			t.Errorf("findDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitleYear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"武清区2018年政府工作报告", 2018},
		{"2022年中华人民共和国国务院政府工作报告", 2022},
		{"一、１９９１年国内工作的回顾", 1991},
		{"（一）一九五七年经济战线上的胜利", 1957},
		{"第十四届全国人民代表大会第三次会议关于政府工作报告的决议", 0},
		{"wuqing-2018-government-work-report", 0},
		{"新增就业3.4万人", 0},
		{"12018年", 0},
		{"1850年", 0},
	}
	for _, tt := range tests {
		if got := titleYear(tt.in); got != tt.want {
			t.Errorf("titleYear(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseSidecar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    sidecar
		wantErr string
	}{
		{
			name: "all keys",
			in:   "---\n# metadata\ntitle: 武清区2023年政府工作报告\npublisher: \"武清区人民政府\"\npublish_date: 2023-01-10\nyear: 2023\nurl: 'https://example.org/a?b=1#c'\n",
			want: sidecar{title: "武清区2023年政府工作报告", publisher: "武清区人民政府", publishDate: "2023-01-10", year: 2023, url: "https://example.org/a?b=1#c"},
		},
		{
			name: "comments and empty values",
			in:   "title: 报告 # a comment\nyear:\n\npublisher: ''\n",
			want: sidecar{title: "报告"},
		},
		{name: "empty file", in: "", want: sidecar{}},
		{name: "only comments", in: "# nothing yet\n---\n", want: sidecar{}},
		{name: "null values", in: "title: ~\nyear: null\npublish_date:\n", want: sidecar{}},
		{name: "document end", in: "year: 2018年\n...\n", want: sidecar{year: 2018}},
		{name: "unknown key", in: "title: x\nauthor: y\n", wantErr: `r.meta.yaml:2: unknown key "author" (known keys: title, publisher, publish_date, year, url)`},
		{name: "unknown keys", in: "author: y\ntitle: x\nlang: zh\n", wantErr: `r.meta.yaml:1: unknown key "author" (known keys: title, publisher, publish_date, year, url); r.meta.yaml:3: unknown key "lang"`},
		{name: "misspelt key", in: "publish-date: 2018-01-24\n", wantErr: `r.meta.yaml:1: unknown key "publish-date"`},
		{name: "repeated key", in: "year: 2018\nyear: 2019\n", wantErr: `r.meta.yaml:2: key "year" repeated (first at line 1)`},
		{name: "bad year", in: "year: twenty\n", wantErr: `r.meta.yaml:1: year "twenty" is not a year`},
		{name: "year out of range", in: "title: x\nyear: 18\n", wantErr: `r.meta.yaml:2: year "18" is not a year between 1949 and 2100`},
		{name: "year before 1949", in: "year: 1937\n", wantErr: "not a year"},
		{name: "bad date", in: "publish_date: 24/01/2018\n", wantErr: `r.meta.yaml:1: publish_date "24/01/2018" is not a date`},
		{name: "first bad value", in: "year: 20\npublish_date: x\n", wantErr: `r.meta.yaml:1: year "20"`},
		{name: "nested", in: "title:\n  zh: 报告\n", wantErr: "r.meta.yaml:2: title: indented"},
		{name: "no colon", in: "title 报告\n", wantErr: "r.meta.yaml:1: want \"key: value\""},
		{name: "list", in: "- title: x\n", wantErr: "r.meta.yaml:1: want \"key: value\" lines, got a seq"},
		{name: "flow value", in: "title: [a, b]\n", wantErr: "r.meta.yaml:1: title: only plain or quoted"},
		{name: "block scalar", in: "title: |\n  报告\n", wantErr: "r.meta.yaml:1: title: only plain or quoted values are allowed, got a block scalar"},
		{name: "unterminated quote", in: "title: \"报告\n", wantErr: "r.meta.yaml:2: invalid YAML"},
		{name: "text after quote", in: "title: \"报告\" x\n", wantErr: "r.meta.yaml: invalid YAML"},
		{name: "tab indent", in: "\ttitle: x\n", wantErr: "invalid YAML"},
		{name: "two documents", in: "title: x\n---\ntitle: y\n", wantErr: "r.meta.yaml:2: a second YAML document"},
		{name: "malformed second document", in: "title: x\n---\ntitle: \"y\n", wantErr: "r.meta.yaml:3: invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseSidecar("r.meta.yaml", tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseSidecar() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseSidecar() error = %v", err)
			}
			if got != tt.want {
				t.Errorf("parseSidecar() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
