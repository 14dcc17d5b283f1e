package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrToolMissing is a file that needs a program that is not installed
// (pdftotext for PDF, antiword for .doc, tesseract for OCR). The message
// names the Debian package to install.
var ErrToolMissing = errors.New("a program this file needs is not installed")

// ErrConvert is a file a converter could not read (a damaged PDF or .doc,
// a converter that timed out or wrote too much).
var ErrConvert = errors.New("cannot be converted to text")

// DefaultToolTimeout is the default LoadOptions.ToolTimeout: how long one
// run of pdftotext, antiword or catdoc may take.
const DefaultToolTimeout = 60 * time.Second

// DefaultOCRTimeout bounds the OCR of one page (rendering and Tesseract
// each): a page took about 15 s on an idle 2-core machine and more than a
// minute with the test suite running beside it (2026-12-06).
const DefaultOCRTimeout = 5 * time.Minute

// maxToolOutput bounds what one converter run may write: a PDF of a few MB
// whose text (with pdftotext's word boxes) would exceed it is refused
// rather than read into memory.
const maxToolOutput = 256 << 20

// tool is an external program, the Debian package that installs it and
// environment variables it runs with (besides the process's own).
type tool struct {
	name, pkg string
	env       []string
}

// The external programs the loader can use, each found at run time.
var (
	toolPdftotext = tool{"pdftotext", "poppler-utils", nil}
	toolPdftoppm  = tool{"pdftoppm", "poppler-utils", nil}
	toolAntiword  = tool{"antiword", "antiword", nil}
	toolCatdoc    = tool{"catdoc", "catdoc", nil}
	// Tesseract runs one thread: its OpenMP threads made a page take over
	// a minute instead of 15 s on a loaded 2-core machine (2026-12-06).
	toolTesseract = tool{"tesseract", "tesseract-ocr (and tesseract-ocr-chi-sim for Chinese)", []string{"OMP_THREAD_LIMIT=1"}}
)

// path returns the program's path, or an error wrapping ErrToolMissing
// that names the package.
func (t tool) path() (string, error) {
	p, err := exec.LookPath(t.name)
	if err != nil {
		return "", fmt.Errorf("%w: %s not found; install it with: apt-get install %s", ErrToolMissing, t.name, t.pkg)
	}
	return p, nil
}

// run runs t with args under timeout, giving stdout to read (bounded to
// maxToolOutput bytes) and returning read's error, or one wrapping
// ErrConvert when the program fails, times out or writes too much.
func (t tool) run(ctx context.Context, timeout time.Duration, args []string, read func(io.Reader) error) error {
	p, err := t.path()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p, args...)
	cmd.WaitDelay = time.Second
	if len(t.env) > 0 {
		cmd.Env = append(os.Environ(), t.env...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, n: 4096}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrConvert, t.name, err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrConvert, t.name, err)
	}
	lr := &io.LimitedReader{R: out, N: maxToolOutput + 1}
	rerr := read(lr)
	io.Copy(io.Discard, lr) // let the program finish writing
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w: %s took more than %s", ErrConvert, t.name, timeout)
	case ctx.Err() != nil:
		return ctx.Err()
	case lr.N <= 0:
		return fmt.Errorf("%w: %s wrote more than %d bytes", ErrConvert, t.name, maxToolOutput)
	case werr != nil:
		msg := strings.Join(strings.Fields(strings.ReplaceAll(string(bytes.TrimSpace(stderr.Bytes())), "\n", "; ")), " ")
		return fmt.Errorf("%w: %s: %w: %s", ErrConvert, t.name, werr, msg)
	}
	return rerr
}

// limitedBuffer keeps the first n bytes written to it.
type limitedBuffer struct {
	b *bytes.Buffer
	n int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if rest := l.n - l.b.Len(); rest > 0 {
		l.b.Write(p[:min(len(p), rest)])
	}
	return len(p), nil
}

// tempFile writes b to a new file in a new temporary directory, for a
// program that reads a path; cleanup removes both.
func tempFile(b []byte, name string) (path string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "reportbot-convert-")
	if err != nil {
		return "", nil, fmt.Errorf("%w: %w", ErrConvert, err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("%w: %w", ErrConvert, err)
	}
	return path, cleanup, nil
}
