package corpus

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrNoTextLayer is a PDF page with no text to extract: a scanned page.
// With LoadOptions.OCR and Tesseract installed it is read by OCR instead;
// otherwise the Problem names the page ("page 3: no text layer").
var ErrNoTextLayer = errors.New("no text layer")

// pdfLine is one line of a PDF page as pdftotext -bbox-layout reports it:
// its box (points, y down) and its words.
type pdfLine struct {
	x0, y0, x1, y1 float64
	words          []string
}

// pdfBlock is a block of lines (pdftotext's layout analysis: a paragraph
// or a column's run of lines).
type pdfBlock struct {
	x0, x1 float64
	lines  []pdfLine
}

// pdfPage is one page's size and blocks in reading order.
type pdfPage struct {
	w, h   float64
	blocks []pdfBlock
}

// pdfText reads the pages of the PDF b with pdftotext -bbox-layout, which
// gives every word with its box in reading order (columns one after the
// other). It needs poppler-utils.
func pdfText(ctx context.Context, path string, opt LoadOptions) ([]pdfPage, error) {
	var pages []pdfPage
	err := toolPdftotext.run(ctx, opt.ToolTimeout, []string{"-bbox-layout", "-enc", "UTF-8", path, "-"}, func(r io.Reader) error {
		var err error
		pages, err = parseBBox(r)
		return err
	})
	return pages, err
}

// parseBBox parses the XHTML that pdftotext -bbox-layout writes: page,
// flow, block, line and word elements, with the boxes as attributes.
func parseBBox(r io.Reader) ([]pdfPage, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var (
		pages []pdfPage
		word  strings.Builder
		inW   bool
	)
	last := func() *pdfPage {
		if len(pages) == 0 {
			pages = append(pages, pdfPage{})
		}
		return &pages[len(pages)-1]
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return pages, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: pdftotext output: %w", ErrConvert, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			a := attrs(t.Attr)
			switch t.Name.Local {
			case "page":
				pages = append(pages, pdfPage{w: a["width"], h: a["height"]})
			case "block":
				p := last()
				p.blocks = append(p.blocks, pdfBlock{x0: a["xMin"], x1: a["xMax"]})
			case "line":
				p := last()
				if len(p.blocks) == 0 {
					p.blocks = append(p.blocks, pdfBlock{x0: a["xMin"], x1: a["xMax"]})
				}
				bl := &p.blocks[len(p.blocks)-1]
				bl.lines = append(bl.lines, pdfLine{x0: a["xMin"], y0: a["yMin"], x1: a["xMax"], y1: a["yMax"]})
			case "word":
				inW = true
				word.Reset()
			}
		case xml.CharData:
			if inW && word.Len() < 1<<16 {
				word.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local != "word" || !inW {
				continue
			}
			inW = false
			p := last()
			if len(p.blocks) == 0 || len(p.blocks[len(p.blocks)-1].lines) == 0 {
				continue
			}
			bl := &p.blocks[len(p.blocks)-1]
			ln := &bl.lines[len(bl.lines)-1]
			if w := strings.TrimSpace(word.String()); w != "" {
				ln.words = append(ln.words, w)
			}
		}
	}
}

// attrs returns the numeric attributes of an element.
func attrs(as []xml.Attr) map[string]float64 {
	m := make(map[string]float64, len(as))
	for _, a := range as {
		if f, err := strconv.ParseFloat(a.Value, 64); err == nil {
			m[a.Name.Local] = f
		}
	}
	return m
}

// pdfPageFile is what a PDF yields: its paragraphs, each with the page it
// starts on, the number of pages, and which pages were read by OCR.
type pdfPageFile struct {
	paras    []pagePara
	pages    int
	ocrPages []int
}

// pagePara is a paragraph and the 1-based page it starts on.
type pagePara struct {
	text string
	page int
}

// readPDF extracts the paragraphs of the PDF b. A page without a text
// layer is read by OCR when opt.OCR is set, else reported in problems
// (each wrapping ErrNoTextLayer or, when OCR fails, its error).
func readPDF(ctx context.Context, b []byte, opt LoadOptions) (pdfPageFile, []error, error) {
	path, cleanup, err := tempFile(b, "in.pdf")
	if err != nil {
		return pdfPageFile{}, nil, err
	}
	defer cleanup()
	pages, err := pdfText(ctx, path, opt)
	if err != nil {
		return pdfPageFile{}, nil, err
	}
	f := pdfPageFile{paras: rebuildPDF(pages), pages: len(pages)}
	var problems []error
	for i, pg := range pages {
		if pageHasText(pg) {
			continue
		}
		n := i + 1
		if !opt.OCR {
			problems = append(problems, fmt.Errorf("page %d: %w (scanned? set corpus.ocr: true and install tesseract-ocr and tesseract-ocr-chi-sim to read it)", n, ErrNoTextLayer))
			continue
		}
		paras, err := ocrPage(ctx, path, n, opt)
		if err != nil {
			problems = append(problems, fmt.Errorf("page %d: %w, and OCR failed: %w", n, ErrNoTextLayer, err))
			continue
		}
		f.ocrPages = append(f.ocrPages, n)
		f.paras = insertPage(f.paras, n, paras)
	}
	return f, problems, nil
}

// pageHasText reports whether a page has a text layer: any word at all.
func pageHasText(p pdfPage) bool {
	for _, b := range p.blocks {
		for _, l := range b.lines {
			if len(l.words) > 0 {
				return true
			}
		}
	}
	return false
}

// insertPage puts the paragraphs of page n among paras, before the first
// paragraph of a later page.
func insertPage(paras []pagePara, n int, texts []string) []pagePara {
	at := len(paras)
	for i, p := range paras {
		if p.page > n {
			at = i
			break
		}
	}
	add := make([]pagePara, 0, len(texts))
	for _, t := range texts {
		add = append(add, pagePara{text: t, page: n})
	}
	return append(paras[:at:at], append(add, paras[at:]...)...)
}
