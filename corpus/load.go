package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/place"
)

// DefaultMaxFileBytes is the default LoadOptions.MaxFileBytes.
const DefaultMaxFileBytes = 64 << 20

// LoadOptions bounds loading. Zero values mean defaults.
type LoadOptions struct {
	// MaxFileBytes is the size above which a file is skipped as a Problem
	// (ErrTooLarge). Default DefaultMaxFileBytes (64 MiB).
	MaxFileBytes int64
	// Links says which symbolic links are followed: LinksInside (the
	// default) or LinksOutside. See LoadDir.
	Links Links
	// OCR reads PDF pages that have no text layer (scans) with Tesseract
	// (tesseract-ocr and tesseract-ocr-chi-sim must be installed). Off,
	// such a page is a Problem wrapping ErrNoTextLayer that names it.
	OCR bool
	// ToolTimeout bounds one run of an external converter (pdftotext,
	// antiword, catdoc). Default DefaultToolTimeout.
	ToolTimeout time.Duration
	// OCRTimeout bounds the OCR of one scanned page (pdftoppm, then
	// tesseract). Default DefaultOCRTimeout.
	OCRTimeout time.Duration
}

// Load reads every supported report file below root in fsys:
//
//   - .txt and .md (Markdown syntax removed),
//   - .html and .htm (tags removed, script and style with their content,
//     character references decoded, block elements as paragraph breaks),
//   - .jsonl, one report per line: {"title", "content", "year" (number,
//     string or null), "url"}.
//
// Files are decoded from UTF-8 (with or without BOM), UTF-16 with BOM or
// GBK/GB18030, detected per file, and cleaned (see the package doc). A
// sidecar NAME.meta.yaml beside NAME.txt (or .md, .html) overrides metadata
// with flat "key: value" lines: title, publisher, publish_date, year, url.
//
// Metadata precedence: title from the sidecar, the JSONL line or the title
// line of the text, else the file name (TitleFromText false). Year: the
// year written in the title ("2018年…"), else the sidecar or JSONL year,
// else 0; the body text is never used to guess it.
//
// Files that cannot be used are skipped and returned as Problems wrapping
// ErrUnsupported, ErrTooLarge, ErrBinary, ErrEncoding, ErrEmpty, ErrNoText
// (too little of the cleaned text is sentences: a navigation page),
// ErrDuplicate, ErrMeta, ErrJSONL, ErrUnreadable (a dangling link, a link
// loop, no permission, a file deleted meanwhile; also a directory that
// cannot be listed), ErrSymlink (a link that is not followed) or ErrName
// (a name that is not UTF-8; Source then has U+FFFD for the bad bytes);
// nothing is silently mangled. Titles, publishers, dates and URLs are
// single lines and text has no terminal escape sequences or bidirectional
// controls (internal/safetext). Of
// reports with the same cleaned text one is kept and the others are
// ErrDuplicate Problems naming it: the one whose title is not a file-name
// fallback, else the one with a year, else the one with more of publisher,
// publish date and URL, else the first in path (and line) order. Hidden
// files and directories (".x") are ignored. Reports come back sorted by
// ID. err is only for a root that cannot be read.
//
// Only regular files are read (ErrNotRegular for pipes, devices and the
// like, checked after following a link), and never more than MaxFileBytes+1
// bytes of one, whatever its size said. Through an fs.FS a symbolic link is
// followed only under LinksOutside (ErrSymlink otherwise), since where it
// leads cannot be checked there; LoadDir reads a directory of the operating
// system and follows the links that stay inside it.
func Load(fsys fs.FS, root string, opt LoadOptions) ([]Report, []Problem, error) {
	return LoadContext(context.Background(), fsys, root, opt)
}

// LoadContext is Load that stops, returning ctx's error, once ctx is done.
func LoadContext(ctx context.Context, fsys fs.FS, root string, opt LoadOptions) ([]Report, []Problem, error) {
	return loadContext(ctx, fsys, root, "", opt)
}

