package bot

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/bot/discordtest"
)

func TestLoadMemory(t *testing.T) {
	t.Parallel()
	turn := `"turn":{"question":"q","answer":"a"}`
	tests := []struct {
		name        string
		file        string // "" writes no file
		wantEntries int
		wantSkipped int
	}{
		{"missing file", "", 0, 0},
		{"empty", "\n", 0, 1},
		{"good lines", `{"kind":"thread","thread":"1","parent":"2",` + turn + "}\n" +
			`{"kind":"turn","thread":"1",` + turn + "}\n" +
			`{"kind":"answer","message":"9","question":"q","answer":"a","passage_ids":["p"]}` + "\n", 3, 0},
		{"torn last line", `{"kind":"answer","message":"9"}` + "\n" + `{"kind":"turn","thr`, 1, 1},
		{"unknown kind and missing fields", `{"kind":"x"}` + "\n" + `{"kind":"turn","thread":"1"}` + "\n" + `{"kind":"answer"}` + "\n", 0, 3},
		{"not JSON", "\x00\xff garbage\n", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "memory.jsonl")
			if tt.file != "" {
				if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			entries, skipped, err := loadMemory(path)
			if err != nil || len(entries) != tt.wantEntries || skipped != tt.wantSkipped {
				t.Errorf("loadMemory = %d entries, %d skipped, %v; want %d, %d, nil", len(entries), skipped, err, tt.wantEntries, tt.wantSkipped)
			}
		})
	}
}

// TestMemoryFileRoundTrip: what a bot remembers, a new bot on the same
// file remembers too, bounded as in memory, with the file compacted.
func TestMemoryFileRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "memory.jsonl")
	b := newMemoryBot(t, path)
	b.rememberThread("t1", "c1", Turn{Question: "2018年新增就业目标是多少?", Answer: "3.4万人 [1]"})
	for i := range maxHistoryTurns + 2 {
		b.rememberTurn("t1", Turn{Question: strings.Repeat("那", i+1), Answer: "a"})
	}
	b.rememberTurn("unknown-thread", Turn{Question: "q", Answer: "a"}) // not one of ours: not kept
	b.rememberAnswer("m1", answerRecord{question: "q", answer: "a [1]", passageIDs: []string{"p1"}, trace: "why"})
	b.rememberAnswer("m2", answerRecord{question: "q2", answer: "a2", replyTo: "m1"})
	if err := b.jr.close(); err != nil {
		t.Fatal(err)
	}

	b2 := newMemoryBot(t, path)
	hist, parent, ok := b2.conv.lookup("t1")
	want, _, _ := b.conv.lookup("t1")
	if !ok || parent != "c1" || !slices.Equal(hist, want) || len(hist) != maxHistoryTurns {
		t.Errorf("restored thread: %v %q %d turns; want the %d newest turns of c1's thread", ok, parent, len(hist), maxHistoryTurns)
	}
	if _, _, ok := b2.conv.lookup("unknown-thread"); ok {
		t.Error("a turn of an unknown thread was restored as a thread")
	}
	rec, ok := b2.mem.get("m1")
	if !ok || rec.trace != "why" || !slices.Equal(rec.passageIDs, []string{"p1"}) || rec.question != "q" {
		t.Errorf("restored answer %+v, %v", rec, ok)
	}
	if got := b2.replyHistory("m2"); len(got) != 2 || got[0].Question != "q" || got[1].Question != "q2" {
		t.Errorf("restored reply chain %+v, want q then q2", got)
	}
	// Compacted: one line per remembered turn and answer, no more.
	if n := countLines(t, path); n != maxHistoryTurns+2 {
		t.Errorf("memory file has %d lines after restart, want %d", n, maxHistoryTurns+2)
	}
}

// TestMemoryFileCompactsWhileRunning: a long-running bot's file does not
// grow without bound.
func TestMemoryFileCompactsWhileRunning(t *testing.T) {
	t.Parallel()
	b := newMemoryBot(t, filepath.Join(t.TempDir(), "memory.jsonl"))
	path := b.opt.MemoryFile
	for i := range 2*compactAfter + 10 {
		b.rememberAnswer("m"+strconv.Itoa(i), answerRecord{question: "q", answer: "a"})
	}
	if n := countLines(t, path); n > 2*compactAfter || n < maxAnswers {
		t.Errorf("memory file has %d lines, want at most %d and at least the %d answers held", n, 2*compactAfter, maxAnswers)
	}
	entries, skipped, err := loadMemory(path)
	if err != nil || skipped != 0 || len(entries) < maxAnswers {
		t.Errorf("after compaction: %d entries, %d skipped, %v", len(entries), skipped, err)
	}
}

