package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/openai"
	"github.com/reportbot/reportbot/openai/openaitest"
)

// TestKill9DuringIndexing indexes through a slow embeddings API in a real
// child process, kills it with SIGKILL once it has saved a checkpoint and
// embedded more since, then checks that the index opens, holds only whole
// passages, and that the next run embeds only what was never embedded:
// batches after the checkpoint come back from the embed journal.
func TestKill9DuringIndexing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	t.Parallel()
	srv := openaitest.NewServer()
	defer srv.Close()
	srv.Latency = 40 * time.Millisecond
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`provider:
  base_url: %s
  api_key_env: FAKE_KEY
  max_concurrency: 1
embedder:
  kind: openai
  model: fake-embed
  dimensions: 64
  batch_size: 2
  checkpoint_every: 300ms
`, srv.BaseURL())), 0o644)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "index", "--config", cfg, "--data", data)
	child.Env = append(os.Environ(), childEnv+"=1", "FAKE_KEY="+fakeKey, "XDG_CACHE_HOME="+dir)
	var childErr strings.Builder
	child.Stderr = &childErr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	indexFile := filepath.Join(data, "index.rbx")
	// Wait for a checkpoint on disk and a few more batches after it.
	var atCheckpoint int
	for {
		if ctx.Err() != nil {
			t.Fatalf("no checkpoint appeared; child stderr:\n%s", childErr.String())
		}
		n := len(srv.Requests())
		if _, err := os.Stat(indexFile); err == nil {
			if atCheckpoint == 0 {
				atCheckpoint = n
			} else if n >= atCheckpoint+6 {
				break
			}
		}
		if n >= 42 {
			t.Fatalf("the child embedded everything (%d requests) before a checkpoint could be interrupted", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no deferred code runs
		t.Fatal(err)
	}
	_ = child.Wait()
	killedAt := len(srv.Requests())

	// The store opens, and every passage in it is whole, with its vector.
	p, err := openai.NewProvider(openai.ProviderOptions{BaseURL: srv.BaseURL(), APIKey: fakeKey})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := openai.NewEmbedder(ctx, p, openai.EmbedderOptions{Model: "fake-embed", Dimensions: 64})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(data, emb)
	if err != nil {
		t.Fatalf("the index does not open after kill -9: %v", err)
	}
	partial := ix.Len()
	if partial == 0 || partial >= 84 {
		t.Fatalf("index after the kill holds %d passages; want a partial index (checkpoint)", partial)
	}
	all, err := ix.Passages()
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range all {
		if strings.TrimSpace(sp.Text) == "" || sp.EmbedKey == "" {
			t.Fatalf("passage %s is half-written: %+v", sp.ID, sp)
		}
		if _, ok := ix.Report(sp.ReportID); !ok {
			t.Fatalf("passage %s has no report", sp.ID)
		}
	}
	store, err := ix.Store(ctx)
	if err != nil || store.Count() != partial {
		t.Fatalf("store: %v, %d vectors for %d passages", err, store.Count(), partial)
	}
	// The journal holds every batch answered before the kill.
	j, err := index.OpenEmbedJournal(data, emb.ID(), emb.Dim())
	if err != nil {
		t.Fatal(err)
	}
	journaled := j.Len()
	j.Close()

	// The next run completes the job, embedding only the rest.
	out, stderr, err := runWithKeyIn(t, dir, "index", "--config", cfg, "--data", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	resumed := len(srv.Requests()) - killedAt
	// Before the kill: one probe, then batches of 2 one at a time, of which
	// the last may have been in flight (answered but never journaled).
	if journaled < 2*max(0, killedAt-2) || journaled < partial {
		t.Errorf("the journal holds %d vectors after %d requests (%d checkpointed); want every answered batch", journaled, killedAt, partial)
	}
	if want := (84-journaled+1)/2 + 1; resumed > want {
		t.Errorf("the second run sent %d embedding requests; want at most %d (%d passages were journaled before the kill, %d checkpointed)",
			resumed, want, journaled, partial)
	}
	if !strings.Contains(stderr, "embed journal") {
		t.Errorf("the second run did not say it resumed from the journal:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(data, index.JournalFile)); !os.IsNotExist(err) {
		t.Errorf("the journal is still there after a complete run: %v", err)
	}
	ix, err = index.Open(data, emb)
	if err != nil || ix.Len() != 84 {
		t.Fatalf("after the second run: %v, %d passages; want 84\n%s", err, ix.Len(), out)
	}
}

// runWithKeyIn is runWithKey with the cache under dir.
func runWithKeyIn(t *testing.T, dir string, args ...string) (string, string, error) {
	t.Helper()
	getenv := func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return dir
		case "FAKE_KEY":
			return fakeKey
		}
		return ""
	}
	var out, errOut lockedBuffer
	err := run(t.Context(), args, &out, &errOut, getenv)
	return out.String(), errOut.String(), err
}
