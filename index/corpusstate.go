package index

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
)

// CorpusStateFile, next to the index file in a data directory, records what
// the index was last synced from (a CorpusState), so that a command over an
// unchanged corpus directory opens the index without re-reading and
// re-splitting every report.
const CorpusStateFile = "corpus-state.json"

// CorpusState is the fingerprint of a corpus directory (path, size,
// modification time, mode and content hash of every file corpus.Load would
// look at), the settings that decide the passages, the index file it was
// synced into and the files Load skipped (so that a later run can tell
// whether the set of skipped files changed, and report them without
// reading the corpus).
//
// Equal stat stamps mean unchanged; when only times differ (a touch, a
// fresh checkout), equal content hashes do too, without re-reading the
// reports. A file rewritten with the same size, mode and time is taken as
// unchanged: that is the limit of a stat check.
type CorpusState struct {
	// Settings names everything besides the files that the passages depend
	// on (embedder, corpus version, splitting); a change means a re-read.
	Settings string `json:"settings"`
	// Files are in the order filepath.WalkDir visits them.
	Files []FileStamp `json:"files"`
	// Index is the stamp of the index file the state was saved for.
	Index FileStamp `json:"index"`
	// Skipped are the files the last read of the corpus skipped.
	Skipped []SkippedFile `json:"skipped,omitempty"`
}

// FileStamp identifies one version of a file.
type FileStamp struct {
	Path    string      `json:"path"`
	Size    int64       `json:"size"`
	ModTime int64       `json:"mtime_ns"`
	Mode    fs.FileMode `json:"mode"`
	// SHA256 is the content hash, hex; empty until CorpusState.Hash fills
	// it, and always for the index file's stamp; unhashable for a file
	// that could not be read.
	SHA256 string `json:"sha256,omitempty"`
	// Link is, for a symbolic link that corpus.LoadDir follows, the path
	// of its target, whose size, time, mode and content the stamp holds:
	// an edit to a linked report is noticed, not only a change of the
	// link.
	Link string `json:"link,omitempty"`
	// Note says why an entry that corpus.Load skips is not read (a
	// directory that cannot be listed, a name that is not UTF-8); empty
	// for the files it reads.
	Note string `json:"note,omitempty"`
}

// unhashable is the FileStamp.SHA256 of a file that could not be read
// (deleted, no permission, a dangling link): corpus.Load skips it, and it
// compares equal to itself so that it does not make every run re-read.
const unhashable = "-"

// SkippedFile is a corpus file that loading skipped, with the reason.
type SkippedFile struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
}

// StampCorpus fingerprints dir as corpus.LoadDir walks and reads it
// under the link policy links (hidden files and directories are ignored),
// without reading file contents: the hashes are filled in by Hash or, for
// an unchanged corpus, by Unchanged. A symbolic link that LoadDir follows
// is stamped by its target; one it does not follow carries a Note saying
// why. dir may itself be a link. settings is recorded as
// CorpusState.Settings.
func StampCorpus(dir, settings string, links corpus.Links) (*CorpusState, error) {
	st := &CorpusState{Settings: settings}
	// Walk what dir leads to (WalkDir does not follow a root that is a
	// link), and record paths below dir as given.
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		isRoot := p == root
		if rel, rerr := filepath.Rel(root, p); rerr == nil {
			p = filepath.Join(dir, rel)
		}
		if err != nil {
			if isRoot {
				return err
			}
			// Load skips it as a Problem; its contents are not listed.
			st.Files = append(st.Files, FileStamp{Path: p, Note: "unreadable: " + err.Error()})
			return nil
		}
		if !isRoot && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !utf8.ValidString(p) {
			st.Files = append(st.Files, FileStamp{Path: strings.ToValidUTF8(p, "\uFFFD"), Note: "name not UTF-8"})
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // deleted since it was listed
		}
		st.Files = append(st.Files, stampEntry(dir, p, fi, links))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return st, nil
}

// stampEntry stamps the file p below dir, whose Lstat is fi, as
// corpus.LoadDir reads it: a symbolic link by its target when LoadDir
// follows it, else with a Note saying why it is not read. A pipe or a
// device (or a link to one) is never opened: Load skips it, and reading it
// could block or never end.
func stampEntry(dir, p string, fi fs.FileInfo, links corpus.Links) FileStamp {
	s := stamp(p, fi)
	if fi.Mode()&fs.ModeSymlink != 0 {
		rel, err := filepath.Rel(dir, p)
		if err == nil {
			s.Link, err = corpus.FollowLink(dir, filepath.ToSlash(rel), links)
		}
		if err != nil {
			s.Note = err.Error()
			return s
		}
		if fi, err = os.Stat(s.Link); err != nil {
			s.Note = "unreadable: " + err.Error()
			return s
		}
		s.Size, s.ModTime, s.Mode = fi.Size(), fi.ModTime().UnixNano(), fi.Mode()
	}
	if !fi.Mode().IsRegular() {
		s.Note = "not a regular file: " + fi.Mode().Type().String()
	}
	return s
}

func stamp(p string, fi fs.FileInfo) FileStamp {
	return FileStamp{Path: p, Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Mode: fi.Mode()}
}

