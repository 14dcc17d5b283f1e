package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Links says which symbolic links in a corpus directory are followed
// (LoadOptions.Links).
type Links string

// Link policies. The zero value is LinksInside.
const (
	// LinksInside follows a link only when its target, every link on the
	// way resolved, is a file inside the corpus directory (itself
	// resolved, so the directory may be a link). A link that leads
	// outside, to /etc/passwd or to a file elsewhere, is a Problem
	// wrapping ErrSymlink and is never opened. This is the default: a
	// corpus directory that others can write to cannot make the program
	// read, index and quote the files it can read.
	LinksInside Links = "inside"
	// LinksOutside also follows links to files outside the directory:
	// for a corpus that is a directory of links to reports kept elsewhere
	// (evaluation corpora linking /work/shared/corpora/*.jsonl).
	LinksOutside Links = "outside"
)

// LoadDir is LoadContext over the directory dir of the operating system,
// following symbolic links as opt.Links says (LinksInside unless set): a
// followed link is read through its resolved target, a link that is not
// followed is a Problem wrapping ErrSymlink that names its target, a
// dangling link or a link loop one wrapping ErrUnreadable, and a link to a
// directory one wrapping ErrNotRegular. dir itself may be a link. Sources
// are relative to dir.
func LoadDir(ctx context.Context, dir string, opt LoadOptions) ([]Report, []Problem, error) {
	return loadContext(ctx, os.DirFS(dir), ".", dir, opt)
}

// FollowLink resolves the symbolic link at rel (slash-separated, relative
// to dir) as LoadDir does under the policy links: it returns the absolute
// path of the target, every link resolved, or an error wrapping ErrSymlink
// (a target outside dir under LinksInside) or ErrUnreadable (a dangling
// link, a loop). Corpus fingerprints use it to stamp what LoadDir reads.
func FollowLink(dir, rel string, links Links) (string, error) {
	target, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if target, err = filepath.Abs(target); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if links == LinksOutside {
		return target, nil
	}
	root, err := filepath.EvalSymlinks(dir)
	if err == nil {
		root, err = filepath.Abs(root)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if !strings.HasPrefix(target, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: it points to %s", ErrSymlink, target)
	}
	return target, nil
}

// LoadFile loads the one report file at path of the operating system (a
// .txt, .md, .html, .jsonl, .pdf, .docx or .doc file; a sidecar beside it
// is not read), as LoadDir would read it. A JSONL file can hold several
// reports; Source and the report ID come from the file's name. The Problems are those of that file
// (a PDF page without a text layer is a Partial one); err is for a path
// that cannot be read at all.
func LoadFile(ctx context.Context, path string, opt LoadOptions) ([]Report, []Problem, error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", path, err)
	}
	return loadContext(ctx, os.DirFS(dir), name, dir, opt)
}
