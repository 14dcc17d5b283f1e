package bot

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// FeedbackRecord is one line of the feedback file: one vote. A user has
// one vote per answer message: a later line for the same MessageID and
// UserID changes it (LatestVotes).
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
	// replyTo is the earlier answer message its question replied to, if
	// any: the reply chain that carries a conversation (replies.go).
	replyTo string
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

// ReadFeedback reads a feedback file's records in order. Lines that are
// not a record (one torn by a crash) are skipped.
func ReadFeedback(r io.Reader) ([]FeedbackRecord, error) {
	var recs []FeedbackRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var rec FeedbackRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.Verdict == "" {
			continue
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return recs, fmt.Errorf("feedback: %w", err)
	}
	return recs, nil
}

// LatestVotes keeps each user's last vote on each answer message, in the
// order of their first votes.
func LatestVotes(recs []FeedbackRecord) []FeedbackRecord {
	type key struct{ msg, user string }
	at := map[key]int{}
	var out []FeedbackRecord
	for _, r := range recs {
		k := key{r.MessageID, r.UserID}
		if i, ok := at[k]; ok {
			out[i] = r
			continue
		}
		at[k] = len(out)
		out = append(out, r)
	}
	return out
}

// voteKey is one user's vote on one answer message.
type voteKey struct{ message, user string }

// feedbackFile appends records to a JSONL file. Writes are serialised and
// each record is one write, so lines never interleave. It knows each
// user's current vote on each answer (read from the file on first use).
type feedbackFile struct {
	mu    sync.Mutex
	path  string
	votes map[voteKey]string // nil until read
}

// vote records r unless it repeats the user's current vote on the
// message; it returns the previous verdict ("" when none).
func (f *feedbackFile) vote(r FeedbackRecord) (previous string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.votes == nil {
		if err := f.load(); err != nil {
			return "", err
		}
	}
	k := voteKey{r.MessageID, r.UserID}
	previous = f.votes[k]
	if previous == r.Verdict {
		return previous, nil
	}
	if err := f.write(r); err != nil {
		return previous, err
	}
	f.votes[k] = r.Verdict
	return previous, nil
}

// load reads the current votes from the file (missing: none); f.mu is
// held.
func (f *feedbackFile) load() error {
	f.votes = map[voteKey]string{}
	file, err := os.Open(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	defer file.Close()
	recs, err := ReadFeedback(file)
	for _, r := range recs {
		f.votes[voteKey{r.MessageID, r.UserID}] = r.Verdict
	}
	return err
}

// write appends r; f.mu is held.
func (f *feedbackFile) write(r FeedbackRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
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
