package corpus

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// needTool skips the test when the program name is missing, and fails it
// under CI (CI=true), where .ci/run installs it.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed (CI=true: .ci/run installs it)", name)
			}
			t.Skipf("%s is not installed; see docs/formats.md", name)
		}
	}
}

// loadOne loads the file at path, which must yield one report.
func loadOne(t *testing.T, path string, opt LoadOptions) (Report, []Problem) {
	t.Helper()
	rs, ps, err := LoadFile(t.Context(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("%s: %d reports, problems %v", path, len(rs), ps)
	}
	return rs[0], ps
}

// TestFormatsMatchText loads the PDF, DOCX and DOC copies of the bundled
// reports (scripts/fixtures.sh): their text, title, year and metadata are
// those of the text copy, with no space between Chinese and figures and no
// running header or page number; a two-column PDF reads in column order.
func TestFormatsMatchText(t *testing.T) {
	needTool(t, "pdftotext", "antiword")
	tests := []struct{ txt, copy string }{
		{"reports/wuqing-2018-government-work-report.txt", "testdata/formats/wuqing-2018.pdf"},
		{"reports/wuqing-2018-government-work-report.txt", "testdata/formats/wuqing-2018.docx"},
		{"reports/wuqing-2018-government-work-report.txt", "testdata/formats/wuqing-2018.doc"},
		{"reports/wuqing-later-report-fragment.txt", "testdata/formats/wuqing-fragment.pdf"},
		{"reports/wuqing-later-report-fragment.txt", "testdata/formats/fragment-2col.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.copy, func(t *testing.T) {
			t.Parallel()
			want, _ := loadOne(t, tt.txt, LoadOptions{})
			got, ps := loadOne(t, tt.copy, LoadOptions{})
			if len(ps) > 0 {
				t.Errorf("problems: %v", ps)
			}
			if got.Text != want.Text {
				t.Errorf("text differs from the text copy's:\n%s", firstDiff(got.Text, want.Text))
			}
			if want.TitleFromText && got.Title != want.Title || got.Year != want.Year || got.Publisher != want.Publisher || got.PublishDate != want.PublishDate {
				t.Errorf("metadata %q %d %q %q, want %q %d %q %q", got.Title, got.Year, got.Publisher, got.PublishDate,
					want.Title, want.Year, want.Publisher, want.PublishDate)
			}
			if strings.HasSuffix(tt.copy, ".pdf") != (len(got.Pages) > 0) {
				t.Errorf("pages %v", got.Pages)
			}
		})
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			return "line " + lineOr(al, i) + "\nwant " + lineOr(bl, i)
		}
	}
	return ""
}

func lineOr(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return "(none)"
}

// TestPDFPages checks that a passage's page is the page its paragraph
// starts on in the PDF.
func TestPDFPages(t *testing.T) {
	needTool(t, "pdftotext")
	r, _ := loadOne(t, "testdata/formats/wuqing-2018.pdf", LoadOptions{})
	if len(r.Pages) != 8 || r.Pages[0] != 0 || !slices.IsSorted(r.Pages) {
		t.Fatalf("pages %v, want 8 sorted starts from 0", r.Pages)
	}
	tests := []struct {
		text string
		page int
	}{
		{"现在,我代表区人民政府向大会报告政府工作", 1},
		{"新增就业3.4万人", 6}, // pdftotext -f 6 -l 6 shows it there
	}
	for _, tt := range tests {
		var found bool
		for _, p := range Split(r, SplitOptions{}) {
			if strings.Contains(p.Text, tt.text) {
				found = true
				if got := r.PageAt(p.Start); got != tt.page {
					t.Errorf("%s: page %d, want %d", tt.text, got, tt.page)
				}
			}
		}
		if !found {
			t.Errorf("no passage holds %s", tt.text)
		}
	}
}

