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
// hung Load for good (issue 15, item 4); both are ErrNotRegular problems.
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
	done := make(chan result, 1)
	go func() {
		r, p, err := LoadContext(ctx, os.DirFS(dir), ".", LoadOptions{})
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
	for _, src := range []string{"fifo.txt", "zero.txt"} {
		if !errors.Is(got[src], ErrNotRegular) {
			t.Errorf("problem of %s = %v, want ErrNotRegular", src, got[src])
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