// TestThreadFollowUpAfterRestart: a follow-up in a thread opened before a
// restart still carries the conversation, and the Why? and feedback buttons
// on the old answer still know it.
func TestThreadFollowUpAfterRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opt := Options{MemoryFile: filepath.Join(dir, "memory.jsonl"), FeedbackFile: filepath.Join(dir, "feedback.jsonl")}
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	ans := &fakeAnswerer{text: "其中:新增就业3.4万人。 [1]", trace: "Rewritten query: 2018年新增就业目标"}
	tb := startBotOn(t, srv, opt, ans, nil)
	in := tb.ask(t, channel, "2018年新增就业目标是多少?")
	tb.waitOriginal(t, in, final)
	msgID, _ := srv.OriginalID(in.Token)
	threadID := tb.waitThread(t, msgID)
	if err := tb.stop(); err != nil {
		t.Fatal(err)
	}

	ans2 := &fakeAnswerer{text: "2017年新增就业3.3万人。 [1]"}
	tb2 := startBotOn(t, srv, opt, ans2, nil)
	in2 := tb2.ask(t, threadID, "那2017年呢?")
	tb2.waitOriginal(t, in2, final)
	qs := ans2.asked()
	if len(qs) != 1 || len(qs[0].History) != 1 || qs[0].History[0].Question != "2018年新增就业目标是多少?" || qs[0].History[0].Answer != ans.text {
		t.Errorf("follow-up after restart got history %+v, want the first turn", qs)
	}

	var cb struct {
		Data discordgo.InteractionResponseData `json:"data"`
	}
	if err := json.Unmarshal(clickResponse(t, srv, discordtest.Click{CustomID: idWhy, MessageID: msgID, GuildID: guild, ChannelID: channel, UserID: user}), &cb); err != nil {
		t.Fatal(err)
	}
	if len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Description, "Rewritten query: 2018年新增就业目标") {
		t.Errorf("Why? after restart answered %+v, want the trace", cb.Data)
	}
	checkNoPings(t, srv.Requests())
}

// newMemoryBot builds (without running) a bot whose memory file is path.
func newMemoryBot(t *testing.T, path string) *Bot {
	t.Helper()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	s, err := srv.NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(s, &fakeAnswerer{}, nil, Options{MemoryFile: path})
	if err != nil {
		t.Fatalf("New with memory file %s: %v", path, err)
	}
	t.Cleanup(func() { b.jr.close() })
	return b
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n
}

// TestUnreadableMemoryFileIsSetAside: a file the bot cannot read (here a
// line past the reader's limit) does not stop it starting; it is kept
// beside for a human and the bot starts with what it could read.
func TestUnreadableMemoryFileIsSetAside(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "memory.jsonl")
	good := `{"kind":"answer","message":"m1","answer":"a"}` + "\n"
	if err := os.WriteFile(path, []byte(good+strings.Repeat("x", 17<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := newMemoryBot(t, path)
	if _, ok := b.mem.get("m1"); !ok {
		t.Error("the readable entry before the bad line was not restored")
	}
	if fi, err := os.Stat(path + ".unreadable"); err != nil || fi.Size() < 17<<20 {
		t.Errorf("the unreadable file was not kept aside: %v", err)
	}
}

func FuzzLoadMemory(f *testing.F) {
	f.Add([]byte(`{"kind":"thread","thread":"1","parent":"2","turn":{"question":"q","answer":"a"}}` + "\n"))
	f.Add([]byte(`{"kind":"answer","message":"9","passage_ids":["p"],"trace":"t"}` + "\n" + `{"kind":"turn","thr`))
	f.Add([]byte("\n\n{}\n[]\nnull\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "memory.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		entries, _, err := loadMemory(path)
		if err != nil {
			return // only a line past 16 MiB, which fuzzing does not make
		}
		th, an := newThreads(), newAnswers()
		replay(entries, th, an)
		// What was read, written back compacted, reads back the same.
		live := append(th.entries(), an.entries()...)
		j, err := openJournal(path, live, nil)
		if err != nil {
			t.Fatal(err)
		}
		j.close()
		again, skipped, err := loadMemory(path)
		if err != nil || skipped != 0 || len(again) != len(live) {
			t.Fatalf("compacted file: %d entries, %d skipped, %v; want %d, 0, nil", len(again), skipped, err, len(live))
		}
	})
}
