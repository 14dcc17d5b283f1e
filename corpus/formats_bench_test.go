package corpus

import (
	"os"
	"os/exec"
	"testing"
)

// BenchmarkRebuildPDF measures rebuilding the paragraphs of the 8-page 2018
// PDF from pdftotext's word boxes (pdftotext itself runs once, outside the
// loop).
func BenchmarkRebuildPDF(b *testing.B) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		b.Skip("pdftotext is not installed")
	}
	pages, err := pdfText(b.Context(), "testdata/formats/wuqing-2018.pdf", LoadOptions{ToolTimeout: DefaultToolTimeout})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rebuildPDF(pages)
	}
}

// BenchmarkDocxText measures reading the 2018 report's DOCX.
func BenchmarkDocxText(b *testing.B) {
	data, err := os.ReadFile("testdata/formats/wuqing-2018.docx")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := docxText(data); err != nil {
			b.Fatal(err)
		}
	}
}
