package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/eval"
)

// needTools skips the test when a program it needs is missing, and fails
// it under CI (CI=true), where .ci/run installs them.
func needTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed (CI=true: .ci/run installs it)", n)
			}
			t.Skipf("%s is not installed (apt-get install poppler-utils antiword)", n)
		}
	}
}

// copyToDir copies files into a new temporary directory, named base each.
func copyToDir(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// firstCitation returns the first source line of ask's output ("[1] …").
func firstCitation(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "[1] ") {
			return l
		}
	}
	return ""
}

// TestAskFormats asks the 2018 employment target of the bundled 2018
// report saved as PDF, DOCX and DOC (corpus/testdata/formats, made by
// scripts/fixtures.sh): each answers 新增就业3.4万人 with the citation of
// the text copy, the PDF's with its page added.
func TestAskFormats(t *testing.T) {
	needTools(t, "pdftotext", "antiword")
	t.Parallel()
	const q = "2018年新增就业目标是多少?"
	out, _, err := runCmd(t, "ask", "--corpus", copyToDir(t, "../../corpus/reports/wuqing-2018-government-work-report.txt"), "--data", t.TempDir(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := firstCitation(out)
	if want == "" || !strings.Contains(out, "新增就业3.4万人") {
		t.Fatalf("text copy:\n%s", out)
	}
	page := regexp.MustCompile(` · p\. \d+`)
	for _, f := range []string{"wuqing-2018.pdf", "wuqing-2018.docx", "wuqing-2018.doc"} {
		t.Run(f, func(t *testing.T) {
			dir, data := copyToDir(t, "../../corpus/testdata/formats/"+f), t.TempDir()
			out, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, q)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			// Asked again, the answer comes from the saved index: the
			// pages were saved with the report.
			again, stderr, err := runCmd(t, "ask", "--corpus", dir, "--data", data, q)
			if err != nil || again != out {
				t.Errorf("from the saved index: %v\n%s\nwant\n%s\n%s", err, again, out, stderr)
			}
			if !strings.Contains(out, "新增就业3.4万人") {
				t.Errorf("answer lacks 新增就业3.4万人:\n%s", out)
			}
			got := firstCitation(out)
			if strings.HasSuffix(f, ".pdf") {
				if !page.MatchString(got) {
					t.Errorf("PDF citation names no page: %q", got)
				}
				got = page.ReplaceAllString(got, "")
			}
			if got != want {
				t.Errorf("citation\n%q, want as for the text copy\n%q", got, want)
			}
		})
	}
}

// TestEvalPDFCopies runs the dev questions over PDF copies of both bundled
// reports and over their text copies: every score is within 0.05.
func TestEvalPDFCopies(t *testing.T) {
	needTools(t, "pdftotext")
	t.Parallel()
	evalDir := func(dir string) map[string]float64 {
		rep := evalWithFloors(t, func(eval.Report) []floor { return nil }, "--questions", "../../testdata/questions.dev.jsonl", "--corpus", dir)
		return map[string]float64{
			"hit@5": rep.Overall.Hit5, "answer_accuracy": rep.Overall.AnswerAccuracy,
			"citation_accuracy": rep.Overall.CitationAccuracy, "refusal_accuracy": rep.Overall.RefusalAccuracy,
		}
	}
	text := evalDir(copyToDir(t, "../../corpus/reports/wuqing-2018-government-work-report.txt", "../../corpus/reports/wuqing-later-report-fragment.txt"))
	pdf := evalDir(copyToDir(t, "../../corpus/testdata/formats/wuqing-2018.pdf", "../../corpus/testdata/formats/wuqing-fragment.pdf"))
	for k, v := range text {
		if d := pdf[k] - v; d < -0.05 || d > 0.05 {
			t.Errorf("%s: PDF copies %.3f, text copies %.3f: more than 0.05 apart", k, pdf[k], v)
		}
		t.Logf("%s: PDF %.3f, text %.3f", k, pdf[k], v)
	}
}

// TestAskScannedPage asks over an image-only PDF page: without OCR the log
// names the page; with corpus.ocr: true (and Tesseract installed) the page
// is read and the answer says to check the scan.
func TestAskScannedPage(t *testing.T) {
	needTools(t, "pdftotext")
	t.Parallel()
	dir := copyToDir(t, "../../corpus/testdata/formats/scan-page.pdf")
	_, stderr, _ := runCmd(t, "ask", "--corpus", dir, "--data", t.TempDir(), "2017年工作回顾")
	if !strings.Contains(stderr, "page 1: no text layer") {
		t.Errorf("log does not name the scanned page:\n%s", stderr)
	}
	needTools(t, "pdftoppm", "tesseract")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("corpus:\n  ocr: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCmd(t, "ask", "--config", cfg, "--corpus", dir, "--data", t.TempDir(), "现在我代表区人民政府向大会报告什么?")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "check the scan") || !strings.Contains(out, "OCR") {
		t.Errorf("answer from a scanned page has no check-the-scan notice:\n%s\n%s", out, stderr)
	}
}
