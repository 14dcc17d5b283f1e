//go:build unix

package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadSkipsPipesAndDevices: a named pipe and a link to /dev/zero once
// hung Load for good (issue 15, item 4); both are problems: ErrNotRegular,
// and for the link ErrSymlink unless links outside are followed.
func TestLoadSkipsPipesAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.txt"), []byte(readSeed(t, seed2018)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	type result struct {
		reports  []Report
		problems []Problem
		err      error
	}
	// /dev/zero is outside the directory: not followed by default, and a
	// device when links outside are followed.
	for links, want := range map[Links]map[string]error{
		LinksInside:  {"fifo.txt": ErrNotRegular, "zero.txt": ErrSymlink},
		LinksOutside: {"fifo.txt": ErrNotRegular, "zero.txt": ErrNotRegular},
	} {
		done := make(chan result, 1)
		go func() {
			r, p, err := LoadDir(ctx, dir, LoadOptions{Links: links})
			done <- result{r, p, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("Load hangs on a named pipe or a device")
		}
		if res.err != nil || len(res.reports) != 1 {
			t.Fatalf("Load() = %d reports, %v", len(res.reports), res.err)
		}
		got := map[string]error{}
		for _, p := range res.problems {
			got[p.Source] = p.Err
		}
		for src, want := range want {
			if !errors.Is(got[src], want) {
				t.Errorf("links %s: problem of %s = %v, want %v", links, src, got[src], want)
			}
		}
	}
}

func TestLoadContextCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := LoadContext(ctx, os.DirFS(filepath.Dir(seed2018)), ".", LoadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("LoadContext(cancelled) error = %v, want context.Canceled", err)
	}
}
