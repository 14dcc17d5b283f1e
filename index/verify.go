package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// VerifyResult is what Verify found in an index file.
type VerifyResult struct {
	// Path is the file checked.
	Path string
	// Format is its format version.
	Format int
	// Sections are its sections in file order (format 3; empty before).
	Sections []VerifiedSection
	// Reports and Passages count what it holds.
	Reports, Passages int
	// EmbedderID names the embedder that built it.
	EmbedderID string
}

// VerifiedSection is one section of a verified file.
type VerifiedSection struct {
	Name     string
	Bytes    int64
	Blocks   int
	Required bool
}

// Verify checks the index file in dir in full, without an embedder: every
// block of every section (optional ones included) against its checksum,
// then every section by decoding it as Open does. It returns an error
// wrapping ErrNoIndex when there is none, one wrapping ErrNewerFormat when
// a newer reportbot wrote it, and one wrapping ErrDamaged naming every
// damaged block (or the section that does not decode) otherwise. Files of
// formats 1 and 2 have no checksums: they are only decoded.
func Verify(dir string) (VerifyResult, error) {
	path := filepath.Join(dir, IndexFile)
	res := VerifyResult{Path: path}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("verify index %s: %w", path, ErrNoIndex)
	}
	if err != nil {
		return res, fmt.Errorf("verify index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return res, fmt.Errorf("verify index: %w", err)
	}
	if res.Format, err = fileFormat(f); err != nil {
		return res, openFailed(path, err)
	}
	if res.Format >= 3 {
		t, err := readTable(f, fi.Size())
		if err != nil {
			return res, openFailed(path, err)
		}
		var damage []error
		buf := make([]byte, checksumBlock)
		for _, e := range t.entries {
			res.Sections = append(res.Sections, VerifiedSection{Name: e.name, Bytes: e.size, Blocks: len(e.crcs), Required: e.required})
			for i := range int64(len(e.crcs)) {
				if n := e.blockLen(i); n > int64(len(buf)) {
					buf = make([]byte, n)
				}
				b := buf[:e.blockLen(i)]
				if _, err := f.ReadAt(b, e.off+i*e.block); err != nil {
					damage = append(damage, damagedSection(e.name, err))
					break
				}
				if err := e.verifyBlock(i, b); err != nil {
					damage = append(damage, err)
				}
			}
		}
		if err := errors.Join(damage...); err != nil {
			return res, openFailed(path, err)
		}
	}
	ix, err := readIndexFile(path, nil)
	if err != nil {
		return res, err
	}
	if ix.lazy != nil {
		// Read in place: decode every passage and check the lexical
		// index's entries, as reading an older format would.
		if _, err := ix.readAll(); err != nil {
			return res, openFailed(path, err)
		}
		if err := ix.lex.Check(); err != nil {
			return res, openFailed(path, damagedSection(secLexical, err))
		}
	}
	res.Reports, res.Passages, res.EmbedderID = len(ix.reports), ix.Len(), ix.embedderID
	return res, nil
}
