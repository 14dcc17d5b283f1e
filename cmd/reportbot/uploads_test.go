package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
	"github.com/reportbot/reportbot/cmd/internal/app"
)

// jizhouReport is a report no bundled one resembles: its figures can only
// be answered from it.
const jizhouReport = `蓟州区2025年政府工作报告

各位代表:

现在,我代表区人民政府,向大会报告工作,请予审议,并请区政协委员和其他列席人员提出意见。

一、2024年工作回顾

过去一年,全区地区生产总值增长5.1%,一般公共预算收入完成18.6亿元。城镇新增就业1.05万人,居民人均可支配收入增长5.5%。

二、2025年主要任务

2025年经济社会发展的主要预期目标是:地区生产总值增长5%左右,居民人均可支配收入与经济增长同步。

(一)扎实推进乡村振兴。实施高标准农田建设5万亩,发展特色种植和乡村旅游,壮大村级集体经济。

(二)持续保障和改善民生。完善就业创业服务体系,城镇新增就业1.2万人,城镇调查失业率控制在5.5%以内。
`

const uploadAdmin = "500000000000000001"

// uploadServe runs serve offline (bundled corpus) against srv with an
// admin role, uploads limited to maxFileMB, and returns the directory its
// data directory is under.
func uploadServe(t *testing.T, srv *discordtest.Server, maxFileMB string) (dir string, stderr *lockedBuffer) {
	t.Helper()
	dir = t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfgText := fmt.Sprintf(`corpus:
  max_file_mb: %s
discord:
  api_url: %s
  guild_ids: ["%s"]
  admin_roles: ["%s"]
  edit_interval: 250ms
  shutdown_grace: 5s
`, maxFileMB, srv.URL(), testGuild, uploadAdmin)
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		switch k {
		case "XDG_CACHE_HOME":
			return dir
		case "DISCORD_BOT_TOKEN":
			return testToken
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout lockedBuffer
	stderr = &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", cfgPath}, &stdout, stderr, getenv) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	wctx, wcancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer wcancel()
	if err := srv.Wait(wctx, func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PUT" && strings.HasSuffix(r.Path, "/guilds/"+testGuild+"/commands") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("commands not registered: %v\nstderr:\n%s", err, stderr.String())
	}
	if err := srv.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}
	return dir, stderr
}

// waitReply waits until the original response of in holds want, and
// returns its content.
func waitReply(t *testing.T, srv *discordtest.Server, in discordtest.Interaction, want string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var content string
	if err := srv.Wait(ctx, func(v discordtest.View) bool {
		m, ok := v.Original(in.Token)
		content, _ = m["content"].(string)
		return ok && strings.Contains(content, want)
	}); err != nil {
		t.Fatalf("reply never said %q: %v; last %q", want, err, content)
	}
	return content
}

