package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestServeShards runs two serve processes as shards 0 and 1 of 2 against
// one fake Discord: each identifies with its own shard, and only shard 0
// registers the slash commands.
func TestServeShards(t *testing.T) {
	srv := discordtest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{"XDG_CACHE_HOME": dir, "DISCORD_BOT_TOKEN": testToken}[k]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 2)
	var logs [2]lockedBuffer
	for shard := range 2 {
		cfg := filepath.Join(dir, fmt.Sprintf("shard%d.yaml", shard))
		os.WriteFile(cfg, []byte(fmt.Sprintf("discord:\n  api_url: %s\n  guild_ids: [\"%s\"]\n  shard_id: %d\n  shard_count: 2\n",
			srv.URL(), testGuild, shard)), 0o644)
		go func() {
			var out lockedBuffer
			done <- run(ctx, []string{"serve", "--config", cfg, "--data", filepath.Join(dir, fmt.Sprint(shard))}, &out, &logs[shard], getenv)
		}()
	}
	wctx, wcancel := context.WithTimeout(t.Context(), time.Minute)
	defer wcancel()
	if err := srv.WaitConnected(wctx, 2); err != nil {
		t.Fatalf("%v\n%s\n%s", err, logs[0].String(), logs[1].String())
	}
	var shards []string
	for _, raw := range srv.Identifies() {
		var id struct {
			Shard []int `json:"shard"`
		}
		if err := json.Unmarshal(raw, &id); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, fmt.Sprint(id.Shard))
	}
	slices.Sort(shards)
	if !slices.Equal(shards, []string{"[0 2]", "[1 2]"}) {
		t.Errorf("IDENTIFY shards %v; want [0 2] and [1 2]", shards)
	}
	// Shard 0 registers the commands; give shard 1 the same chance to (wrongly) do so.
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}
	for shard := range 2 {
		for !strings.Contains(logs[shard].String(), "connected to discord") {
			if wctx.Err() != nil {
				t.Fatalf("shard %d never connected:\n%s", shard, logs[shard].String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
	puts := 0
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
			puts++
		}
	}
	if puts != 1 {
		t.Errorf("%d command registrations; want 1 (shard 0 only)", puts)
	}
}
