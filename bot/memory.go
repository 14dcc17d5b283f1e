package bot

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// The bot's memory (threads' conversations, and recent answers for the
// feedback and Why? buttons) is kept in memory and, when Options.MemoryFile
// is set, journaled to a JSONL file so that a restart forgets nothing: New
// replays the file, then rewrites it compacted. Each change is one appended
// line; a line torn by a crash is skipped on the next start and loses only
// itself.

// Memory entry kinds.
const (
	memThread = "thread" // a thread opened on an answer, with its first turn
	memTurn   = "turn"   // a later turn of a thread
	memAnswer = "answer" // an answer message, for feedback and Why?
)

// memoryEntry is one line of the memory file.
type memoryEntry struct {
	Kind    string `json:"kind"`
	Thread  string `json:"thread,omitempty"`
	Parent  string `json:"parent,omitempty"`
	Turn    *Turn  `json:"turn,omitempty"`
	Message string `json:"message,omitempty"`
	// Answer fields (kind "answer").
	Question   string   `json:"question,omitempty"`
	Answer     string   `json:"answer,omitempty"`
	PassageIDs []string `json:"passage_ids,omitempty"`
	NotFound   bool     `json:"not_found,omitempty"`
	Trace      string   `json:"trace,omitempty"`
	// ReplyTo is the earlier answer the question replied to.
	ReplyTo string `json:"reply_to,omitempty"`
}

// compactAfter is how many lines the journal may grow by, beyond what the
// bounded memory can hold, before it is rewritten from the live state.
const compactAfter = maxAnswers + maxThreads*maxHistoryTurns

// journal appends memory entries to a file.
type journal struct {
	mu       sync.Mutex
	path     string
	f        *os.File
	lines    int
	snapshot func() []memoryEntry // the live state, for compaction
}

// loadMemory reads the memory file at path (a missing file is empty),
// returning its entries in order and how many lines could not be read.
func loadMemory(path string) (entries []memoryEntry, skipped int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("memory file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e memoryEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || !e.valid() {
			skipped++
			continue
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return entries, skipped, fmt.Errorf("memory file %s: %w", path, err)
	}
	return entries, skipped, nil
}

// valid reports whether e has what its kind needs.
func (e memoryEntry) valid() bool {
	switch e.Kind {
	case memThread, memTurn:
		return e.Thread != "" && e.Turn != nil
	case memAnswer:
		return e.Message != ""
	}
	return false
}

// openJournal rewrites path with entries (atomically: a temporary file
// renamed over it) and opens it for appending.
func openJournal(path string, entries []memoryEntry, snapshot func() []memoryEntry) (*journal, error) {
	j := &journal{path: path, snapshot: snapshot}
	if err := j.rewrite(entries); err != nil {
		return nil, err
	}
	return j, nil
}

// rewrite replaces the file with entries and reopens it for appending.
// The caller holds j.mu or owns j alone.
func (j *journal) rewrite(entries []memoryEntry) error {
	if err := os.MkdirAll(filepath.Dir(j.path), 0o755); err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), filepath.Base(j.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			tmp.Close()
			return fmt.Errorf("memory file: %w", err)
		}
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	f, err := os.OpenFile(j.path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	if j.f != nil {
		j.f.Close()
	}
	j.f, j.lines = f, len(entries)
	return nil
}

// append writes one entry, compacting the file when it has grown well past
// what memory holds. The caller must not hold the threads' or answers'
// locks (compaction takes them).
func (j *journal) append(e memoryEntry) error {
	if j == nil {
		return nil
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("memory file: closed")
	}
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("memory file: %w", err)
	}
	j.lines++
	if j.lines > 2*compactAfter && j.snapshot != nil {
		return j.rewrite(j.snapshot())
	}
	return nil
}

// close closes the file; later appends fail.
func (j *journal) close() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// entries returns the threads' state as memory entries, oldest thread
// first: each thread's first turn as a thread entry, the rest as turns.
func (t *threads) entries() []memoryEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []memoryEntry
	for _, id := range t.order {
		c := t.byID[id]
		for k, turn := range c.turns {
			e := memoryEntry{Kind: memTurn, Thread: id, Turn: &turn}
			if k == 0 {
				e.Kind, e.Parent = memThread, c.parentID
			}
			out = append(out, e)
		}
	}
	return out
}

// entries returns the remembered answers as memory entries, oldest first.
func (a *answers) entries() []memoryEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]memoryEntry, 0, len(a.order))
	for _, id := range a.order {
		out = append(out, a.byMsg[id].entry(id))
	}
	return out
}

// entry is r as a memory entry for message id.
func (r answerRecord) entry(messageID string) memoryEntry {
	return memoryEntry{Kind: memAnswer, Message: messageID, Question: r.question, Answer: r.answer,
		PassageIDs: r.passageIDs, NotFound: r.notFound, Trace: r.trace, ReplyTo: r.replyTo}
}

// replay applies entries to the threads and answers.
func replay(entries []memoryEntry, t *threads, a *answers) {
	for _, e := range entries {
		switch e.Kind {
		case memThread:
			t.open(e.Thread, e.Parent, *e.Turn)
		case memTurn:
			t.add(e.Thread, *e.Turn)
		case memAnswer:
			a.put(e.Message, answerRecord{question: e.Question, answer: e.Answer, passageIDs: e.PassageIDs,
				notFound: e.NotFound, trace: e.Trace, replyTo: e.ReplyTo})
		}
	}
}

// memoryEntries is the bot's live memory as entries: threads, then answers.
func (b *Bot) memoryEntries() []memoryEntry {
	return append(b.conv.entries(), b.mem.entries()...)
}

// rememberThread records a new thread with its first turn.
func (b *Bot) rememberThread(threadID, parentID string, first Turn) {
	b.conv.open(threadID, parentID, first)
	b.journal(memoryEntry{Kind: memThread, Thread: threadID, Parent: parentID, Turn: &first})
}

// rememberTurn adds a turn to one of the bot's threads.
func (b *Bot) rememberTurn(threadID string, turn Turn) {
	if b.conv.add(threadID, turn) {
		b.journal(memoryEntry{Kind: memTurn, Thread: threadID, Turn: &turn})
	}
}

// rememberAnswer records an answer message for feedback and Why?.
func (b *Bot) rememberAnswer(messageID string, r answerRecord) {
	b.mem.put(messageID, r)
	b.journal(r.entry(messageID))
}

// journal appends e to the memory file, if any; a failure is logged and
// the bot goes on with its memory intact until the next restart.
func (b *Bot) journal(e memoryEntry) {
	if err := b.jr.append(e); err != nil {
		b.log.Warn("cannot write the memory file; this will be forgotten on restart", "err", err)
	}
}
