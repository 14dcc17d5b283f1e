package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LoadDir is LoadContext over the directory dir of the operating system,
// with its policy for symbolic links: a link is followed only when its
// target (every link resolved, filepath.EvalSymlinks) lies inside dir
// (resolved the same way); a link that leads outside, such as one to
// /etc/passwd, is a Problem wrapping ErrSymlink and is never read, and a
// dangling link or a link loop one wrapping ErrUnreadable. A link to a
// directory is not followed (ErrNotRegular). Sources are relative to dir.
func LoadDir(ctx context.Context, dir string, opt LoadOptions) ([]Report, []Problem, error) {
	return loadContext(ctx, os.DirFS(dir), ".", dir, opt)
}

// FollowLink resolves the symbolic link at rel (slash-separated, relative
// to dir) as LoadDir does: it returns the target's path when the target
// lies inside dir, else an error wrapping ErrSymlink (outside) or
// ErrUnreadable (dangling, a loop). Index fingerprints use it to stamp what
// LoadDir reads.
func FollowLink(dir, rel string) (string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	target, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if target != root && !strings.HasPrefix(target, root+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: it points to %s", ErrSymlink, target)
	}
	return target, nil
}
