package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPDFLayout parses pdftotext -bbox-layout output and rebuilds its
// paragraphs: no panic, paragraphs non-empty, trimmed and valid UTF-8
// for valid input, pages in order and within the document.
func FuzzPDFLayout(f *testing.F) {
	f.Add(`<html><body><doc><page width="600" height="800"><flow><block xMin="50" yMin="100" xMax="550" yMax="140">` +
		`<line xMin="50" yMin="100" xMax="550" yMax="112"><word xMin="50" yMin="100" xMax="90" yMax="112">新增就业</word><word>3.4</word><word>万人</word></line>` +
		`<line xMin="50" yMin="115" xMax="300" yMax="127"><word>develop-</word></line></block></flow></page>` +
		`<page width="600" height="800"><flow><block><line xMin="290" yMin="760" xMax="310" yMax="772"><word>- 2 -</word></line></block></flow></page></doc></body></html>`)
	f.Add(`<page><line><word>&amp;x</word></line><block><line><word>a</word></line></block>`)
	f.Fuzz(func(t *testing.T, s string) {
		pages, err := parseBBox(strings.NewReader(s))
		if err != nil {
			return
		}
		prev := 0
		for _, p := range rebuildPDF(pages) {
			if p.text == "" || p.text != strings.TrimSpace(p.text) {
				t.Fatalf("paragraph %q empty or not trimmed", p.text)
			}
			if utf8.ValidString(s) && !utf8.ValidString(p.text) {
				t.Fatalf("paragraph %q not valid UTF-8", p.text)
			}
			if p.page < prev || p.page < 1 || p.page > len(pages) {
				t.Fatalf("page %d after %d of %d", p.page, prev, len(pages))
			}
			prev = p.page
		}
	})
}

// FuzzDocx reads arbitrary bytes as a .docx, and arbitrary XML as its
// document.xml: an error wraps ErrConvert, paragraphs are trimmed and
// non-empty.
func FuzzDocx(f *testing.F) {
	f.Add([]byte("PK\x03\x04"), `<w:p><w:r><w:t>正文</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	f.Fuzz(func(t *testing.T, b []byte, body string) {
		if _, _, err := docxText(b); err != nil && !strings.Contains(err.Error(), ErrConvert.Error()) {
			t.Fatalf("docxText error %v does not wrap ErrConvert", err)
		}
		paras, _, err := docxText(docx(t, body))
		if err != nil {
			return
		}
		for _, p := range paras {
			if p == "" || p != strings.TrimSpace(p) && !strings.Contains(p, "|") {
				t.Fatalf("paragraph %q empty or not trimmed", p)
			}
		}
	})
}

// FuzzOCRParagraphs: paragraphs are non-empty, trimmed, with no blank line.
func FuzzOCRParagraphs(f *testing.F) {
	f.Add("新 增 就 业 3.4 万 人\n完 成 。\n\n第 二 段")
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ocrParagraphs(s) {
			if p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "\n\n") {
				t.Fatalf("paragraph %q", p)
			}
		}
	})
}
