package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWriteLock: one holder at a time, a waiter gets the lock once it is
// released, and waiting ends with the context (issue 15, item 12).
func TestWriteLock(t *testing.T) {
	t.Parallel()
	if !flockWorks {
		t.Skip("no flock here")
	}
	dir := t.TempDir()
	l, err := TryLockWrite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLockWrite(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLockWrite = %v, want ErrLocked", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := LockWrite(ctx, dir); err == nil {
		t.Fatal("LockWrite with a cancelled context while locked succeeded")
	}
	got := make(chan error, 1)
	go func() {
		l2, err := LockWrite(t.Context(), dir)
		if err == nil {
			err = l2.Unlock()
		}
		got <- err
	}()
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("LockWrite after Unlock: %v", err)
	}
}

// TestRemoveStaleTemps: the temporary files of a save killed with -9
// (issue 15, item 11) are removed by the next process, unless another
// process holds the write lock (it may be writing one of them now).
func TestRemoveStaleTemps(t *testing.T) {
	t.Parallel()
	if !flockWorks {
		t.Skip("no flock here: temporaries are removed by age")
	}
	dir := t.TempDir()
	stale := []string{IndexFile + ".tmp-1234567", CorpusStateFile + ".tmp-89"}
	keep := []string{IndexFile, CorpusStateFile, "notes.tmp-1", JournalFile}
	for _, name := range append(slices.Clone(stale), keep...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := TryLockWrite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if removed, err := RemoveStaleTemps(dir); err != nil || len(removed) > 0 {
		t.Errorf("RemoveStaleTemps while another holds the lock = %v, %v; want nothing removed", removed, err)
	}
	l.Unlock()
	removed, err := RemoveStaleTemps(dir)
	slices.Sort(removed)
	if err != nil || !slices.Equal(removed, []string{CorpusStateFile + ".tmp-89", IndexFile + ".tmp-1234567"}) {
		t.Errorf("RemoveStaleTemps = %v, %v; want %v", removed, err, stale)
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v; want it kept", name, err)
		}
	}
	if removed, err := RemoveStaleTemps(filepath.Join(dir, "none")); err != nil || removed != nil {
		t.Errorf("RemoveStaleTemps(missing dir) = %v, %v", removed, err)
	}
}
