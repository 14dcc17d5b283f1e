// Package corpus turns report files into clean, structured passages.
//
// Load (LoadDir for a directory of the operating system, with its policy
// for symbolic links; LoadFile for one file; Default for the reports
// bundled in corpus/reports) reads .txt, .md, .html/.htm and .jsonl files,
// decodes them (UTF-8 with or without BOM, UTF-16 with a BOM, GBK/GB18030,
// detected per file) and cleans them. It also reads PDF (through poppler's
// pdftotext, paragraphs rebuilt from the page layout, pdflayout.go; pages
// without a text layer read by Tesseract when LoadOptions.OCR is set),
// .docx (natively, docx.go) and .doc (through antiword or catdoc), whose
// paragraphs are then cleaned as text (docs/formats.md). Cleaning:
//
//   - lines are trimmed, blank-line runs collapse, and lines broken inside a
//     sentence (web copies break lines at links) are joined; the body has one
//     paragraph per line and keeps the source's characters, punctuation and
//     quotes verbatim so that citations quote it exactly (numbers that PDF
//     extraction spread out, "1 9 9 7 年", are joined, and full-width digits,
//     "１９９７", are written as ASCII);
//   - web-page cruft at the start and the end (browser warnings, breadcrumbs,
//     navigation, share/print/close links, empty "附件:" labels, licence
//     notices) is removed: short lines without sentence punctuation that look
//     like navigation, never body text;
//   - the title line and the "来源: … 发布时间: …" line become metadata.
//
// A file whose cleaned text is mostly not sentences (a navigation page:
// menus, link lists, breadcrumbs) is skipped as ErrNoText, and of files
// with the same cleaned text the one with the most metadata is kept.
//
// Split then recovers the heading hierarchy of Chinese government work
// reports (一、/(一)/lead sentences, tolerant of broken numbering such as
// "()"), records which period each section talks about (a year's actual
// results or a year's targets) and splits paragraphs into passages with
// stable, content-derived IDs and exact rune offsets into Report.Text
// (short paragraphs of one section share a passage, so that a file of
// short lines does not cost a passage per line).
//
// Nothing is guessed from body text: an unknown year stays 0. The package
// knows nothing of embeddings, LLMs or Discord.
package corpus

// Version names the behaviour of loading, cleaning and splitting: it
// changes whenever the same file can yield different text or passages, so
// that callers caching what a corpus yielded know to read it again.
// 2: numbers spread out one digit at a time are joined (joinSpacedDigits).
// 3: full-width digits are written as ASCII (hanzi.FoldWidthDigits).
// 4: years are 1949 to 2100 (hanzi.ValidYear; was 1900 to 2100), in titles,
// headings, dates and metadata; sidecars are read as YAML (yaml.v3).
// 5: a file with too little report text is skipped (ErrNoText), so a
// navigation page that was a report is not; of duplicates the copy with a
// title, year or more metadata is kept instead of the first one read, so
// the kept report (its ID, source and passages) can differ.
// 6: terminal escape sequences and bidirectional controls are removed from
// text, and titles, publishers and URLs are single lines without them
// (internal/safetext); consecutive short paragraphs of one section are one
// passage (minPassageBytes).
// 7: .pdf, .docx and .doc files are read (they were unsupported), and
// reports of PDFs have page starts (Report.Pages, OCRPages).
const Version = "7"

// PeriodKind says whether a section reports results or sets targets.
type PeriodKind string

// Period kinds.
const (
	PeriodUnknown PeriodKind = ""
	PeriodActual  PeriodKind = "actual" // results of a past year ("2017年工作回顾")
	PeriodTarget  PeriodKind = "target" // plans and targets ("2018年主要任务")
)

// Period is the time a passage talks about. Year is 0 when unknown.
type Period struct {
	Year int        `json:"year,omitempty"`
	Kind PeriodKind `json:"kind,omitempty"`
}

// Report is one cleaned report with its metadata. Unknown metadata stays
// empty (Year 0): nothing is guessed.
type Report struct {
	ID            string `json:"id"`              // stable id derived from the source name (and title for JSONL lines)
	Title         string `json:"title"`           // from the text, sidecar or JSONL; else derived from the file name
	TitleFromText bool   `json:"title_from_text"` // false when Title is only a file-name fallback
	Publisher     string `json:"publisher,omitempty"`
	PublishDate   string `json:"publish_date,omitempty"` // YYYY-MM-DD when known
	Year          int    `json:"year,omitempty"`         // report year; 0 when unknown
	Source        string `json:"source"`                 // path inside the loaded FS; "PATH:LINE" for a JSONL line
	URL           string `json:"url,omitempty"`
	// Place is the code of the report's place (place.Place.Code: "360000"
	// for 江西省, "CN" for the national report), read from the title or
	// the publisher (place.Finder.OfReport); "" when neither names one.
	Place string `json:"place,omitempty"`
	// Pages, for a PDF, is the rune offset in Text at which each page
	// starts (Pages[0] is page 1's); PageAt gives a passage's page. nil
	// for other formats.
	Pages []int `json:"pages,omitempty"`
	// OCRPages are the pages of a PDF read by OCR (scans): their text may
	// hold misread characters and figures (see Scanned).
	OCRPages []int  `json:"ocr_pages,omitempty"`
	Text     string `json:"-"`    // cleaned body text; passages' rune offsets point into it
	Hash     string `json:"hash"` // hex SHA-256 of Text and metadata; changes when the report changes
}

// Passage is a retrievable unit: one paragraph, a sentence-aligned part of
// a long paragraph, or a run of short paragraphs of one section (their
// Text keeps the line breaks between them).
type Passage struct {
	ID          string   `json:"id"` // stable, derived from report ID, text and occurrence of that text
	ReportID    string   `json:"report_id"`
	Paragraph   int      `json:"paragraph"` // 1-based paragraph number within the report body (the first, for a run of short paragraphs)
	Part        int      `json:"part"`      // 1-based part within the paragraph (1 when not split)
	Parts       int      `json:"parts"`     // number of parts of the paragraph
	HeadingPath []string `json:"heading_path,omitempty"`
	Period      Period   `json:"period"`
	Start       int      `json:"start"` // rune offset of Text in Report.Text
	End         int      `json:"end"`   // rune offset one past the end
	Text        string   `json:"text"`
}
