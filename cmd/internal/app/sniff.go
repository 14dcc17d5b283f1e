package app

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Report file kinds an upload may be, read from its content (sniffReport),
// with the extension the upload is stored under: the corpus loader picks
// its reader by extension.
const (
	KindPDF   = "pdf"   // %PDF- within the first KiB
	KindDOCX  = "docx"  // a ZIP archive holding word/document.xml
	KindDOC   = "doc"   // an OLE2 compound file with a WordDocument stream
	KindHTML  = "html"  // text that starts as HTML
	KindJSONL = "jsonl" // text whose first line is a JSON object, named .jsonl
	KindText  = "text"  // UTF-8, UTF-16 with a BOM, or GBK/GB18030 text
)

// Magic numbers.
var (
	magicPDF  = []byte("%PDF-")
	magicZIP  = []byte("PK\x03\x04")
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// oleWordStream is the name of a Word document's main stream as an
	// OLE2 directory entry spells it (UTF-16LE).
	oleWordStream = []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00")
	bomUTF8       = []byte{0xEF, 0xBB, 0xBF}
)

// sniffWindow is how much of a file's start the type checks read.
const sniffWindow = 1024

// errNotReport is a file that is no report file by its content.
var errNotReport = errors.New("not a report file")

// sniffReport reads the kind of a report file from its content, never its
// name, and returns it with the extension to store it under. name only
// chooses between extensions of the same kind (.md for Markdown text,
// .jsonl for JSON lines). Anything else is an error wrapping errNotReport
// that says what the file seems to be.
func sniffReport(name string, data []byte) (kind, ext string, err error) {
	head := data[:min(len(data), sniffWindow)]
	nameExt := strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
	switch {
	case len(data) == 0:
		return "", "", fmt.Errorf("%w: the file is empty", errNotReport)
	case bytes.Contains(head, magicPDF):
		return KindPDF, ".pdf", nil
	case bytes.HasPrefix(data, magicZIP):
		if isDOCX(data) {
			return KindDOCX, ".docx", nil
		}
		return "", "", fmt.Errorf("%w: the file is a ZIP archive but not a Word document (.docx)", errNotReport)
	case bytes.HasPrefix(data, magicOLE2):
		if bytes.Contains(data, oleWordStream) {
			return KindDOC, ".doc", nil
		}
		return "", "", fmt.Errorf("%w: the file is an Office file but not a Word document (an Excel or PowerPoint file?)", errNotReport)
	}
	if !isText(data) {
		what := http.DetectContentType(head)
		if strings.HasPrefix(what, "text/") {
			what = "binary data"
		}
		return "", "", fmt.Errorf("%w: the file is %s, not PDF, Word, HTML or text", errNotReport, what)
	}
	switch {
	case looksHTML(head):
		return KindHTML, ".html", nil
	case nameExt == ".jsonl" && firstLineJSON(data):
		return KindJSONL, ".jsonl", nil
	case nameExt == ".md" || nameExt == ".markdown":
		return KindText, ".md", nil
	}
	return KindText, ".txt", nil
}

// isDOCX reports whether data, a ZIP archive, is a Word document.
func isDOCX(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// maxControlShare is the share of control characters (besides tab, line
// feed, carriage return and form feed) above which decoded text counts as
// binary; the corpus loader checks the text itself more closely.
const maxControlShare = 0.01

// isText reports whether data is text the corpus can decode: UTF-16 with
// a byte-order mark, else UTF-8 (BOM or not), else GB18030 without
// undecodable bytes; without NUL bytes and with few control characters.
func isText(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return len(data)%2 == 0
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	s := ""
	if utf8.Valid(data) {
		s = string(data)
	} else {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return false
		}
		s = string(out)
	}
	controls, n := 0, 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) && !strings.ContainsRune("\t\n\r\f", r) {
			controls++
		}
	}
	return n > 0 && float64(controls) <= maxControlShare*float64(n)
}

// looksHTML reports whether text starts as an HTML document does.
func looksHTML(head []byte) bool {
	h := strings.ToLower(strings.TrimSpace(string(bytes.TrimPrefix(head, bomUTF8))))
	if strings.HasPrefix(h, "<!doctype html") || strings.HasPrefix(h, "<html") {
		return true
	}
	return strings.HasPrefix(h, "<") && (strings.Contains(h, "<html") || strings.Contains(h, "<body") || strings.Contains(h, "<head"))
}

// firstLineJSON reports whether the first non-blank line of data is a
// JSON object.
func firstLineJSON(data []byte) bool {
	for line := range bytes.SplitSeq(bytes.TrimPrefix(data, bomUTF8), []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		return line[0] == '{' && json.Valid(line)
	}
	return false
}

// maxNameRunes bounds a stored upload's file name, without extension.
const maxNameRunes = 60

// sanitizeName makes the name a file is stored under from the name it was
// uploaded with: its last path element, without its extension, letters
// and digits (Chinese too) kept, runs of anything else as one "_", at most
// maxNameRunes, never hidden or empty ("report"), then ext.
func sanitizeName(name, ext string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.TrimSuffix(name, path.Ext(name))
	var sb strings.Builder
	n, gap := 0, false
	for _, r := range name {
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			gap = true
			continue
		}
		sep := gap && sb.Len() > 0
		if n+1 > maxNameRunes || sep && n+2 > maxNameRunes {
			break
		}
		if sep {
			sb.WriteByte('_')
			n++
		}
		gap = false
		sb.WriteRune(r)
		n++
	}
	out := strings.Trim(sb.String(), "_-")
	if out == "" {
		out = "report"
	}
	return out + ext
}