// loadContext is LoadContext; dir, when not empty, is the directory of the
// operating system that fsys is, where symbolic links can be resolved.
func loadContext(ctx context.Context, fsys fs.FS, root, dir string, opt LoadOptions) ([]Report, []Problem, error) {
	if opt.MaxFileBytes <= 0 {
		opt.MaxFileBytes = DefaultMaxFileBytes
	}
	if opt.Links == "" {
		opt.Links = LinksInside
	}
	if opt.ToolTimeout <= 0 {
		opt.ToolTimeout = DefaultToolTimeout
	}
	if opt.OCRTimeout <= 0 {
		opt.OCRTimeout = DefaultOCRTimeout
	}
	l := loader{
		ctx:      ctx,
		fsys:     fsys,
		dir:      dir,
		links:    map[string]bool{},
		root:     root,
		opt:      opt,
		ids:      map[string]bool{},
		texts:    map[[sha256.Size]byte]*sameText{},
		sidecars: map[string]string{},
	}
	files, err := l.walk()
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", root, err)
	}
	used := map[string]bool{}
	for _, p := range files {
		base := strings.TrimSuffix(p, path.Ext(p))
		if l.sidecars[base] != "" {
			used[base] = true
		}
		l.file(p)
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", root, err)
		}
	}
	for _, base := range slices.Sorted(maps.Keys(l.sidecars)) {
		if !used[base] {
			l.problem(l.sidecars[base], fmt.Errorf("%w: no report file %s.* beside it", ErrMeta, path.Base(base)))
		}
	}
	slices.SortFunc(l.reports, func(a, b Report) int { return strings.Compare(a.ID, b.ID) })
	return l.reports, l.problems, nil
}

// loader holds the state of one Load.
type loader struct {
	ctx      context.Context
	fsys     fs.FS
	dir      string          // the OS directory fsys is, or ""
	links    map[string]bool // paths that are symbolic links
	root     string
	opt      LoadOptions
	reports  []Report
	problems []Problem
	ids      map[string]bool
	texts    map[[sha256.Size]byte]*sameText // by cleaned text
	sidecars map[string]string               // path without extension → sidecar path
}

// sameText is the reports loaded with one cleaned text.
type sameText struct {
	kept int   // index in loader.reports
	dups []int // indexes in loader.problems of the duplicates of kept
}

func (l *loader) problem(src string, err error) {
	l.problems = append(l.problems, Problem{Source: src, Err: err})
}

