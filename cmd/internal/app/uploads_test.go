package app

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reportbot/reportbot/config"
)

// zipWith returns a ZIP archive holding files with the given names.
func zipWith(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ole2 is the start of an OLE2 compound file with a directory entry
// named name (UTF-16LE), as a .doc or .xls has.
func ole2(name string) []byte {
	b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	for _, r := range name {
		b = append(b, byte(r), 0)
	}
	return append(b, make([]byte, 64)...)
}

const sampleReport = "测试区2025年政府工作报告\n\n一、2024年工作回顾\n\n过去一年,全区地区生产总值增长5.1%,城镇新增就业1.05万人。\n\n二、2025年主要任务\n\n城镇新增就业1.2万人,居民收入与经济增长同步。\n"

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSniffReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		data       []byte
		kind, ext  string // ext "" wants a refusal
		why        string // in the refusal
	}{
		{name: "pdf", file: "r.bin", data: []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), kind: KindPDF, ext: ".pdf"},
		{name: "pdf after junk", file: "r.pdf", data: []byte("\r\n\x00junk%PDF-1.4\n"), kind: KindPDF, ext: ".pdf"},
		{name: "docx named txt", file: "r.txt", data: zipWith(t, "[Content_Types].xml", "word/document.xml"), kind: KindDOCX, ext: ".docx"},
		{name: "xlsx", file: "r.docx", data: zipWith(t, "[Content_Types].xml", "xl/workbook.xml"), why: "ZIP archive but not a Word document"},
		{name: "doc", file: "r", data: ole2("WordDocument"), kind: KindDOC, ext: ".doc"},
		{name: "xls", file: "r.doc", data: ole2("Workbook"), why: "Office file but not a Word document"},
		{name: "utf-8 text", file: "r.pdf", data: []byte(sampleReport), kind: KindText, ext: ".txt"},
		{name: "utf-8 bom", file: "r.txt", data: append([]byte{0xEF, 0xBB, 0xBF}, sampleReport...), kind: KindText, ext: ".txt"},
		{name: "gbk text", file: "r.txt", data: gbk(t, sampleReport), kind: KindText, ext: ".txt"},
		{name: "utf-16 bom", file: "r.txt", data: []byte{0xFF, 0xFE, 0x4B, 0x6D, 0xD5, 0x8B}, kind: KindText, ext: ".txt"},
		{name: "markdown", file: "r.MD", data: []byte("# 报告\n\n正文。"), kind: KindText, ext: ".md"},
		{name: "html", file: "r.txt", data: []byte("\n<!DOCTYPE html><html><body><p>报告</p></body></html>"), kind: KindHTML, ext: ".html"},
		{name: "html fragment", file: "r", data: []byte("<meta charset=utf-8><body>报告</body>"), kind: KindHTML, ext: ".html"},
		{name: "jsonl", file: "r.jsonl", data: []byte(`{"title":"报告","content":"正文"}` + "\n"), kind: KindJSONL, ext: ".jsonl"},
		{name: "json lines named txt", file: "r.txt", data: []byte(`{"title":"报告"}`), kind: KindText, ext: ".txt"},
		{name: "png", file: "r.pdf", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), why: "image/png"},
		{name: "elf", file: "r.txt", data: []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00"), why: "not PDF, Word, HTML or text"},
		{name: "bad utf-8 and gbk", file: "r.txt", data: []byte{0xFF, 0xFF, 0xFF, 0x80}, why: "not PDF, Word, HTML or text"},
		{name: "controls", file: "r.txt", data: bytes.Repeat([]byte("a\x01"), 50), why: "not PDF"},
		{name: "empty", file: "r.txt", data: nil, why: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kind, ext, err := sniffReport(tt.file, tt.data)
			if tt.ext == "" {
				if err == nil || !errors.Is(err, errNotReport) || !strings.Contains(err.Error(), tt.why) {
					t.Errorf("got %s %s %v, want a refusal saying %q", kind, ext, err, tt.why)
				}
				return
			}
			if err != nil || kind != tt.kind || ext != tt.ext {
				t.Errorf("got %q %q %v, want %q %q", kind, ext, err, tt.kind, tt.ext)
			}
		})
	}
}

