// Package bot answers questions in Discord: the /ask slash command, mentions
// and direct messages, with streamed answers whose sources are shown as an
// embed and as buttons that reveal the full cited passage.
//
// The package knows nothing of how answers are made. It talks to an
// Answerer (and, for admin commands, a Library) that cmd/reportbot adapts
// from the retrieval engine.
package bot

import (
	"context"
	"errors"
)

// ErrBadQuestion marks an error about the question itself (empty, too
// long). Its message is safe to show to the asker.
var ErrBadQuestion = errors.New("bad question")

// ErrUnknownPassage is returned by Answerer.Passage for an id that is not
// (or no longer) indexed.
var ErrUnknownPassage = errors.New("unknown passage")

// Turn is one earlier exchange of a conversation.
type Turn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Question is what the bot asks an Answerer.
type Question struct {
	// Text is the question with Discord mentions removed.
	Text string
	// History holds the earlier turns of the thread, oldest first.
	History []Turn
	// OnDelta, when set, receives provisional answer text in pieces as it is
	// produced. It may be called from any goroutine, but not concurrently.
	// The returned Answer replaces whatever was streamed.
	OnDelta func(delta string)
}

// Source is one cited passage.
type Source struct {
	// N is the [n] marker in the answer text.
	N           int
	PassageID   string
	ReportTitle string
	// URL is where the report was published; "" when unknown.
	URL string
	// Year is the report year, 0 when unknown.
	Year int
	// Section is the heading path, outermost first.
	Section   []string
	Paragraph int
	// Page is the PDF page the passage starts on; 0 for other formats.
	Page int
	// Scanned is set when the passage was read by OCR from a scanned page.
	Scanned bool
	// Quote is a short verbatim excerpt.
	Quote string
	// Text is the full passage.
	Text string
}

// Answer is a cited answer.
type Answer struct {
	// Text is Markdown with [n] markers that refer to Sources.
	Text    string
	Sources []Source
	// NotFound is set when the reports do not hold the answer; Sources are
	// then the closest passages, not citations.
	NotFound bool
	// Notice is an optional short note about how the answer was made.
	Notice string
	// Trace, when set, explains how the answer was found (query analysis,
	// rewritten query, filters, retrieved passages and scores); the "Why?"
	// button shows it to the one who clicks.
	Trace string
	// Table, when set, holds the answer's figures as rows (a series, a
	// comparison, a target against its result); it is shown as an embed.
	Table *Table
	// Chart, when set, is a PNG image of the table's series, attached to
	// the answer and shown in the table's embed.
	Chart []byte
}

// Answerer answers questions. The bot calls it from many goroutines at
// once; implementations must be safe for concurrent use and must return
// soon after ctx is done.
type Answerer interface {
	// Answer answers q. Errors wrapping ErrBadQuestion are shown to the
	// asker; others are logged and the asker sees a generic apology.
	Answer(ctx context.Context, q Question) (*Answer, error)
	// Passage returns the full passage with id (N is zero), or an error
	// wrapping ErrUnknownPassage.
	Passage(ctx context.Context, id string) (*Source, error)
}

// Report describes one indexed report for /reports.
type Report struct {
	ID       string
	Title    string
	Year     int // 0 when unknown
	Passages int
}

// ReindexResult summarises a reindex for the admin who asked for it.
type ReindexResult struct {
	Reports, Passages, Embedded, Removed int
}

// Library is what the admin commands need. Reindex may take long; the bot
// runs at most one at a time.
type Library interface {
	Reports(ctx context.Context) ([]Report, error)
	Reindex(ctx context.Context) (ReindexResult, error)
}
