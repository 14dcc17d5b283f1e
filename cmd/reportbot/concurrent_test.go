package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentAskProcessesSyncOnce starts several real `ask` processes
// at once after a corpus change, as the 20 of issue 15, item 12 that each
// re-synced and saved the whole index: exactly one saves; the others
// answer, from the previous index with a notice or from the new one.
func TestConcurrentAskProcessesSyncOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	t.Parallel()
	dir, data, cache := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(first, n int) {
		t.Helper()
		for r := first; r < first+n; r++ {
			var b strings.Builder
			fmt.Fprintf(&b, "第%d市2021年政府工作报告\n\n二、2021年主要任务\n\n", r)
			for p := range 60 {
				fmt.Fprintf(&b, "第%d市第%d项任务：新增就业%d.%d万人以上，改造老旧小区%d个。\n\n", r, p, r, p, p+r)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d-2021.txt", r)), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(0, 2)
	if _, stderr, err := runCmd(t, "index", "--corpus", dir, "--data", data); err != nil {
		t.Fatalf("index: %v\n%s", err, stderr)
	}
	write(2, 30)
	const procs = 4
	var (
		wg     sync.WaitGroup
		stderr [procs]strings.Builder
		stdout [procs]strings.Builder
		errs   [procs]error
	)
	for i := range procs {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "ask", "--corpus", dir, "--data", data, "第1市新增就业多少万人?")
		cmd.Env = append(os.Environ(), childEnv+"=1", "XDG_CACHE_HOME="+cache)
		cmd.Stdout, cmd.Stderr = &stdout[i], &stderr[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { errs[i] = cmd.Wait() })
	}
	wg.Wait()
	saves := 0
	for i := range procs {
		if errs[i] != nil || !strings.Contains(stdout[i].String(), "万人") {
			t.Errorf("ask %d: %v\n%s%s", i, errs[i], stdout[i].String(), stderr[i].String())
		}
		saves += strings.Count(stderr[i].String(), "index updated")
	}
	if saves != 1 {
		for i := range procs {
			t.Logf("ask %d stderr:\n%s", i, stderr[i].String())
		}
		t.Errorf("%d ask processes saved the index %d times, want once", procs, saves)
	}
}
