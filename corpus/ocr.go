package corpus

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// ocrDPI is the resolution pages are rendered at for Tesseract: 300 dpi
// is what Tesseract's documentation asks for.
const ocrDPI = 300

// ocrPage renders page n of the PDF at path with pdftoppm and reads it
// with tesseract -l chi_sim+eng, each bounded by opt.OCRTimeout. It
// returns the page's paragraphs (blank-line separated in Tesseract's
// output), with the spaces Tesseract puts between Chinese characters
// removed.
func ocrPage(ctx context.Context, pdfPath string, n int, opt LoadOptions) ([]string, error) {
	if _, err := toolTesseract.path(); err != nil {
		return nil, err
	}
	prefix := filepath.Join(filepath.Dir(pdfPath), "page"+strconv.Itoa(n))
	page := strconv.Itoa(n)
	err := toolPdftoppm.run(ctx, opt.OCRTimeout, []string{"-r", strconv.Itoa(ocrDPI), "-gray", "-png",
		"-f", page, "-l", page, "-singlefile", pdfPath, prefix}, func(r io.Reader) error { return nil })
	if err != nil {
		return nil, err
	}
	var text []byte
	err = toolTesseract.run(ctx, opt.OCRTimeout, []string{prefix + ".png", "stdout", "-l", "chi_sim+eng"}, func(r io.Reader) error {
		var err error
		text, err = io.ReadAll(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	return ocrParagraphs(string(text)), nil
}

// ocrParagraphs turns Tesseract's text into paragraphs: blank lines
// separate them, lines inside one are joined, and words are joined
// without spaces next to Chinese characters (Tesseract writes "新 增 就
// 业 3.4 万 人").
func ocrParagraphs(s string) []string {
	var (
		out []string
		cur strings.Builder
	)
	flush := func() {
		// A page number read from a footer ("— 1 —" read as 一1一) is not text.
		if t := strings.TrimSpace(cur.String()); t != "" && !isPageNumber(strings.Trim(t, "一")) {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(s, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			flush()
			continue
		}
		text := joinWords(words)
		if cur.Len() == 0 {
			cur.WriteString(text)
		} else {
			appendLine(&cur, text)
		}
	}
	flush()
	return out
}
