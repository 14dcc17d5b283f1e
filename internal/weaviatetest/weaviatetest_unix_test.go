//go:build unix

package weaviatetest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// orphanDirEnv makes the test binary a process that launches one node in
// the directory it names and exits without stopping it.
const orphanDirEnv = "WEAVIATETEST_ORPHAN_DIR"

// stopWait bounds how long the nodes may outlive their process: the
// watcher's one-second poll, then stop's SIGTERM and, 30 s later, SIGKILL.
const stopWait = 90 * time.Second

// TestWeaviateNodesStopWithProcess checks that nodes launched by a process that
// exits without Stop (a crash, a test binary killed at its timeout) do not
// keep running.
func TestWeaviateNodesStopWithProcess(t *testing.T) {
	if dir := os.Getenv(orphanDirEnv); dir != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if _, err := Launch(ctx, os.Getenv(BinEnv), 1, func() string { return dir }, nil); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "node0.pid"))
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.Write(b)
		os.Exit(0) // no Stop, no cleanup: as a crash would
	}
	bin := Bin(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWeaviateNodesStopWithProcess$")
	cmd.Env = append(os.Environ(), orphanDirEnv+"="+dir, BinEnv+"="+bin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("launching process: %v\n%s%s", err, out, stderr.String())
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("launching process printed %q, want the node's pid", out)
	}
	deadline := time.Now().Add(stopWait)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("node (pid %d) still running %s after the process that launched it exited", pid, stopWait)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("kill -0 %d: %v, want ESRCH", pid, err)
	}
}
