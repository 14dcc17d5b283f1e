package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/internal/safetext"
)

// Reports added from Discord (/addreport) live in the data directory, in
// UploadsDir: one directory per upload, named by its id, holding the file
// (its name sanitised, its extension that of the kind its content is) and
// a hidden uploadMeta. Every index update reads them together with the
// configured or bundled corpus (loadAll); their sources are
// "uploads/ID/NAME". Nothing outside UploadsDir is ever written or removed
// by Uploads, so a file the operator put in the corpus directory cannot be.
const (
	// UploadsDir is the uploads' directory inside the data directory.
	UploadsDir = "uploads"
	// uploadMeta is an upload's record, beside its file; hidden, so the
	// corpus loader does not read it.
	uploadMeta = ".upload.json"
	// uploadIDLen is the length of an upload id: that many hex digits of
	// the SHA-256 of the file, lengthened only if two files share them.
	uploadIDLen = 8
	// stagingPrefix names the hidden directory an upload is checked in
	// before it is renamed into place.
	stagingPrefix = ".staging-"
)

// uploadID is the form of an upload id; anything else names no upload
// (and cannot name a path outside UploadsDir).
var uploadID = regexp.MustCompile(`^[0-9a-f]{8,64}$`)

// Upload is one report added from Discord.
type Upload struct {
	// ID is short and stable: the first hex digits of SHA256.
	ID string `json:"id"`
	// Name is the stored file's name; Original the name it was uploaded
	// with (made printable).
	Name     string `json:"name"`
	Original string `json:"original"`
	// Kind is what the content is (KindPDF, KindDOCX, ...).
	Kind    string    `json:"kind"`
	SHA256  string    `json:"sha256"`
	Bytes   int64     `json:"bytes"`
	Added   time.Time `json:"added"`
	AddedBy string    `json:"added_by,omitempty"`
}

// Source is the corpus source of the upload's report, as loadAll reads it.
func (u Upload) Source() string { return path.Join(UploadsDir, u.ID, u.Name) }

// Upload errors. Their messages are written for the admin who uploads.
var (
	// ErrUploadRejected wraps every reason Add refuses a file for: not a
	// report file, too large, or unreadable by the corpus loader.
	ErrUploadRejected = errors.New("upload rejected")
	// ErrNoUpload is an id that names no upload.
	ErrNoUpload = errors.New("no such upload")
)

// DuplicateUploadError is Add's error for a file that is already an
// upload.
type DuplicateUploadError struct{ Existing Upload }

func (e *DuplicateUploadError) Error() string {
	return fmt.Sprintf("the same file is already upload %s (%s)", e.Existing.ID, e.Existing.Name)
}

// Uploads is the data directory's uploads. Its methods are safe for
// concurrent use in one process.
type Uploads struct {
	dataDir  string
	maxBytes int64
	now      func() time.Time
	mu       sync.Mutex
}

// NewUploads returns the uploads of dataDir; a file over maxBytes is
// refused (the corpus loader would skip it).
func NewUploads(dataDir string, maxBytes int64) *Uploads {
	return &Uploads{dataDir: dataDir, maxBytes: maxBytes, now: time.Now}
}

// Dir is the uploads' directory.
func (s *Uploads) Dir() string { return filepath.Join(s.dataDir, UploadsDir) }

// MaxBytes is the largest file Add takes.
func (s *Uploads) MaxBytes() int64 { return s.maxBytes }

// Add stores data, uploaded as name by user by, as a new upload: its kind
// read from its content, a duplicate of an upload refused
// (*DuplicateUploadError), and the file read by the corpus loader before it
// is kept, so that a file the index would skip is refused with the
// loader's reason (errors wrapping ErrUploadRejected).
func (s *Uploads) Add(ctx context.Context, name string, data []byte, by string) (Upload, error) {
	if int64(len(data)) > s.maxBytes {
		return Upload{}, fmt.Errorf("%w: the file is %d bytes; the limit is %d", ErrUploadRejected, len(data), s.maxBytes)
	}
	kind, ext, err := sniffReport(name, data)
	if err != nil {
		return Upload{}, fmt.Errorf("%w: %s", ErrUploadRejected, strings.TrimPrefix(err.Error(), errNotReport.Error()+": "))
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, err := s.list()
	if err != nil {
		return Upload{}, err
	}
	id := hash[:uploadIDLen]
	for _, u := range existing {
		if u.SHA256 == hash {
			return Upload{}, &DuplicateUploadError{Existing: u}
		}
		for strings.HasPrefix(u.SHA256, id) {
			id = hash[:len(id)+2]
		}
	}
	up := Upload{ID: id, Name: sanitizeName(name, ext), Original: safetext.Line(name), Kind: kind, SHA256: hash,
		Bytes: int64(len(data)), Added: s.now().UTC(), AddedBy: by}
	if err := os.MkdirAll(s.Dir(), 0o755); err != nil {
		return Upload{}, fmt.Errorf("uploads: %w", err)
	}
	staging, err := os.MkdirTemp(s.Dir(), stagingPrefix)
	if err != nil {
		return Upload{}, fmt.Errorf("uploads: %w", err)
	}
	defer os.RemoveAll(staging)
	if err := writeUpload(filepath.Join(staging, id), up, data); err != nil {
		return Upload{}, err
	}
	if err := s.check(ctx, staging, up); err != nil {
		return Upload{}, err
	}
	if err := os.Rename(filepath.Join(staging, id), filepath.Join(s.Dir(), id)); err != nil {
		return Upload{}, fmt.Errorf("uploads: %w", err)
	}
	return up, nil
}

// writeUpload writes an upload's file and record into dir, synced.
func writeUpload(dir string, up Upload, data []byte) error {
	meta, err := json.MarshalIndent(up, "", "  ")
	if err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	for name, b := range map[string][]byte{up.Name: data, uploadMeta: meta} {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("uploads: %w", err)
		}
		_, err = f.Write(b)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("uploads: %w", err)
		}
	}
	return nil
}

