package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/index"
)

// TestOpenAfterSyncHoldsNoSpills checks that a command that synced the
// index answers from the file it saved, not from the index it built: that
// one kept its lexical index and residuals in deleted spill files, which a
// server would have held (1.4 GB at a million passages) for as long as it
// ran. The index command, which exits after saving, may keep them.
func TestOpenAfterSyncHoldsNoSpills(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	writeReports(t, dir, 0, 3, 20)
	a, _, err := openWithLog(t, dir, data, false)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Sync.Changed() {
		t.Fatalf("the first open synced nothing: %+v", a.Sync)
	}
	// The spill files are closed by cleanups that run after a
	// collection, on their own goroutine.
	var held []string
	for deadline := time.Now().Add(10 * time.Second); ; {
		runtime.GC()
		if held = deletedFilesIn(t, data); len(held) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(held) > 0 {
		t.Errorf("after the sync the process still holds deleted files of the data directory: %v", held)
	}
	res, err := a.Engine.Ask(t.Context(), "第1市新增就业多少万人?")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Citations) == 0 || !strings.Contains(res.Text, "万人") {
		t.Errorf("no cited answer from the reopened index: %q (%d citations)", res.Text, len(res.Citations))
	}
	if _, err := os.Stat(filepath.Join(data, index.IndexFile)); err != nil {
		t.Fatal(err)
	}
}

// deletedFilesIn lists the files of dir that the process holds open
// although they were removed.
func deletedFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	var held []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, dir+string(os.PathSeparator)) && strings.HasSuffix(target, " (deleted)") {
			held = append(held, filepath.Base(strings.TrimSuffix(target, " (deleted)")))
		}
	}
	return held
}