// upload dispatches /addreport with a file.
func upload(t *testing.T, srv *discordtest.Server, name string, data []byte) discordtest.Interaction {
	t.Helper()
	in, _, err := srv.CommandWithFile(t.Context(), discordtest.Command{Name: "addreport", GuildID: testGuild, ChannelID: testChannel,
		UserID: testUser, Roles: []string{uploadAdmin}}, discordtest.Upload{Option: "file", Name: name, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// askServe asks /ask and returns the final answer's message.
func askServe(t *testing.T, srv *discordtest.Server, q string) (content, sources string) {
	t.Helper()
	in, err := srv.Command(t.Context(), discordtest.Command{Name: "ask", Options: map[string]string{"question": q},
		GuildID: testGuild, ChannelID: testChannel, UserID: testUser})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	if err := srv.Wait(ctx, func(v discordtest.View) bool {
		m, ok := v.Original(in.Token)
		_, final := m["components"]
		return ok && final
	}); err != nil {
		t.Fatalf("no answer to %q: %v", q, err)
	}
	id, _ := srv.OriginalID(in.Token)
	msg, _ := srv.Message(id)
	for _, e := range msg.Embeds {
		sources += e.Description
	}
	return msg.Content, sources
}

// TestServeUploads drives /addreport and /removereport through serve with
// the real engine: an uploaded report is stored under a sanitised name in
// the data directory, indexed, and answers a question with its citation;
// the same file again, a file that is no report and one over the limit
// are refused; the bundled report cannot be removed; the upload can, after
// confirmation, and then no longer answers.
func TestServeUploads(t *testing.T) {
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close) // after serve has stopped
	dir, stderr := uploadServe(t, srv, "0.02")
	const question = "蓟州区2025年城镇新增就业目标是多少?"

	in := upload(t, srv, "蓟州区 2025年*报告?.txt", []byte(jizhouReport))
	added := waitReply(t, srv, in, "✅")
	t.Logf("addreport: %s", added)
	id := regexpFind(added, "upload `[0-9a-f]{8}`")
	if id == "" || !strings.Contains(added, "蓟州区2025年政府工作报告") {
		t.Fatalf("addreport said %q\nstderr:\n%s", added, stderr.String())
	}
	id = strings.Trim(strings.TrimPrefix(id, "upload "), "`")
	stored, _ := filepath.Glob(filepath.Join(dir, "reportbot", "bundled", app.UploadsDir, id, "[^.]*"))
	if len(stored) != 1 || filepath.Base(stored[0]) != "蓟州区_2025年_报告.txt" {
		t.Errorf("stored %v, want one file named 蓟州区_2025年_报告.txt", stored)
	}

	content, sources := askServe(t, srv, question)
	if !strings.Contains(content, "1.2万") || !strings.Contains(sources, "蓟州区2025年政府工作报告") {
		t.Errorf("answer %q with sources %q: want 1.2万 cited from the uploaded report", content, sources)
	}

	bundled, err := os.ReadFile(filepath.Join("..", "..", "corpus", "reports", "wuqing-later-report-fragment.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, data, want string }{
		{"again.txt", jizhouReport, "already added as upload `" + id + "`"},
		{"copy.txt", string(bundled), "the same report is already among the bot's reports"},
		{"report.txt", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "Not added: the file is image/png"},
		{"big.txt", strings.Repeat("这是一段很长的报告文字。", 1000), "reports added from Discord may be at most 20 KiB"},
	} {
		in := upload(t, srv, tt.name, []byte(tt.data))
		waitReply(t, srv, in, tt.want)
	}

	if kept, _ := filepath.Glob(filepath.Join(dir, "reportbot", "bundled", app.UploadsDir, "*")); len(kept) != 1 {
		t.Errorf("uploads kept: %v, want only %s", kept, id)
	}
	rm, err := srv.Command(t.Context(), discordtest.Command{Name: "removereport", Options: map[string]string{"id": "wuqing-2018-government-work-report.txt"},
		GuildID: testGuild, ChannelID: testChannel, UserID: testUser, Roles: []string{uploadAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	if c := waitReply(t, srv, rm, "bundled with reportbot"); !strings.HasPrefix(c, "`wuqing-2018-government-work-report.txt` is the report 武清区2018年政府工作报告") ||
		!strings.Contains(c, "removes only reports added with /addreport") {
		t.Errorf("removal of the bundled report answered %q", c)
	}

	rm, err = srv.Command(t.Context(), discordtest.Command{Name: "removereport", Options: map[string]string{"id": id},
		GuildID: testGuild, ChannelID: testChannel, UserID: testUser, Roles: []string{uploadAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, rm, "Remove upload `"+id+"`")
	msgID, _ := srv.OriginalID(rm.Token)
	msg, _ := srv.Message(msgID)
	confirm := regexpFind(string(mustJSON(t, msg.Components)), `rb:rm:[0-9a-f]+:\d+:\d+`)
	if _, err := srv.Click(t.Context(), discordtest.Click{CustomID: confirm, MessageID: msgID, GuildID: testGuild, ChannelID: testChannel,
		UserID: testUser, Roles: []string{uploadAdmin}}); err != nil {
		t.Fatal(err)
	}
	waitReply(t, srv, rm, "🗑️ Removed upload `"+id+"`")
	if _, err := os.Stat(filepath.Join(dir, "reportbot", "bundled", app.UploadsDir, id)); !os.IsNotExist(err) {
		t.Errorf("the upload's directory is still there: %v", err)
	}
	if content, _ := askServe(t, srv, question); strings.Contains(content, "1.2万") {
		t.Errorf("after removal the answer %q still quotes the upload", content)
	}
	var log bytes.Buffer
	log.WriteString(stderr.String())
	if strings.Contains(log.String(), testToken) {
		t.Error("the token leaked into the log")
	}
}

// TestUploadsSharedStore: with a shared store serve keeps no uploads, and
// both commands say how to add a report to the indexer's corpus.
func TestUploadsSharedStore(t *testing.T) {
	t.Parallel()
	u := newUploadAdapter(&app.App{Where: "weaviate http://127.0.0.1:8080 collection Passages", DataDir: t.TempDir()}, nil, nil)
	if u.store != nil || u.maxBytes() != 0 || !strings.Contains(u.ReadOnly(), "reportbot index") {
		t.Errorf("shared store: store %v, read-only %q", u.store, u.ReadOnly())
	}
}
