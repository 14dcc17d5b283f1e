package bot

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// FeedbackRecord is one line of the feedback file.
type FeedbackRecord struct {
	Time       time.Time `json:"time"`
	Verdict    string    `json:"verdict"` // "helpful" or "wrong"
	UserID     string    `json:"user_id"`
	GuildID    string    `json:"guild_id,omitempty"`
	ChannelID  string    `json:"channel_id"`
	MessageID  string    `json:"message_id"`
	Question   string    `json:"question"`
	Answer     string    `json:"answer"`
	PassageIDs []string  `json:"passage_ids"`
	NotFound   bool      `json:"not_found,omitempty"`
}

// answerRecord is what the bot remembers of an answer for feedback.
type answerRecord struct {
	question, answer string
	passageIDs       []string
	notFound         bool
	trace            string
}

// answers remembers recent answers by message id, bounded.
type answers struct {
	mu    sync.Mutex
	byMsg map[string]answerRecord
	order []string
}

func newAnswers() *answers { return &answers{byMsg: map[string]answerRecord{}} }

func (a *answers) put(messageID string, r answerRecord) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.byMsg[messageID]; !ok {
		a.order = append(a.order, messageID)
	}
	a.byMsg[messageID] = r
	for len(a.order) > maxAnswers {
		delete(a.byMsg, a.order[0])
		a.order = a.order[1:]
	}
}

func (a *answers) get(messageID string) (answerRecord, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.byMsg[messageID]
	return r, ok
}

// feedbackFile appends records to a JSONL file. Writes are serialised and
// each record is one write, so lines never interleave.
type feedbackFile struct {
	mu   sync.Mutex
	path string
}

func (f *feedbackFile) write(r FeedbackRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	file, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	if _, err := file.Write(append(line, '\n')); err != nil {
		file.Close()
		return fmt.Errorf("feedback %s: %w", f.path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("feedback %s: %w", f.path, err)
	}
	return nil
}
