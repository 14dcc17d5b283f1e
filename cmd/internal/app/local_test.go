package app

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
)

// writeReports writes n reports of paragraphs paragraphs each into dir,
// numbered from first, so that a sync has some work.
func writeReports(t *testing.T, dir string, first, n, paragraphs int) {
	t.Helper()
	for r := first; r < first+n; r++ {
		var b strings.Builder
		fmt.Fprintf(&b, "第%d市2021年政府工作报告\n\n二、2021年主要任务\n\n", r)
		for p := range paragraphs {
			fmt.Fprintf(&b, "第%d市第%d项任务：新增就业%d.%d万人以上，改造老旧小区%d个，新建学校%d所。\n\n", r, p, r, p, p+r, p*r%97)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d-2021.txt", r)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// openWithLog opens the corpus in dir into data, logging into the returned
// buffer.
func openWithLog(t *testing.T, dir, data string, indexer bool) (*App, *bytes.Buffer, error) {
	t.Helper()
	cfg := config.Default()
	cfg.Corpus.Dir, cfg.DataDir = dir, data
	var logs bytes.Buffer
	a, err := Open(t.Context(), Options{Config: cfg, Log: NewLogger(&logs, config.Log{Level: "info", Format: "text"}), Indexer: indexer})
	return a, &logs, err
}

// TestConcurrentOpensSyncOnce starts several commands at once against one
// data directory, as 20 `ask` processes after a corpus change did (issue
// 15, item 12: each re-synced and saved the whole index). Exactly one
// syncs and saves; the others wait for it and open what it saved, or
// answer from the previous index with a notice.
func TestConcurrentOpensSyncOnce(t *testing.T) {
	t.Parallel()
	const procs = 6
	tests := []struct {
		name     string
		previous bool // an index exists before the corpus changes
	}{
		{"first index", false},
		{"corpus changed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, data := t.TempDir(), t.TempDir()
			writeReports(t, dir, 0, 4, 40)
			old := 0
			if tt.previous {
				a, _, err := openWithLog(t, dir, data, false)
				if err != nil {
					t.Fatal(err)
				}
				old = a.Engine.Index().Len()
				writeReports(t, dir, 4, 12, 40)
			}
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				apps  [procs]*App
				logs  [procs]*bytes.Buffer
				errs  [procs]error
			)
			for i := range procs {
				wg.Go(func() {
					<-start
					apps[i], logs[i], errs[i] = openWithLog(t, dir, data, false)
				})
			}
			close(start)
			wg.Wait()
			saves, fresh := 0, 0
			for i := range procs {
				if errs[i] != nil {
					t.Fatalf("open %d: %v", i, errs[i])
				}
				l := logs[i].String()
				saves += strings.Count(l, "index updated")
				switch n := apps[i].Engine.Index().Len(); {
				case n != old && n > 0:
					fresh++
				case !strings.Contains(l, msgAnsweringFromPrevious):
					t.Errorf("open %d: the previous index (%d passages) without the notice:\n%s", i, n, l)
				}
			}
			if saves != 1 || fresh == 0 {
				t.Errorf("%d opens: %d saved the index, %d have the new one; want exactly 1 save", procs, saves, fresh)
			}
			if !tt.previous && fresh != procs {
				t.Errorf("first index: %d of %d opens have it; want all (they wait)", fresh, procs)
			}
		})
	}
}

// TestOpenRemovesStaleTemps: a save killed with -9 left index.rbx.tmp-*
// behind (issue 15, item 11, 86 MB each, forever); the next command
// removes it.
func TestOpenRemovesStaleTemps(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	writeReports(t, dir, 0, 2, 5)
	if _, _, err := openWithLog(t, dir, data, false); err != nil {
		t.Fatal(err)
	}
	stale := []string{filepath.Join(data, index.IndexFile+".tmp-2718281828"), filepath.Join(data, index.CorpusStateFile+".tmp-31415")}
	for _, p := range stale {
		if err := os.WriteFile(p, bytes.Repeat([]byte{7}, 1<<16), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, logs, err := openWithLog(t, dir, data, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there after the next command (%v)", filepath.Base(p), err)
		}
	}
	if !strings.Contains(logs.String(), "removed temporary files left by an interrupted save") {
		t.Errorf("no log of the removal:\n%s", logs)
	}
}

// TestOpenRewritesFormat2 gives a command the format 2 index of
// index/testdata (issue 15, item 10) with the corpus it was built from:
// it answers from it, and writes it in the current format without
// embedding anything.
func TestOpenRewritesFormat2(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	reports := map[string]string{
		"tianjin-2018.txt": "天津市2018年政府工作报告\n\n一、2017年工作回顾\n\n过去一年，全市生产总值增长3.6%，新增就业3.4万人。\n\n二、2018年主要任务\n\n全市生产总值增长5%左右，新增就业40万人以上，城镇登记失业率控制在3.5%以内。\n",
		"wuqing-2019.txt":  "武清区2019年政府工作报告\n\n一、2018年工作回顾\n\n新建幼儿园12所，新增学位3600个。\n\n二、2019年主要任务\n\n新增就业2.1万人，改造老旧小区8个。\n",
	}
	for name, text := range reports {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, "../../../index/testdata/v2/index.rbx", filepath.Join(data, index.IndexFile))
	cfg := config.Default()
	cfg.Corpus.Dir, cfg.DataDir, cfg.Embed.Dim = dir, data, 64
	var logs bytes.Buffer
	a, err := Open(t.Context(), Options{Config: cfg, Log: NewLogger(&logs, config.Log{Level: "info", Format: "text"})})
	if err != nil {
		t.Fatal(err)
	}
	if a.Sync.Embedded != 0 || a.Engine.Index().Len() != 8 || a.Engine.Index().FileFormat() != index.FormatVersion {
		t.Errorf("format 2 index: %d embedded, %d passages, format %d; want 0, 8, %d\n%s",
			a.Sync.Embedded, a.Engine.Index().Len(), a.Engine.Index().FileFormat(), index.FormatVersion, logs.String())
	}
	if res, err := index.Verify(data); err != nil || res.Format != index.FormatVersion {
		t.Errorf("after the command: Verify = %+v, %v; want format %d", res, err, index.FormatVersion)
	}
	if !strings.Contains(logs.String(), "index file rewritten in the current format") {
		t.Errorf("no notice of the rewrite:\n%s", logs.String())
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
