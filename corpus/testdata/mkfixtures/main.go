// Command mkfixtures writes the Word fixtures of corpus/testdata/formats
// from the bundled reports, and wraps a page image in an image-only PDF.
// scripts/fixtures.sh runs it, then LibreOffice and poppler for the rest.
//
//	go run ./corpus/testdata/mkfixtures docx REPORT.txt OUT.docx [cols]
//	go run ./corpus/testdata/mkfixtures table OUT.docx
//	go run ./corpus/testdata/mkfixtures scanpdf PAGE.jpg OUT.pdf
//	go run ./corpus/testdata/mkfixtures measure REPORT.txt COPY... (scripts/measure-formats.sh)
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image/color"
	"image/jpeg"
	"os"
	"regexp"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkfixtures:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: docx|table|scanpdf ...")
	}
	switch args[0] {
	case "docx":
		b, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		cols := len(args) > 3 && args[3] == "cols"
		return writeDocx(args[2], reportBody(string(b)), cols)
	case "measure":
		return measure(args[1], args[2:])
	case "table":
		return writeDocx(args[1], tableBody(), false)
	case "scanpdf":
		img, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return err
		}
		cs := "/DeviceRGB"
		if cfg.ColorModel == color.GrayModel {
			cs = "/DeviceGray"
		}
		return os.WriteFile(args[2], imagePDF(img, cfg.Width, cfg.Height, cs), 0o644)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

var (
	l1 = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	l2 = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[)）]`)
)

func esc(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// para writes one paragraph: headings in Heading styles, the title in
// Title, body paragraphs with a two-character first-line indent and no
// spacing between paragraphs, as printed reports are.
func para(style, text string) string {
	ppr := `<w:pPr><w:spacing w:after="0"/><w:ind w:firstLineChars="200" w:firstLine="420"/></w:pPr>`
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/><w:spacing w:after="0"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`
}

// reportBody is the report's lines as paragraphs; its title line is Title.
func reportBody(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasSuffix(line, "政府工作报告") && len([]rune(line)) < 30:
			b.WriteString(para("Title", line))
		case l1.MatchString(line) && len([]rune(line)) < 40:
			b.WriteString(para("Heading1", line))
		case l2.MatchString(line) && len([]rune(line)) < 40:
			b.WriteString(para("Heading2", line))
		default:
			b.WriteString(para("", line))
		}
	}
	return b.String()
}

// tableBody is a short report whose targets are a table.
func tableBody() string {
	row := func(cells ...string) string {
		var b strings.Builder
		b.WriteString("<w:tr>")
		for _, c := range cells {
			b.WriteString(`<w:tc><w:p><w:r><w:t>` + esc(c) + `</w:t></w:r></w:p></w:tc>`)
		}
		b.WriteString("</w:tr>")
		return b.String()
	}
	return para("Title", "某区2025年政府工作报告") +
		para("Heading1", "二、2025年主要任务") +
		para("", "2025年经济社会发展的主要预期目标如下表所示,各项工作将围绕这些目标全面推进,确保完成全年任务。") +
		`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>` +
		row("指标", "2025年目标", "2024年完成") +
		row("城镇新增就业", "3.4万人", "3.2万人") +
		row("地区生产总值增长", "5%左右", "5.2%") +
		`</w:tbl>` +
		para("", "全面完成上述目标任务,需要我们付出更加艰苦的努力,坚持稳中求进工作总基调。")
}

func writeDocx(out, body string, cols bool) error {
	colXML := ""
	if cols {
		colXML = `<w:cols w:num="2" w:space="425"/>`
	}
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + ns + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC"/><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>` +
			`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style></w:styles>`},
		{"word/header1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr ` + ns + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>武清区人民政府 政府工作报告</w:t></w:r></w:p></w:hdr>`},
		{"word/footer1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ` + ns + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + ns + `><w:body>` + body + `<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>` + colXML + `</w:sectPr></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// imagePDF is a one-page PDF of the JPEG img (w×h pixels) at 150
// dpi, with no text: a scanned page.
func imagePDF(img []byte, w, h int, colorSpace string) []byte {
	pw, ph := float64(w)*72/150, float64(h)*72/150
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", pw, ph),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", w, h, colorSpace, len(img), img),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