// check reads the upload written below staging as the index will, and
// refuses it with the loader's reason when no report comes of it.
func (s *Uploads) check(ctx context.Context, staging string, up Upload) error {
	reports, problems, err := corpus.LoadContext(ctx, os.DirFS(staging), up.ID, corpus.LoadOptions{MaxFileBytes: s.maxBytes})
	if err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: the file cannot be read as a report: %s", ErrUploadRejected, safetext.Line(problems[0].Err.Error()))
	}
	if len(reports) == 0 {
		return fmt.Errorf("%w: no report could be read from the file", ErrUploadRejected)
	}
	return nil
}

// List returns the uploads, oldest first.
func (s *Uploads) List() ([]Upload, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.list()
}

// list is List with s.mu held.
func (s *Uploads) list() ([]Upload, error) {
	entries, err := os.ReadDir(s.Dir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	var out []Upload
	for _, e := range entries {
		if !e.IsDir() || !uploadID.MatchString(e.Name()) {
			continue
		}
		up, err := readUpload(filepath.Join(s.Dir(), e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, up)
	}
	slices.SortFunc(out, func(a, b Upload) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// readUpload reads an upload's record in dir.
func readUpload(dir string) (Upload, error) {
	b, err := os.ReadFile(filepath.Join(dir, uploadMeta))
	if err != nil {
		return Upload{}, fmt.Errorf("uploads: %w", err)
	}
	var up Upload
	if err := json.Unmarshal(b, &up); err != nil {
		return Upload{}, fmt.Errorf("uploads: %s: %w", dir, err)
	}
	if up.ID != filepath.Base(dir) || up.Name != filepath.Base(up.Name) || strings.HasPrefix(up.Name, ".") {
		return Upload{}, fmt.Errorf("uploads: %s: record names another upload", dir)
	}
	return up, nil
}

// Get returns the upload with id, or an error wrapping ErrNoUpload.
func (s *Uploads) Get(id string) (Upload, error) {
	if !uploadID.MatchString(id) {
		return Upload{}, fmt.Errorf("%w: %q", ErrNoUpload, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up, err := readUpload(filepath.Join(s.Dir(), id))
	if errors.Is(err, fs.ErrNotExist) {
		return Upload{}, fmt.Errorf("%w: %q", ErrNoUpload, id)
	}
	return up, err
}

// Remove deletes the upload with id (its directory in UploadsDir, nothing
// else), or returns an error wrapping ErrNoUpload.
func (s *Uploads) Remove(id string) (Upload, error) {
	up, err := s.Get(id)
	if err != nil {
		return Upload{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.RemoveAll(filepath.Join(s.Dir(), up.ID)); err != nil {
		return Upload{}, fmt.Errorf("uploads: %w", err)
	}
	return up, nil
}

// uploadsSetting is what the uploads add to the corpus settings (see
// corpusSettings): their ids and hashes, so that adding or removing one
// makes the next index update re-read the corpus; "" without uploads.
func uploadsSetting(dataDir string) string {
	ups, err := NewUploads(dataDir, 0).List()
	if err != nil {
		return " uploads=unreadable"
	}
	if len(ups) == 0 {
		return ""
	}
	h := sha256.New()
	for _, u := range ups {
		fmt.Fprintf(h, "%s %s\n", u.ID, u.SHA256)
	}
	return fmt.Sprintf(" uploads=%d:%x", len(ups), h.Sum(nil)[:8])
}

// loadAll reads the configured corpus (or the bundled reports) and the
// uploads in dataDir. An upload the loader skips is a problem like a
// corpus file, and so is one whose text is a corpus report's (the corpus
// loader finds duplicates within one directory only); the uploads never
// make an empty corpus usable.
func loadAll(ctx context.Context, cc config.Corpus, dataDir string) ([]corpus.Report, []corpus.Problem, error) {
	reports, problems, err := loadReports(ctx, cc)
	if err != nil {
		return nil, problems, err
	}
	if _, err := os.Stat(filepath.Join(dataDir, UploadsDir)); errors.Is(err, fs.ErrNotExist) {
		return reports, problems, nil
	}
	up, upProblems, err := corpus.LoadContext(ctx, os.DirFS(dataDir), UploadsDir, corpus.LoadOptions{MaxFileBytes: cc.MaxFileBytes()})
	if err != nil {
		return nil, nil, fmt.Errorf("uploads: %w", err)
	}
	texts := make(map[[sha256.Size]byte]corpus.Report, len(reports))
	for _, r := range reports {
		texts[sha256.Sum256([]byte(r.Text))] = r
	}
	for _, r := range up {
		if same, ok := texts[sha256.Sum256([]byte(r.Text))]; ok {
			problems = append(problems, corpus.Problem{Source: r.Source,
				Err: fmt.Errorf("%w: the same text as %s (%s)", corpus.ErrDuplicate, same.Title, same.Source)})
			continue
		}
		reports = append(reports, r)
	}
	slices.SortFunc(reports, func(a, b corpus.Report) int { return strings.Compare(a.ID, b.ID) })
	return reports, append(problems, upProblems...), nil
}
