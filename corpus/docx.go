package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Bounds on a .docx archive, against zip bombs: the number of entries and
// the uncompressed size of each XML part read (the declared size and the
// bytes actually inflated are both checked).
const (
	maxDocxEntries  = 10000
	maxDocxXMLBytes = 128 << 20
)

// docxText returns the paragraphs of a .docx file (a zip of XML): body
// paragraphs in order, soft line breaks as line breaks, each table row as
// one line (tableRows), and the Title-styled paragraph, if any, as title
// hint. Headings are paragraphs of their own whatever their style; the
// report's own numbering (一、, (一)) makes them headings as in text.
func docxText(b []byte) (paras []string, title string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, "", fmt.Errorf("%w: not a .docx (zip) file: %w", ErrConvert, err)
	}
	if len(zr.File) > maxDocxEntries {
		return nil, "", fmt.Errorf("%w: %d entries in the archive, limit %d", ErrConvert, len(zr.File), maxDocxEntries)
	}
	doc, err := zipPart(zr, "word/document.xml")
	if err != nil {
		return nil, "", err
	}
	titles := map[string]bool{"Title": true}
	if st, err := zipPart(zr, "word/styles.xml"); err == nil {
		titles = titleStyles(st)
	}
	return parseDocx(doc, titles)
}

// zipPart returns the uncompressed content of the archive member name,
// refusing more than maxDocxXMLBytes.
func zipPart(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > maxDocxXMLBytes {
			return nil, fmt.Errorf("%w: %s is %d bytes uncompressed, limit %d", ErrConvert, name, f.UncompressedSize64, maxDocxXMLBytes)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrConvert, name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxDocxXMLBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrConvert, name, err)
		}
		if len(b) > maxDocxXMLBytes {
			return nil, fmt.Errorf("%w: %s inflates to more than %d bytes", ErrConvert, name, maxDocxXMLBytes)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: no %s in the archive (not a Word document)", ErrConvert, name)
}

// titleStyles returns the ids of the styles named "Title" in styles.xml.
func titleStyles(b []byte) map[string]bool {
	var st struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	out := map[string]bool{"Title": true}
	if xml.Unmarshal(b, &st) != nil {
		return out
	}
	for _, s := range st.Styles {
		if strings.EqualFold(s.Name.Val, "title") {
			out[s.ID] = true
		}
	}
	return out
}

// docxParser is the state of reading document.xml.
type docxParser struct {
	paras   []string
	title   string
	para    strings.Builder
	style   string
	inText  bool // inside w:t
	depth   int  // table nesting
	rows    [][]string
	row     []string
	cell    strings.Builder
	deleted int // inside w:del
}

// parseDocx reads document.xml.
func parseDocx(b []byte, titles map[string]bool) ([]string, string, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var p docxParser
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", fmt.Errorf("%w: word/document.xml: %w", ErrConvert, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.start(t)
		case xml.EndElement:
			p.end(t.Name.Local, titles)
		case xml.CharData:
			if p.inText && p.deleted == 0 {
				p.para.Write(t)
			}
		}
	}
	return p.paras, p.title, nil
}

func (p *docxParser) start(t xml.StartElement) {
	switch t.Name.Local {
	case "t":
		p.inText = true
	case "tab":
		p.para.WriteByte(' ')
	case "br", "cr":
		p.para.WriteByte('\n')
	case "pStyle":
		for _, a := range t.Attr {
			if a.Name.Local == "val" {
				p.style = a.Value
			}
		}
	case "del":
		p.deleted++
	case "tbl":
		p.depth++
		if p.depth == 1 {
			p.rows = nil
		}
	case "tr":
		if p.depth == 1 {
			p.row = nil
		}
	case "tc":
		if p.depth == 1 {
			p.cell.Reset()
		}
	}
}

func (p *docxParser) end(name string, titles map[string]bool) {
	switch name {
	case "t":
		p.inText = false
	case "del":
		p.deleted = max(p.deleted-1, 0)
	case "p":
		text := strings.TrimSpace(p.para.String())
		p.para.Reset()
		style := p.style
		p.style = ""
		switch {
		case text == "":
		case p.depth > 0:
			if p.cell.Len() > 0 {
				p.cell.WriteByte(' ')
			}
			p.cell.WriteString(strings.ReplaceAll(text, "\n", " "))
		default:
			if titles[style] && p.title == "" {
				p.title = text
			}
			p.paras = append(p.paras, text)
		}
	case "tc":
		if p.depth == 1 {
			p.row = append(p.row, strings.TrimSpace(p.cell.String()))
		}
	case "tr":
		if p.depth == 1 {
			p.rows = append(p.rows, p.row)
		}
	case "tbl":
		p.depth = max(p.depth-1, 0)
		if p.depth == 0 {
			p.paras = append(p.paras, tableRows(p.rows)...)
			p.rows = nil
		}
	}
}
