package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockFile is the advisory lock of a data directory: the one process that
// syncs and saves its index holds it (flock on unix), so that processes
// started together do not all repeat the same re-index. The file itself
// is never removed (removing a lock file lets two processes lock two
// different files).
const LockFile = "index.lock"

// tempInfix names the temporary files Save and CorpusState.Save write
// before renaming them into place: index.rbx.tmp-123, corpus-state.json.tmp-456.
const tempInfix = ".tmp-"

// staleTempAge is how old a temporary file must be for a process without
// a real lock (flock not available) to remove it: far longer than any save.
const staleTempAge = time.Hour

// lockPoll is how often LockWrite tries the lock again while it waits.
const lockPoll = 50 * time.Millisecond

// ErrLocked is wrapped by TryLockWrite's error when another process holds
// the write lock.
var ErrLocked = errors.New("another reportbot is updating the index")

// WriteLock is a held write lock of a data directory (see LockFile).
type WriteLock struct {
	dir string
	f   *os.File
	// held is false where flock is not available (another system, a file
	// system without it): the lock then protects nothing, and stale
	// temporaries are recognised by age alone.
	held bool
}

// TryLockWrite takes the write lock of dir (created if needed) without
// waiting. When another process holds it the error wraps ErrLocked.
func TryLockWrite(dir string) (*WriteLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index lock: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index lock: %w", err)
	}
	err = lockFile(f)
	if lockBusy(err) {
		f.Close()
		return nil, fmt.Errorf("index lock %s: %w", f.Name(), ErrLocked)
	}
	// Any other error: flock does not work on this file system. Go on
	// unprotected rather than refuse to answer.
	return &WriteLock{dir: dir, f: f, held: flockWorks && err == nil}, nil
}

// LockWrite takes the write lock of dir, waiting (polling) while another
// process holds it, until ctx is done.
func LockWrite(ctx context.Context, dir string) (*WriteLock, error) {
	t := time.NewTicker(lockPoll)
	defer t.Stop()
	for {
		l, err := TryLockWrite(dir)
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the index lock: %w", context.Cause(ctx))
		case <-t.C:
		}
	}
}

// Unlock releases the lock.
func (l *WriteLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("index lock: %w", err)
	}
	return nil
}

// RemoveStaleTemps removes the temporary files of Save and
// CorpusState.Save (index.rbx.tmp-*, corpus-state.json.tmp-*) that a
// process killed while saving left in the locked directory, and returns
// their names. Every writer holds the lock while its temporary file
// exists, so whoever holds it may remove them all; without a real lock
// (see WriteLock.held) only those older than an hour go.
func (l *WriteLock) RemoveStaleTemps() ([]string, error) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, fmt.Errorf("stale temporary files: %w", err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasPrefix(name, IndexFile+tempInfix) || strings.HasPrefix(name, CorpusStateFile+tempInfix)) {
			continue
		}
		if !l.held {
			fi, err := e.Info()
			if err != nil || time.Since(fi.ModTime()) < staleTempAge {
				continue
			}
		}
		if err := os.Remove(filepath.Join(l.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("stale temporary files: %w", err)
	}
	return removed, nil
}

// RemoveStaleTemps removes the temporary files that a process killed while
// saving left in dir (see WriteLock.RemoveStaleTemps) when no process holds
// its write lock, and returns their names; while one does, it removes
// nothing (that process may be writing one of them now).
func RemoveStaleTemps(dir string) ([]string, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	l, err := TryLockWrite(dir)
	if errors.Is(err, ErrLocked) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer l.Unlock()
	return l.RemoveStaleTemps()
}
