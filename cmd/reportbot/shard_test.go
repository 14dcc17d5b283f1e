package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestServeShards runs two serve processes, each on its own embedded
// index, as shards 0 and 1 of 2 (see serveShards).
func TestServeShards(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	t.Parallel()
	serveShards(t, "")
}

// serveShards runs two `reportbot serve` child processes as shards 0 and 1
// of 2 against one fake Discord, which routes each guild's events to one
// shard as Discord does: each process identifies with its own shard, only
// shard 0 registers the slash commands, and a question in each guild is
// answered once, by the process of that guild's shard. storeYAML is added
// to both configs (empty: each process has its own embedded index).
func serveShards(t *testing.T, storeYAML string) {
	srv := discordtest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var logs [2]lockedBuffer
	var children [2]*exec.Cmd
	for shard := range 2 {
		cfg := filepath.Join(dir, fmt.Sprintf("shard%d.yaml", shard))
		os.WriteFile(cfg, []byte(fmt.Sprintf("discord:\n  api_url: %s\n  guild_ids: [\"%s\"]\n  shard_id: %d\n  shard_count: 2\n%s",
			srv.URL(), testGuild, shard, storeYAML)), 0o644)
		child := exec.CommandContext(ctx, os.Args[0], "serve", "--config", cfg, "--data", filepath.Join(dir, fmt.Sprint(shard)))
		child.Env = append(os.Environ(), childEnv+"=1", "XDG_CACHE_HOME="+dir, "DISCORD_BOT_TOKEN="+testToken)
		child.Stderr = &logs[shard]
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		children[shard] = child
	}
	defer func() {
		for _, c := range children {
			if c.ProcessState == nil {
				_ = c.Process.Kill()
				_ = c.Wait()
			}
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, 2*time.Minute)
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
	// One guild on each shard.
	id, _ := strconv.ParseUint(testGuild, 10, 64)
	guilds := [2]string{testGuild, strconv.FormatUint(id+1<<22, 10)}
	if discordtest.ShardOf(guilds[0], 2) == 1 {
		guilds[0], guilds[1] = guilds[1], guilds[0]
	}
	var ins [2]discordtest.Interaction
	for shard, g := range guilds {
		in, err := srv.Command(wctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": "2018年新增就业目标是多少?"},
			GuildID: g, ChannelID: testChannel, UserID: testUser})
		if err != nil {
			t.Fatalf("shard %d guild %s: %v", shard, g, err)
		}
		ins[shard] = in
	}
	for shard, in := range ins {
		if err := srv.Wait(wctx, func(v discordtest.View) bool {
			m, ok := v.Original(in.Token)
			_, final := m["components"]
			return ok && final && strings.Contains(fmt.Sprint(m["content"]), "3.4万")
		}); err != nil {
			t.Fatalf("no answer in shard %d's guild: %v\n%s", shard, err, logs[shard].String())
		}
		acks := 0
		for _, r := range srv.Requests() {
			if r.Method == "POST" && strings.HasPrefix(r.Path, "/interactions/"+in.ID+"/") {
				acks++
			}
		}
		if acks != 1 {
			t.Errorf("the question in shard %d's guild got %d interaction responses; want 1 (one process)", shard, acks)
		}
		// The process logs the answer just after its final edit.
		mark := "interaction=" + in.ID
		for !strings.Contains(logs[shard].String(), mark) && wctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		if !strings.Contains(logs[shard].String(), mark) || strings.Contains(logs[1-shard].String(), mark) {
			t.Errorf("the question in guild %s was not handled by shard %d alone\n%s", guilds[shard], shard, logs[shard].String())
		}
	}
	for shard, c := range children {
		_ = c.Process.Signal(syscall.SIGTERM)
		if err := c.Wait(); err != nil {
			t.Errorf("serve shard %d: %v\n%s", shard, err, logs[shard].String())
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
