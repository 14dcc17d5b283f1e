package corpus

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestJoinWords(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"新增就业", "3.4", "万人"}, "新增就业3.4万人"},
		{[]string{"武清区", "2018", "年政府工作报告"}, "武清区2018年政府工作报告"},
		{[]string{"GDP", "growth", "of", "5%"}, "GDP growth of 5%"},
		{[]string{"增长", "5%", "左右"}, "增长5%左右"},
		{[]string{"下", ",凝心"}, "下,凝心"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := joinWords(tt.words); got != tt.want {
			t.Errorf("joinWords(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestAppendLine(t *testing.T) {
	tests := []struct{ para, line, want string }{
		{"坚持把协同发展作为政治之责、", "发展之要", "坚持把协同发展作为政治之责、发展之要"},
		{"sustainable develop-", "ment of the region", "sustainable development of the region"},
		{"the Beijing-", "Tianjin corridor", "the Beijing-Tianjin corridor"},
		{"the economy", "grew", "the economy grew"},
		{"新增就业", "3.4万人", "新增就业3.4万人"},
	}
	for _, tt := range tests {
		var b strings.Builder
		b.WriteString(tt.para)
		appendLine(&b, tt.line)
		if b.String() != tt.want {
			t.Errorf("appendLine(%q, %q) = %q, want %q", tt.para, tt.line, b.String(), tt.want)
		}
	}
}

func TestIsPageNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"3": true, "- 3 -": true, "— 12 —": true, "第3页": true, "第 3 页 共 7 页": true, "3/7": true,
		"Page 3": true, "Page 3 of 7": true, "2018年": false, "一、2017年工作回顾": false, "3.4万人": false,
	} {
		if got := isPageNumber(s); got != want {
			t.Errorf("isPageNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// pline makes a one-line block at (x0,y) to x1 with the given words.
func pline(x0, x1, y float64, words ...string) pdfLine {
	return pdfLine{x0: x0, y0: y, x1: x1, y1: y + 12, words: words}
}

func TestRebuildPDF(t *testing.T) {
	page := func(lines ...pdfLine) pdfPage {
		return pdfPage{w: 600, h: 800, blocks: []pdfBlock{{x0: 50, x1: 550, lines: lines}}}
	}
	header := pline(200, 400, 30, "武清区人民政府", "政府工作报告")
	pages := []pdfPage{
		page(header,
			pline(50, 300, 100, "一、2018", "年主要任务"),
			pline(74, 550, 115, "完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,"),
			pline(50, 550, 130, "加强技能培训和创业指导服务,新增就业", "3.4", "万人。完善就业创业服务体系,建成蓝领"),
			pline(50, 551, 145, "实训中心,加强技能培训和创业指导服务,完善就业创业服务体系,建成蓝领实训中心"),
			pline(290, 310, 760, "-", "1", "-")),
		page(header,
			pline(50, 200, 100, "服务。"),
			pline(74, 550, 115, "第二段开始。"),
			pline(290, 310, 760, "-", "2", "-")),
	}
	got := rebuildPDF(pages)
	want := []pagePara{
		{"一、2018年主要任务", 1},
		{"完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,加强技能培训和创业指导服务,新增就业3.4万人。完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,完善就业创业服务体系,建成蓝领实训中心服务。", 1},
		{"第二段开始。", 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("rebuildPDF =\n%v\nwant\n%v", got, want)
	}
}

func TestTableRows(t *testing.T) {
	got := tableRows([][]string{{"指标", "2025年目标", "2024年完成"}, {"城镇新增就业", "3.4万人", ""}, {"", "", ""}})
	want := []string{"指标 | 2025年目标 | 2024年完成", "城镇新增就业 | 2025年目标：3.4万人 | "}
	if !slices.Equal(got, want) {
		t.Errorf("tableRows = %q, want %q", got, want)
	}
}

func TestPageAt(t *testing.T) {
	r := Report{Pages: []int{0, 100, 100, 250}, OCRPages: []int{4}}
	for off, want := range map[int]int{0: 1, 99: 1, 100: 3, 249: 3, 250: 4, 9999: 4} {
		if got := r.PageAt(off); got != want {
			t.Errorf("PageAt(%d) = %d, want %d", off, got, want)
		}
	}
	if (Report{}).PageAt(5) != 0 || r.Scanned(10) || !r.Scanned(300) {
		t.Error("PageAt or Scanned wrong without pages or for an OCR page")
	}
}

func TestPageStarts(t *testing.T) {
	raw := []pagePara{{"标题", 1}, {"第一段 1 9 9 7 年", 1}, {"第二段", 2}, {"第三段", 4}}
	paras := []string{"第一段1997年", "第二段", "第三段"} // title taken out by cleaning
	got := pageStarts(raw, paras, 4)
	want := []int{0, 9, 13, 13}
	if !slices.Equal(got, want) {
		t.Errorf("pageStarts = %v, want %v", got, want)
	}
}

// docx builds a .docx archive with the given document.xml body.
func docx(t testing.TB, body string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	zw.Close()
	return b.Bytes()
}

func TestDocxText(t *testing.T) {
	p := func(style, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	cell := func(s string) string { return `<w:tc>` + p("", s) + `</w:tc>` }
	body := p("Title", "某区2025年政府工作报告") + p("", "正文<w:t>续</w:t>") +
		`<w:p><w:r><w:t>删</w:t></w:r><w:del><w:r><w:delText>去</w:delText></w:r></w:del><w:r><w:tab/><w:t>后</w:t></w:r></w:p>` +
		`<w:tbl><w:tr>` + cell("指标") + cell("2025年目标") + `</w:tr><w:tr>` + cell("城镇新增就业") +
		`<w:tc><w:tbl><w:tr>` + cell("3.4万人") + `</w:tr></w:tbl></w:tc></w:tr></w:tbl>`
	paras, title, err := docxText(docx(t, body))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"某区2025年政府工作报告", "正文续", "删 后", "指标 | 2025年目标", "城镇新增就业 | 2025年目标：3.4万人"}
	if title != "某区2025年政府工作报告" || !slices.Equal(paras, want) {
		t.Errorf("docxText = %q, %q; want %q", paras, title, want)
	}
}

// TestDocxBounds refuses a document.xml that inflates beyond the bound
// and an archive that is not a Word document.
func TestDocxBounds(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	zeros := make([]byte, 1<<20)
	for range maxDocxXMLBytes>>20 + 1 {
		w.Write(zeros)
	}
	zw.Close()
	for name, data := range map[string][]byte{"bomb": b.Bytes(), "not zip": []byte("plain text"), "no document": docxWithout(t)} {
		if _, _, err := docxText(data); !errors.Is(err, ErrConvert) {
			t.Errorf("%s: error %v, want ErrConvert", name, err)
		}
	}
}

func docxWithout(t *testing.T) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("other.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>"))
	zw.Close()
	return b.Bytes()
}

func TestOCRParagraphs(t *testing.T) {
	got := ocrParagraphs("新 增 就 业 3.4 万 人 ,\n完 成 任 务 。\n\n一 1 一\n\n第 二 段\n")
	want := []string{"新增就业3.4万人,完成任务。", "第二段"}
	if !slices.Equal(got, want) {
		t.Errorf("ocrParagraphs = %q, want %q", got, want)
	}
}

func TestInsertPage(t *testing.T) {
	paras := []pagePara{{"a", 1}, {"b", 1}, {"d", 3}}
	got := insertPage(paras, 2, []string{"c1", "c2"})
	want := []pagePara{{"a", 1}, {"b", 1}, {"c1", 2}, {"c2", 2}, {"d", 3}}
	if !slices.Equal(got, want) {
		t.Errorf("insertPage = %v, want %v", got, want)
	}
	if got := insertPage(nil, 1, []string{"x"}); !slices.Equal(got, []pagePara{{"x", 1}}) {
		t.Errorf("insertPage into nothing = %v", got)
	}
}
