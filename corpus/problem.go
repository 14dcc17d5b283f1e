package corpus

import (
	"errors"
)

// Reasons a file or JSONL line is skipped. Problem.Err wraps one of these, so
// callers can test them with errors.Is.
var (
	ErrUnsupported = errors.New("unsupported file type")
	ErrTooLarge    = errors.New("file too large")
	ErrBinary      = errors.New("binary content")
	ErrEncoding    = errors.New("not UTF-8, UTF-16, GBK or GB18030 text")
	ErrEmpty       = errors.New("no text after cleaning")
	ErrNoText      = errors.New("no report text (navigation or boilerplate only)")
	ErrDuplicate   = errors.New("duplicate of another report")
	ErrMeta        = errors.New("bad sidecar metadata")
	ErrJSONL       = errors.New("bad JSONL line")
	// ErrUnreadable is a file or directory that cannot be opened or read:
	// a dangling symbolic link, a link loop, no permission, a file deleted
	// while the corpus is read.
	ErrUnreadable = errors.New("cannot be read")
	// ErrNotRegular is an entry that is not a regular file once links
	// are followed: a named pipe, a device (a link to /dev/zero), a socket,
	// a link to a directory. Reading one could block or never end.
	ErrNotRegular = errors.New("not a regular file")
	// ErrSymlink is a symbolic link that is not followed: under
	// LinksInside (the default) its target lies outside the corpus
	// directory; or the corpus is an fs.FS (LoadContext), where a link's
	// destination cannot be checked, and LinksOutside is not set.
	ErrSymlink = errors.New("symbolic link to a file outside the corpus directory, not followed")
	// ErrName is a file or directory whose name is not valid UTF-8.
	ErrName = errors.New("name is not valid UTF-8")
)

// Problem is a file (or JSONL line) that was skipped, with the reason.
// Source is the path inside the loaded FS ("PATH:LINE" for a JSONL line).
type Problem struct {
	Source string
	Err    error
	// Partial is set when the file was loaded and only part of it could
	// not be read: a PDF page without a text layer (ErrNoTextLayer).
	Partial bool
}