// TestScannedPage loads an image-only PDF page: without OCR the page is
// named as a Partial problem and the file has no text; with OCR (when
// Tesseract and its Chinese data are installed) it is read, and its
// passages are marked Scanned.
func TestScannedPage(t *testing.T) {
	needTool(t, "pdftotext")
	const f = "testdata/formats/scan-page.pdf"
	rs, ps, err := LoadFile(t.Context(), f, LoadOptions{})
	if err != nil || len(rs) != 0 {
		t.Fatalf("without OCR: %d reports, %v", len(rs), err)
	}
	var named bool
	for _, p := range ps {
		if p.Partial && errors.Is(p.Err, ErrNoTextLayer) && strings.Contains(p.Err.Error(), "page 1: no text layer") {
			named = true
		}
	}
	if !named {
		t.Errorf("page 1 not named as having no text layer: %v", ps)
	}
	t.Run("OCR", func(t *testing.T) {
		needTool(t, "pdftoppm", "tesseract")
		if out, err := exec.Command("tesseract", "--list-langs").CombinedOutput(); err != nil || !strings.Contains(string(out), "chi_sim") {
			if os.Getenv("CI") == "true" {
				t.Fatal("tesseract has no chi_sim data (apt-get install tesseract-ocr-chi-sim)")
			}
			t.Skip("tesseract has no chi_sim data")
		}
		r, ps := loadOne(t, f, LoadOptions{OCR: true})
		for _, p := range ps {
			t.Errorf("problem with OCR: %v", p)
		}
		if !slices.Equal(r.OCRPages, []int{1}) || !r.Scanned(0) {
			t.Errorf("OCR pages %v, want [1]", r.OCRPages)
		}
		// Words read must be there, whatever characters OCR misreads.
		for _, want := range []string{"2017年工作回顾", "各位代表"} {
			if !strings.Contains(r.Text, want) {
				t.Errorf("OCR text lacks %s:\n%s", want, r.Text)
			}
		}
	})
}

// TestTablesAsRows reads a target table from DOCX and PDF: a header row
// and rows that keep each figure with its column's year and kind.
func TestTablesAsRows(t *testing.T) {
	needTool(t, "pdftotext")
	want := []string{
		"指标 | 2025年目标 | 2024年完成",
		"城镇新增就业 | 2025年目标：3.4万人 | 2024年完成：3.2万人",
		"地区生产总值增长 | 2025年目标：5%左右 | 2024年完成：5.2%",
	}
	for _, f := range []string{"testdata/formats/targets.docx", "testdata/formats/targets.pdf"} {
		r, _ := loadOne(t, f, LoadOptions{})
		for _, w := range want {
			if !slices.Contains(strings.Split(r.Text, "\n"), w) {
				t.Errorf("%s: no line %q in\n%s", f, w, r.Text)
			}
		}
	}
}

func TestToolMissingNamesPackage(t *testing.T) {
	_, err := tool{"reportbot-no-such-program", "some-package", nil}.path()
	if !errors.Is(err, ErrToolMissing) || !strings.Contains(err.Error(), "apt-get install some-package") {
		t.Errorf("error %v does not name the package", err)
	}
}

// TestConverterProblems: a damaged PDF is ErrConvert; with the converters
// missing, a PDF and a .doc are ErrToolMissing naming the package.
func TestConverterProblems(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"bad.pdf": "%PDF-1.4 nothing else", "old.doc": "\xd0\xcf\x11\xe0 not a document"} {
		if err := os.WriteFile(dir+"/"+name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(file string, want error, words string) {
		t.Helper()
		_, ps, err := LoadFile(t.Context(), dir+"/"+file, LoadOptions{})
		if err != nil || len(ps) != 1 || !errors.Is(ps[0].Err, want) || !strings.Contains(ps[0].Err.Error(), words) {
			t.Errorf("%s: problems %v (err %v), want one wrapping %v with %q", file, ps, err, want, words)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		check("bad.pdf", ErrConvert, "pdftotext")
	}
	t.Setenv("PATH", t.TempDir()) // no converter on it
	check("bad.pdf", ErrToolMissing, "apt-get install poppler-utils")
	check("old.doc", ErrToolMissing, "apt-get install antiword")
}
