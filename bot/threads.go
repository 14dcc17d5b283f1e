package bot

import "sync"

// Conversation memory bounds.
const (
	maxThreads      = 2000 // threads remembered; the oldest is forgotten first
	maxHistoryTurns = 6    // turns of a thread passed to the answerer
	maxAnswers      = 5000 // answers remembered for feedback records
)

// conversation is the history of a thread the bot opened.
type conversation struct {
	parentID string
	turns    []Turn
}

// threads remembers the bot's threads and their conversations, bounded
// (Options.MemoryFile keeps them across restarts).
type threads struct {
	mu    sync.Mutex
	byID  map[string]*conversation
	order []string // oldest first
}

func newThreads() *threads { return &threads{byID: map[string]*conversation{}} }

// open records a new thread with its first turn.
func (t *threads) open(threadID, parentID string, first Turn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.byID[threadID]; !ok {
		t.order = append(t.order, threadID)
	}
	t.byID[threadID] = &conversation{parentID: parentID, turns: []Turn{first}}
	for len(t.order) > maxThreads {
		delete(t.byID, t.order[0])
		t.order = t.order[1:]
	}
}

// lookup returns a copy of a thread's history and its parent channel; ok
// is false when channelID is not one of the bot's threads.
func (t *threads) lookup(channelID string) (history []Turn, parentID string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.byID[channelID]
	if !ok {
		return nil, "", false
	}
	return append([]Turn(nil), c.turns...), c.parentID, true
}

// add appends a turn to a known thread, keeping the newest turns; it
// reports false when the thread is unknown.
func (t *threads) add(threadID string, turn Turn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.byID[threadID]
	if !ok {
		return false
	}
	c.turns = append(c.turns, turn)
	if len(c.turns) > maxHistoryTurns {
		c.turns = append([]Turn(nil), c.turns[len(c.turns)-maxHistoryTurns:]...)
	}
	return true
}