func TestSanitizeName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, ext, want string }{
		{"蓟州区 2025年*报告?.txt", ".txt", "蓟州区_2025年_报告.txt"},
		{"../../etc/passwd", ".txt", "passwd.txt"},
		{`C:\Users\x\report 2018.docx`, ".docx", "report_2018.docx"},
		{".hidden.pdf", ".pdf", "hidden.pdf"},
		{"....", ".txt", "report.txt"},
		{"\u202ereport\x00\n.pdf", ".pdf", "report.pdf"},
		{"a.pdf", ".txt", "a.txt"},
		{strings.Repeat("长", 100) + ".txt", ".txt", strings.Repeat("长", maxNameRunes) + ".txt"},
		{"\xff\xfe.txt", ".txt", "report.txt"},
	}
	for _, tt := range tests {
		if got := sanitizeName(tt.in, tt.ext); got != tt.want {
			t.Errorf("sanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSanitizeName: any name becomes a plain, visible, UTF-8 file name.
func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{"a.txt", "../x", "蓟州区 2025.pdf", "\x00", ".", `a\b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := sanitizeName(name, ".txt")
		base := strings.TrimSuffix(got, ".txt")
		if !utf8.ValidString(got) || base == "" || strings.ContainsAny(got, "/\\\x00") || strings.HasPrefix(got, ".") ||
			utf8.RuneCountInString(base) > maxNameRunes || filepath.Base(got) != got {
			t.Errorf("sanitizeName(%q) = %q", name, got)
		}
	})
}

// FuzzSniffReport: no content makes the type check panic, and what it
// accepts has an extension the loader reads.
func FuzzSniffReport(f *testing.F) {
	f.Add("r.txt", []byte(sampleReport))
	f.Add("r.pdf", []byte("%PDF-1.4"))
	f.Add("r", zipWith(f, "word/document.xml"))
	f.Add("r", ole2("WordDocument"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		kind, ext, err := sniffReport(name, data)
		if err == nil && (kind == "" || !strings.HasPrefix(ext, ".")) {
			t.Errorf("sniffReport accepted %q as %q %q", data, kind, ext)
		}
	})
}

func TestUploads(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	s := NewUploads(dataDir, 1<<20)
	ctx := t.Context()
	up, err := s.Add(ctx, "测试区 报告.txt", []byte(sampleReport), "42")
	if err != nil {
		t.Fatal(err)
	}
	if len(up.ID) != uploadIDLen || up.Name != "测试区_报告.txt" || up.Kind != KindText || up.AddedBy != "42" {
		t.Errorf("upload %+v", up)
	}
	if b, err := os.ReadFile(filepath.Join(dataDir, UploadsDir, up.ID, up.Name)); err != nil || string(b) != sampleReport {
		t.Errorf("stored file: %v", err)
	}
	var dup *DuplicateUploadError
	if _, err := s.Add(ctx, "other name.md", []byte(sampleReport), "43"); !errors.As(err, &dup) || dup.Existing.ID != up.ID {
		t.Errorf("same content again: %v, want a duplicate of %s", err, up.ID)
	}
	for name, data := range map[string][]byte{
		"big.txt":   bytes.Repeat([]byte("报告。"), 1<<18),
		"zip.docx":  zipWith(t, "a.txt"),
		"menu.html": []byte("<html><body><a href=/>首页</a></body></html>"),
	} {
		if _, err := s.Add(ctx, name, data, "42"); !errors.Is(err, ErrUploadRejected) {
			t.Errorf("%s: %v, want it rejected", name, err)
		}
	}
	ups, err := s.List()
	if err != nil || len(ups) != 1 || ups[0] != up {
		t.Errorf("List = %+v, %v; want only %+v", ups, err, up)
	}
	if entries, _ := os.ReadDir(filepath.Join(dataDir, UploadsDir)); len(entries) != 1 {
		t.Errorf("uploads directory holds %d entries, want 1 (no staging left)", len(entries))
	}
	before := uploadsSetting(dataDir)
	if before == "" {
		t.Error("uploads do not show in the corpus settings")
	}

	reports, problems, err := loadAll(ctx, config.Corpus{MaxFileMB: 32}, dataDir)
	if err != nil || len(problems) != 0 {
		t.Fatalf("loadAll: %v %v", err, problems)
	}
	found := false
	for _, r := range reports {
		found = found || r.Source == up.Source()
	}
	if !found || len(reports) < 3 {
		t.Errorf("loadAll read %d reports, the upload %v; want the bundled ones and the upload", len(reports), found)
	}

	for _, id := range []string{"../" + UploadsDir, "", "ZZZZZZZZ", "0000000000"} {
		if _, err := s.Remove(id); !errors.Is(err, ErrNoUpload) {
			t.Errorf("Remove(%q) = %v, want ErrNoUpload", id, err)
		}
	}
	if got, err := s.Remove(up.ID); err != nil || got.ID != up.ID {
		t.Fatalf("Remove: %+v %v", got, err)
	}
	if ups, _ := s.List(); len(ups) != 0 || uploadsSetting(dataDir) != "" {
		t.Errorf("after Remove: %v", ups)
	}
}

// TestUploadsBrokenPDF: a file that looks like a PDF by its first bytes
// but cannot be read is refused with the reader's reason, not stored.
func TestUploadsBrokenPDF(t *testing.T) {
	t.Parallel()
	s := NewUploads(t.TempDir(), 1<<20)
	_, err := s.Add(t.Context(), "r.pdf", []byte("%PDF-1.4\n%%EOF\n"), "42")
	if !errors.Is(err, ErrUploadRejected) || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("broken PDF: %v, want a rejection saying it cannot be read", err)
	}
	if ups, _ := s.List(); len(ups) != 0 {
		t.Errorf("stored %v", ups)
	}
}

// TestOpenReadsUploads: with a corpus directory whose files do not
// change, adding an upload still makes the next Open read it (the uploads
// are part of the corpus fingerprint), and removing it drops it.
func TestOpenReadsUploads(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	writeReports(t, dir, 1, 2, 3)
	count := func() (reports int, upload bool) {
		t.Helper()
		a, logs, err := openWithLog(t, dir, data, false)
		if err != nil {
			t.Fatalf("Open: %v\n%s", err, logs)
		}
		for _, r := range a.Engine.Index().Reports() {
			upload = upload || strings.HasPrefix(r.Report.Source, UploadsDir+"/")
		}
		return len(a.Engine.Index().Reports()), upload
	}
	if n, up := count(); n != 2 || up {
		t.Fatalf("before the upload: %d reports, upload %v", n, up)
	}
	s := NewUploads(data, 1<<20)
	u, err := s.Add(t.Context(), "测试区.txt", []byte(sampleReport), "42")
	if err != nil {
		t.Fatal(err)
	}
	if n, up := count(); n != 3 || !up {
		t.Errorf("after the upload: %d reports, upload %v; want 3 with the upload", n, up)
	}
	if n, up := count(); n != 3 || !up {
		t.Errorf("opened again: %d reports, upload %v; want 3 with the upload", n, up)
	}
	if _, err := s.Remove(u.ID); err != nil {
		t.Fatal(err)
	}
	if n, up := count(); n != 2 || up {
		t.Errorf("after removal: %d reports, upload %v; want 2", n, up)
	}
}