// walk lists the files below the root and records the sidecars. An entry
// that cannot be used (a directory that cannot be read, a name that is not
// UTF-8) is a Problem; only a root that cannot be read is an error.
func (l *loader) walk() ([]string, error) {
	var files []string
	err := fs.WalkDir(l.fsys, l.root, func(p string, d fs.DirEntry, err error) error {
		if cerr := l.ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if p == l.root {
				return err
			}
			l.problem(p, fmt.Errorf("%w: %w", ErrUnreadable, err))
			return nil // a directory whose entries cannot be listed is skipped
		}
		if p != l.root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !utf8.ValidString(p) {
			l.problem(strings.ToValidUTF8(p, "\uFFFD"), fmt.Errorf("%w: %q", ErrName, p))
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			l.links[p] = true
		}
		switch {
		case d.IsDir():
		case strings.HasSuffix(d.Name(), sidecarSuffix):
			l.sidecars[strings.TrimSuffix(p, sidecarSuffix)] = p
		default:
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// file loads the report file p; what cannot be used is a Problem.
func (l *loader) file(p string) {
	ext := strings.ToLower(path.Ext(p))
	switch ext {
	case ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".jsonl", ".pdf", ".docx", ".doc":
	default:
		l.problem(p, fmt.Errorf("%w: %q (want .txt, .md, .html, .htm, .jsonl, .pdf, .docx or .doc)", ErrUnsupported, ext))
		return
	}
	b, err := l.read(p)
	if err != nil {
		l.problem(p, err)
		return
	}
	var sc sidecar
	if scPath := l.sidecars[strings.TrimSuffix(p, path.Ext(p))]; scPath != "" {
		if ext == ".jsonl" {
			l.problem(scPath, fmt.Errorf("%w: sidecars are not supported for JSONL files; put metadata in the lines", ErrMeta))
		} else if sc, err = l.readSidecar(scPath); err != nil {
			l.problem(scPath, fmt.Errorf("%w (report %s skipped)", err, p))
			return
		}
	}
	if ext == ".pdf" || ext == ".docx" || ext == ".doc" {
		l.document(p, ext, b, sc)
		return
	}
	text, err := decode(b)
	if err != nil {
		l.problem(p, err)
		return
	}
	if ext == ".jsonl" {
		l.jsonl(p, text)
		return
	}
	var hint string
	switch ext {
	case ".md", ".markdown":
		text, hint = markdownToText(text)
	case ".html", ".htm", ".xhtml":
		text, hint = htmlToText(text)
		hint = htmlTitleHint(hint)
	}
	l.cleaned(p, ext, clean(text, hint), sc, nil)
}

// cleaned completes the report of file p from its cleaned text and
// sidecar; pages, when not nil, sets its page starts (see pages.go).
func (l *loader) cleaned(p, ext string, c cleaned, sc sidecar, pages func(*Report, cleaned)) {
	stem := strings.TrimSuffix(path.Base(p), path.Ext(p))
	r := Report{
		Title:         c.title,
		TitleFromText: c.title != "",
		Publisher:     firstNonEmpty(sc.publisher, c.publisher),
		PublishDate:   firstNonEmpty(sc.publishDate, c.date),
		Source:        p,
		URL:           sc.url,
	}
	if sc.title != "" {
		r.Title, r.TitleFromText = sc.title, true
	}
	if r.Title == "" {
		r.Title = stem
	}
	r.Year = firstYear(r.TitleFromText, r.Title, c.title, sc.year)
	if pages != nil {
		pages(&r, c)
	}
	l.add(r, c, slug(l.rel(p)), string(ext[1:]))
}

// ReportPlace returns the code of r's place: r.Place, or the place its
// title or publisher names ("" when none). Loading sets Place this way;
// reports read from an older index or a shared store get it so once.
func ReportPlace(r Report) string {
	if r.Place != "" {
		return r.Place
	}
	if p, ok := reportPlaces().OfReport(r.Title, r.Publisher); ok {
		return p.Code
	}
	return ""
}

// reportPlaces reads a report's place from its title and publisher; the
// catalog is built on first use, not when a program that never loads a
// report starts.
var reportPlaces = sync.OnceValue(func() *place.Finder { return place.NewFinder() })

// add completes r with the cleaned text, a unique ID and the hash, unless
// the text is empty, is not report text or duplicates another report's.
// Of two reports with the same text the richer one is kept (see richer),
// the first one read when neither is; the other is a Problem naming it.
func (l *loader) add(r Report, c cleaned, id, alt string) { l.addPrepared(r, prepare(c), id, alt) }

// prepared is a cleaned report with what add reads of it, which needs
// nothing of the loader's state: whether it is report text (err), its
// text and the text's hash.
type prepared struct {
	cleaned
	err  error // ErrEmpty, ErrNoText or nil
	text string
	sum  [sha256.Size]byte
}

// prepare prepares c for addPrepared.
func prepare(c cleaned) prepared {
	if len(c.paras) == 0 {
		return prepared{cleaned: c, err: ErrEmpty}
	}
	if err := noTextError(c.paras); err != nil {
		return prepared{cleaned: c, err: err}
	}
	text := c.text()
	c.paras = nil // joined in text
	return prepared{cleaned: c, text: text, sum: sha256.Sum256([]byte(text))}
}

// addPrepared is add of a prepared report.
func (l *loader) addPrepared(r Report, c prepared, id, alt string) {
	if c.err != nil {
		l.problem(r.Source, c.err)
		return
	}
	r.Text = c.text
	sum := c.sum
	same := l.texts[sum]
	if same != nil && !richer(r, l.reports[same.kept]) {
		same.dups = append(same.dups, len(l.problems))
		l.problem(r.Source, duplicateError(l.reports[same.kept]))
		return
	}
	if same != nil {
		// r replaces the kept copy: that one and the duplicates dropped
		// before become duplicates of r.
		old := l.reports[same.kept]
		same.dups = append(same.dups, len(l.problems))
		l.problem(old.Source, nil)
		for _, j := range same.dups {
			l.problems[j].Err = duplicateError(r)
		}
		delete(l.ids, old.ID) // the kept copy may take its ID
	}
	if l.ids[id] && alt != "" {
		id += "-" + alt
	}
	for base, n := id, 2; l.ids[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	l.ids[id] = true
	r.ID = id
	r.Place = ReportPlace(r)
	r.Hash = reportHash(r)
	if same != nil {
		l.reports[same.kept] = r
		return
	}
	l.texts[sum] = &sameText{kept: len(l.reports)}
	l.reports = append(l.reports, r)
}

// duplicateError is the Problem of a report dropped for having the same
// text as kept.
func duplicateError(kept Report) error {
	return fmt.Errorf("%w: same text as %s, which is kept", ErrDuplicate, kept.Source)
}

// richer reports whether a has more metadata than b: a title that is not
// a file-name fallback first, then a year, then the number of publisher,
// publish date and URL known.
func richer(a, b Report) bool {
	return slices.Compare(richness(a), richness(b)) > 0
}

func richness(r Report) []int {
	known := 0
	for _, s := range []string{r.Publisher, r.PublishDate, r.URL} {
		if s != "" {
			known++
		}
	}
	return []int{b2i(r.TitleFromText), b2i(r.Year != 0), known}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// read returns the content of p, or an error wrapping ErrTooLarge,
// ErrNotRegular, ErrSymlink or ErrUnreadable. A symbolic link is read
// through the target FollowLink resolves, when the policy follows it. p is
// opened only when it is a regular file (opening a named pipe blocks), and
// read through a limit of MaxFileBytes+1 bytes, so that a file growing or
// lying about its size cannot make it read without end.
func (l *loader) read(p string) ([]byte, error) {
	fsys, name := l.fsys, p
	if l.links[p] {
		switch {
		case l.dir != "":
			target, err := FollowLink(l.dir, p, l.opt.Links)
			if err != nil {
				return nil, err
			}
			// Read what was checked, not the link again.
			fsys, name = os.DirFS(filepath.Dir(target)), filepath.Base(target)
		case l.opt.Links != LinksOutside:
			return nil, fmt.Errorf("%w: where it leads cannot be checked in this file system", ErrSymlink)
		}
	}
	fi, err := fs.Stat(fsys, name) // follows links
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	defer f.Close()
	size := fi.Size()
	if info, err := f.Stat(); err == nil {
		if err := regular(info); err != nil { // replaced since the Stat
			return nil, err
		}
		if info.Size() > l.opt.MaxFileBytes {
			return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, info.Size(), l.opt.MaxFileBytes)
		}
		size = info.Size()
	}
	b, err := readAll(ctxReader{l.ctx, io.LimitReader(f, l.opt.MaxFileBytes+1)}, min(max(size, 0), l.opt.MaxFileBytes)+1)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if int64(len(b)) > l.opt.MaxFileBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, l.opt.MaxFileBytes)
	}
	return b, nil
}

// readAll is io.ReadAll into a buffer of capacity size to start with, so
// that a file of known size is read into one allocation of its size rather
// than a series of doublings (a 14 MB report allocated 27 MB). The buffer
// still grows for a file that grew since its size was taken.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// regular returns an error wrapping ErrNotRegular unless fi is a regular
// file.
func regular(fi fs.FileInfo) error {
	if fi.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotRegular, fileKind(fi.Mode()))
}

// fileKind names the type of a file that is not regular.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.Type().String()
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readSidecar reads and parses the sidecar p. Errors wrap ErrMeta,
// ErrTooLarge, ErrUnreadable, ErrBinary or ErrEncoding.
func (l *loader) readSidecar(p string) (sidecar, error) {
	b, err := l.read(p)
	if err != nil {
		return sidecar{}, err
	}
	text, err := decode(b)
	if err != nil {
		return sidecar{}, err
	}
	sc, err := parseSidecar(p, text)
	if err != nil {
		return sidecar{}, fmt.Errorf("%w: %w", ErrMeta, err)
	}
	return sc.safe(), nil
}

// rel returns p relative to the root of the load.
func (l *loader) rel(p string) string {
	switch {
	case p == l.root:
		return path.Base(p) // root is the file itself
	case l.root == ".":
		return p
	}
	return strings.TrimPrefix(p, l.root+"/")
}

// slug derives a report ID from a path: without extension, lower case,
// letters and digits kept, '/' kept between directories, runs of anything
// else as one '-'.
func slug(p string) string {
	p = strings.TrimSuffix(p, path.Ext(p))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(p) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '/':
			dash = false
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
				b.WriteByte('/')
			}
		default:
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "/")
	if s == "" {
		return "report"
	}
	return s
}

// firstYear returns the year of the title (when it is not a file-name
// fallback), else of the title line of the text, else the given year.
func firstYear(titleFromText bool, title, textTitle string, year int) int {
	if titleFromText {
		if y := titleYear(title); y != 0 {
			return y
		}
	}
	if y := titleYear(textTitle); y != 0 {
		return y
	}
	return year
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// reportHash returns the hex SHA-256 of a report's metadata and text.
func reportHash(r Report) string {
	h := sha256.New()
	for _, s := range []string{r.ID, r.Title, strconv.FormatBool(r.TitleFromText), r.Publisher,
		r.PublishDate, strconv.Itoa(r.Year), r.Source, r.URL, r.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
