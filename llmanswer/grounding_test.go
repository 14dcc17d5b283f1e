package llmanswer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/query"
)

func TestParseChineseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"三十四万", 340000, true},
		{"十二", 12, true},
		{"一百二十", 120, true},
		{"一百零五", 105, true},
		{"五点五", 5.5, true},
		{"一万二千", 12000, true},
		{"一亿二千万", 120000000, true},
		{"三万亿", 3e12, true},
		{"两千", 2000, true},
		{"十三五", 0, false},
		{"三五", 0, false},
		{"万", 0, false},
		{"千", 0, false},
		{"点五", 0, false},
	}
	for _, tt := range tests {
		got, ok := hanzi.ParseNumber(tt.in)
		if ok != tt.ok || ok && !answer.CloseEnough(got, tt.want) {
			t.Errorf("hanzi.ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFigures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // value/unit pairs
	}{
		{"新增就业3.4万人", []string{"34000/"}},
		{"增长5.5%左右", []string{"5.5/%"}},
		{"增长５．５％", []string{"5.5/%"}},
		{"下降0.5个百分点", []string{"0.5/pp"}},
		{"34,000 new jobs and 2.5 percent growth", []string{"34000/", "2.5/%"}},
		{"1.2万亿元", []string{"1.2e+12/"}},
		{"3.4 million", []string{"3.4e+06/"}},
		{"三十四万人,百分之五", []string{"340000/", "5/%"}},
		{"一是加快发展,千方百计", nil},
		{"见[1][2]和【3】", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range answer.Figures(tt.in) {
			got = append(got, fmt.Sprintf("%g/%s", f.Value, f.Unit))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("figures(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestCheckGrounding(t *testing.T) {
	t.Parallel()
	sources := []string{
		"report: 武清区2018年政府工作报告 (2018)\n完善就业创业服务体系,新增就业3.4万人。",
		"report: 武清区2018年政府工作报告 (2018)\n新增就业3.7万人,基本医疗参保率超过95%。",
		// A footnote marker inside a figure, read as the reply reads it.
		"report: 武清区2018年政府工作报告 (2018)\n居民收入增长6[9]%。",
	}
	tests := []struct {
		answer          string
		wantText        string
		wantCited       []int
		wantBad         []int
		wantUnsupported []string
	}{
		{"2018年新增就业3.4万人[1]。", "2018年新增就业3.4万人[1]。", []int{1}, nil, nil},
		{"The target is 34,000 (3.4万) jobs [1].", "The target is 34,000 (3.4万) jobs [1].", []int{1}, nil, nil},
		{"新增就业3.4万人 [1, 2]。", "新增就业3.4万人 [1][2]。", []int{1, 2}, nil, nil},
		{"新增就业3.4万人[7]。", "新增就业3.4万人。", nil, []int{7}, []string{"3.4万"}},
		{"新增就业5.2万人[1]。", "新增就业5.2万人[1]。", []int{1}, nil, []string{"5.2万"}},
		{"参保率超过95%[1]。", "参保率超过95%[1]。", []int{1}, nil, []string{"95%"}},
		{"参保率超过95%[2],就业3.7万[2]。", "参保率超过95%[2],就业3.7万[2]。", []int{2}, nil, nil},
		{"新增就业3.4万人【1】", "新增就业3.4万人[1]", []int{1}, nil, nil},
		{"居民收入增长6[9]%[3]。", "居民收入增长6%[3]。", []int{3}, []int{9}, nil},
		{"居民收入增长6%[3]。", "居民收入增长6%[3]。", []int{3}, nil, nil},
		{"居民收入增长9%[3]。", "居民收入增长9%[3]。", []int{3}, nil, []string{"9%"}},
	}
	for _, tt := range tests {
		g := checkGrounding(tt.answer, sources)
		if g.Text != tt.wantText || !slices.Equal(g.Cited, tt.wantCited) || !slices.Equal(g.BadCitations, tt.wantBad) || !slices.Equal(g.Unsupported, tt.wantUnsupported) {
			t.Errorf("checkGrounding(%q) = text %q cited %v bad %v unsupported %v; want %q %v %v %v",
				tt.answer, g.Text, g.Cited, g.BadCitations, g.Unsupported, tt.wantText, tt.wantCited, tt.wantBad, tt.wantUnsupported)
		}
		if (g.problems() == "") != (len(tt.wantUnsupported) == 0 && len(tt.wantCited) > 0) {
			t.Errorf("problems(%q) = %q", tt.answer, g.problems())
		}
	}
}

func TestTidySpaces(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"新增就业3.4万人 。", "新增就业3.4万人。"},
		{"target 3.4 , met .", "target 3.4, met."},
		{"a  b   c", "a b c"},
		{"0 .1", "0 .1"},     // joining would invent the figure 0.1
		{"5 ,000", "5 ,000"}, // and this one 5,000
		{"  x  ", "x"},
	}
	for _, tt := range tests {
		if got := tidySpaces(tt.in); got != tt.want {
			t.Errorf("tidySpaces(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsNotFoundReply(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"NOT_FOUND": true, " `NOT_FOUND` ": true, "NOT_FOUND.": true,
		"新增就业3.4万人[1]": false, "NOT_FOUND is a token; the answer is 3.4万 [1] with a long explanation after it": false,
	} {
		if got := isNotFoundReply(in); got != want {
			t.Errorf("isNotFoundReply(%q) = %v", in, got)
		}
	}
}

func TestNotFoundFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pieces []string
		want   string
	}{
		{[]string{"NOT", "_FO", "UND"}, ""},
		{[]string{"No", "t really: 3.4万"}, "Not really: 3.4万"},
		{[]string{"新增", "就业"}, "新增就业"},
	}
	for _, tt := range tests {
		var b strings.Builder
		f := &notFoundFilter{out: func(s string) { b.WriteString(s) }}
		for _, p := range tt.pieces {
			f.write(p)
		}
		if b.String() != tt.want {
			t.Errorf("%q streamed %q; want %q", tt.pieces, b.String(), tt.want)
		}
	}
}

func FuzzFigures(f *testing.F) {
	for _, s := range []string{"新增就业3.4万人", "百分之五点五", "1,234.5 million", "一亿二千万", "[1]【2】", "３．４万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fg := range answer.Figures(s) {
			if fg.Value < 0 || fg.Raw == "" {
				t.Fatalf("figures(%q): bad figure %+v", s, fg)
			}
			if !fg.Matches(fg) {
				t.Fatalf("figure %+v does not match itself", fg)
			}
		}
		// A figure always supports itself: the answer that copies a
		// source verbatim, cited, is grounded.
		g := checkGrounding(s+"[1]", []string{s})
		if len(g.Unsupported) > 0 {
			t.Fatalf("verbatim %q flagged %v", s, g.Unsupported)
		}
	})
}

// TestNamesIndicator: a model answer to a figure question must name one of
// the indicators asked about.
func TestNamesIndicator(t *testing.T) {
	t.Parallel()
	q := query.Analyze("2025年粮食产量是多少?", nil, nil)
	for _, tt := range []struct {
		reply string
		ok    bool
	}{
		{"2025年粮食产量达到1300万吨[1]。", true},
		{"改造管网3656公里[1]。", false},
	} {
		g := grounding{Text: tt.reply}
		g.namesIndicator(q)
		if ok := len(g.OtherIndicator) == 0; ok != tt.ok || (!ok && !strings.Contains(g.problems(), "粮食")) {
			t.Errorf("namesIndicator(%q): other %v, problems %q; want ok %v", tt.reply, g.OtherIndicator, g.problems(), tt.ok)
		}
	}
}
