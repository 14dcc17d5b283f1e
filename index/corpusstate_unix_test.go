//go:build unix

package index

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/reportbot/reportbot/corpus"
)

// TestStampCorpusPipesAndDevices: hashing a named pipe or /dev/zero would
// block or never end; they are stamped and never opened.
func TestStampCorpusPipesAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		st, err := StampCorpus(dir, "s", corpus.LinksInside)
		if err == nil {
			err = st.Hash()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("StampCorpus or Hash hangs on a named pipe or a device")
	}
}