// stampIndex stamps the index file in dataDir.
func stampIndex(dataDir string) (FileStamp, error) {
	p := filepath.Join(dataDir, IndexFile)
	fi, err := os.Stat(p)
	if err != nil {
		return FileStamp{}, err
	}
	return stamp(p, fi), nil
}

// ReadCorpusState reads the state saved in dataDir; nil when there is none
// or it cannot be read (which only costs a re-read of the corpus).
func ReadCorpusState(dataDir string) *CorpusState {
	data, err := os.ReadFile(filepath.Join(dataDir, CorpusStateFile))
	if err != nil {
		return nil
	}
	var saved CorpusState
	if json.Unmarshal(data, &saved) != nil {
		return nil
	}
	return &saved
}

// Unchanged reports whether saved (the state read from dataDir, possibly
// nil) describes the same corpus as st and was written for the index file
// now in dataDir: the same settings and files, by stat stamps or else (only
// times differ) by content hash, which st then records. touched tells the
// second case, in which st should be saved again so that the next run
// compares stamps only. When unchanged, st.Skipped is filled from saved.
func (st *CorpusState) Unchanged(saved *CorpusState, dataDir string) (same, touched bool) {
	if saved == nil || saved.Settings != st.Settings || len(saved.Files) != len(st.Files) {
		return false, false
	}
	if ix, err := stampIndex(dataDir); err != nil || ix != saved.Index {
		return false, false
	}
	statSame := true
	for i, f := range st.Files {
		old := saved.Files[i]
		if f.Path != old.Path || f.Size != old.Size || f.Mode != old.Mode || f.Note != old.Note || f.Link != old.Link {
			return false, false
		}
		statSame = statSame && f.ModTime == old.ModTime
	}
	if !statSame {
		if st.Hash() != nil {
			return false, false
		}
		for i, f := range st.Files {
			if saved.Files[i].SHA256 == "" || f.SHA256 != saved.Files[i].SHA256 {
				return false, false
			}
		}
	} else {
		for i := range st.Files {
			st.Files[i].SHA256 = saved.Files[i].SHA256
		}
	}
	st.Skipped = saved.Skipped
	return true, !statSame
}

// SetSource records in ix the corpus state st it is synced from, kept in
// the index file by the next Save (without the index file's own stamp),
// so that a data directory whose corpus state file is lost can tell from
// the files' contents alone that the index holds them (SameContent)
// instead of reading and splitting every report again.
func (ix *Index) SetSource(st *CorpusState) {
	if st == nil {
		ix.source = nil
		return
	}
	c := *st
	c.Index = FileStamp{}
	ix.source, _ = json.Marshal(&c) // plain data: it marshals
}

// Source returns the corpus state SetSource recorded in the index (nil
// when none, or unreadable).
func (ix *Index) Source() *CorpusState {
	if len(ix.source) == 0 {
		return nil
	}
	var st CorpusState
	if json.Unmarshal(ix.source, &st) != nil {
		return nil
	}
	return &st
}

// SameContent reports whether st, hashed (Hash), holds the files of
// recorded (an index's Source) with the same settings, paths, sizes,
// modes and content hashes, whatever their times. When it does, st takes
// recorded's skipped files.
func (st *CorpusState) SameContent(recorded *CorpusState) bool {
	if recorded == nil || recorded.Settings != st.Settings || len(recorded.Files) != len(st.Files) {
		return false
	}
	for i, f := range st.Files {
		old := recorded.Files[i]
		if f.Path != old.Path || f.Size != old.Size || f.Mode != old.Mode || f.Note != old.Note || f.Link != old.Link ||
			old.SHA256 == "" || old.SHA256 == unhashable || f.SHA256 != old.SHA256 {
			return false
		}
	}
	st.Skipped = recorded.Skipped
	return true
}

// Hash fills in the content hash of every file that lacks one; a file that
// cannot be read (corpus.Load skips it too) gets the hash unhashable. Hash
// before reading the reports: a file changed while they are read then gets
// a new hash next time, so the change is not missed. The error is always
// nil today; it is kept for callers that log it.
func (st *CorpusState) Hash() error {
	for i := range st.Files {
		f := &st.Files[i]
		if f.SHA256 != "" {
			continue
		}
		if f.Note != "" {
			f.SHA256 = unhashable
			continue
		}
		sum, err := hashFile(cmp.Or(f.Link, f.Path)) // what Load reads
		if err != nil {
			sum = unhashable
		}
		f.SHA256 = sum
	}
	return nil
}

// hashFile is the hex SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("corpus state: %w", err)
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", fmt.Errorf("corpus state: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Save writes st as CorpusStateFile for the index file now in dataDir
// (save the index first), crash-safely: a torn state file only costs a
// re-read of the corpus.
func (st *CorpusState) Save(dataDir string) error {
	ix, err := stampIndex(dataDir)
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	st.Index = ix
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	tmp, err := os.CreateTemp(dataDir, CorpusStateFile+tempInfix+"*")
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(dataDir, CorpusStateFile))
	}
	if werr != nil {
		return fmt.Errorf("corpus state: %w", werr)
	}
	return nil
}
