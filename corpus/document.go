package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// document loads a PDF, .docx or .doc file p with content b: converted to
// paragraphs, then cleaned and split like text. A PDF's page starts are
// kept (Report.Pages) and its pages read by OCR listed (Report.OCRPages).
func (l *loader) document(p, ext string, b []byte, sc sidecar) {
	switch ext {
	case ".pdf":
		f, partial, err := readPDF(l.ctx, b, l.opt)
		if err != nil {
			l.problem(p, err)
			return
		}
		for _, e := range partial {
			l.problems = append(l.problems, Problem{Source: p, Err: e, Partial: true})
		}
		texts := make([]string, len(f.paras))
		for i, pp := range f.paras {
			texts[i] = pp.text
		}
		l.cleaned(p, ext, clean(strings.Join(texts, "\n"), ""), sc, func(r *Report, c cleaned) {
			r.Pages = pageStarts(f.paras, c.paras, f.pages)
			r.OCRPages = f.ocrPages
		})
	case ".docx":
		paras, title, err := docxText(b)
		if err != nil {
			l.problem(p, err)
			return
		}
		l.cleaned(p, ext, clean(strings.Join(paras, "\n"), title), sc, nil)
	case ".doc":
		text, err := docText(l.ctx, b, l.opt)
		if err != nil {
			l.problem(p, err)
			return
		}
		l.cleaned(p, ext, clean(text, ""), sc, nil)
	}
}

// docText converts a Word 97-2003 .doc file to text with antiword, or
// catdoc when antiword is not installed.
func docText(ctx context.Context, b []byte, opt LoadOptions) (string, error) {
	t, args := toolAntiword, []string{"-m", "UTF-8.txt", "-w", "0"}
	if _, err := t.path(); err != nil {
		t, args = toolCatdoc, []string{"-d", "utf-8", "-w"}
		if _, err2 := t.path(); err2 != nil {
			return "", fmt.Errorf("%w: neither antiword nor catdoc found; install one with: apt-get install antiword", ErrToolMissing)
		}
	}
	path, cleanup, err := tempFile(b, "in.doc")
	if err != nil {
		return "", err
	}
	defer cleanup()
	var out []byte
	err = t.run(ctx, opt.ToolTimeout, append(args, path), func(r io.Reader) error {
		var err error
		out, err = io.ReadAll(r)
		return err
	})
	if err != nil {
		return "", err
	}
	text, err := decode(out)
	if err != nil {
		return "", errors.Join(ErrConvert, err)
	}
	return text, nil
}
