package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Options configure a Bot. The zero value of a field means its default.
type Options struct {
	// ApplicationID registers the commands; empty means the id READY gives.
	ApplicationID string
	// GuildIDs get the commands registered per guild (available at once);
	// empty registers them globally (Discord may take a while to show them).
	GuildIDs []string
	// AnswerMentions answers messages that @mention the bot.
	AnswerMentions bool
	// AnswerDMs answers direct messages and /ask in DMs, for members of an
	// allowed guild (holding an allowed role, when AllowedRoles is set):
	// see dms.go for the policy.
	AnswerDMs bool
	// ThreadReplies answers every message in the bot's threads, not only
	// mentions. It needs the privileged Message Content intent.
	ThreadReplies bool
	// AutoAnswerChannels are text channels where every new post by a
	// person is answered, in a thread opened on it, without a mention;
	// AutoAnswerForums are forum channels where every new post (a thread's
	// starter message) is answered in its thread. Both need the privileged
	// Message Content intent. The allow-lists and the rate limit apply.
	AutoAnswerChannels, AutoAnswerForums []string
	// AllowedGuilds, AllowedChannels and AllowedRoles restrict who may ask
	// where; empty allows all. A thread is allowed when its parent is.
	AllowedGuilds, AllowedChannels, AllowedRoles []string
	// AdminRoles may run /reindex. Empty: nobody may.
	AdminRoles []string
	// Uploads, when set, offers admins /addreport and /removereport
	// (addreport.go); MaxUploadBytes (default DefaultMaxUploadBytes) and
	// UploadTimeout (default DefaultUploadTimeout) bound a download.
	Uploads        Uploads
	MaxUploadBytes int64
	UploadTimeout  time.Duration
	// MaxQuestionRunes is the longest question the bot passes on, which
	// is also the /ask option's maximum length; the Answerer's rule (cmd
	// sets it from package query) should be given. 0: no limit in the bot.
	MaxQuestionRunes int
	// RateLimit is the questions per user per minute; 0 is unlimited.
	RateLimit int
	// MaxConcurrent answers run at once (default 4); QueueSize more wait
	// (0: the default, 32; negative: no queue), and beyond that askers are
	// told the bot is busy.
	MaxConcurrent, QueueSize int
	// FeedbackFile is the JSONL file feedback is appended to; empty turns
	// the feedback buttons off.
	FeedbackFile string
	// MemoryFile keeps the threads' conversations and recent answers (for
	// feedback and the Why? button) across restarts; empty keeps them in
	// memory only. One file per process: shards need one each.
	MemoryFile string
	// EditInterval is the least time between two edits of a streamed
	// answer (default 1s).
	EditInterval time.Duration
	// AnswerTimeout bounds one answer (default 60s).
	AnswerTimeout time.Duration
	// QueueWait bounds the wait for an answer slot (default 5m). For /ask
	// the wait also ends in time for AnswerTimeout and the posting of the
	// answer to fit in the interaction token's 15 minutes.
	QueueWait time.Duration
	// Now is the bot's clock (default time.Now), for interaction tokens'
	// life; tests pass the fake Discord's clock.
	Now func() time.Time
	// RESTTimeout bounds each Discord REST call (default 10s).
	RESTTimeout time.Duration
	// ShutdownGrace is how long running answers may finish after Run's
	// context ends (default 10s); then they are cancelled and their askers
	// told.
	ShutdownGrace time.Duration
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
}

func (o *Options) defaults() {
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.QueueSize < 0 {
		o.QueueSize = 0
	} else if o.QueueSize == 0 {
		o.QueueSize = 32
	}
	if o.EditInterval <= 0 {
		o.EditInterval = time.Second
	}
	if o.AnswerTimeout <= 0 {
		o.AnswerTimeout = time.Minute
	}
	if o.QueueWait <= 0 {
		o.QueueWait = 5 * time.Minute
	}
	if o.RESTTimeout <= 0 {
		o.RESTTimeout = 10 * time.Second
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 10 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Bot answers questions in Discord. Create it with New and start it with
// Run.
type Bot struct {
	s     *discordgo.Session
	ans   Answerer
	lib   Library
	opt   Options
	log   *slog.Logger
	limit *rateLimiter
	// toldLimit allows one rate-limit explanation per user a minute in
	// direct messages; further refusals are reactions.
	toldLimit *rateLimiter
	adm       *admission
	conv      *threads
	mem       *answers
	jr        *journal // nil: memory is not kept across restarts
	fb        *feedbackFile
	dms       dmMembers // membership checks of DM senders

	reindexMu sync.Mutex // one reindex at a time

	mu      sync.Mutex
	closing bool
	wg      sync.WaitGroup // every event handler in flight
	appID   string
	userID  string

	// work is the context of answers in progress; cancelling it (after
	// the shutdown grace) interrupts them.
	work       context.Context
	cancelWork context.CancelFunc
}

// New returns a bot on session s, which must not be open yet; the bot
// sets its intents and handlers and opens it in Run, and puts its own
// Discord rate limiting in front of s.Client's transport (set s.Client
// before New). lib may be nil (no admin commands).
func New(s *discordgo.Session, ans Answerer, lib Library, opt Options) (*Bot, error) {
	if s == nil || ans == nil {
		return nil, errors.New("bot: a session and an answerer are required")
	}
	opt.defaults()
	b := &Bot{
		s: s, ans: ans, lib: lib, opt: opt, log: opt.Log,
		limit:     newRateLimiter(opt.RateLimit, time.Minute),
		toldLimit: newRateLimiter(1, time.Minute),
		adm:       newAdmission(opt.MaxConcurrent, opt.QueueSize),
		conv:      newThreads(),
		mem:       newAnswers(),
		appID:     opt.ApplicationID,
	}
	b.installREST()
	if opt.FeedbackFile != "" {
		b.fb = &feedbackFile{path: opt.FeedbackFile}
	}
	if opt.MemoryFile != "" {
		entries, skipped, err := loadMemory(opt.MemoryFile)
		if err != nil {
			// Keep the file for a human and go on with what was read.
			aside := opt.MemoryFile + ".unreadable"
			if rerr := os.Rename(opt.MemoryFile, aside); rerr != nil {
				return nil, fmt.Errorf("bot: %w", err)
			}
			b.log.Warn("memory file unreadable: set aside, starting with what could be read", "file", opt.MemoryFile,
				"moved_to", aside, "entries", len(entries), "err", err)
		}
		replay(entries, b.conv, b.mem)
		if skipped > 0 {
			b.log.Warn("memory file: skipped unreadable lines (a write cut short by a crash?)", "file", opt.MemoryFile, "lines", skipped)
		}
		b.jr, err = openJournal(opt.MemoryFile, b.memoryEntries(), b.memoryEntries)
		if err != nil {
			return nil, fmt.Errorf("bot: %w", err)
		}
		b.log.Info("memory restored", "file", opt.MemoryFile, "threads", len(b.conv.order), "answers", len(b.mem.order))
	}
	return b, nil
}

// Intents returns the gateway intents the options need. Message Content,
// a privileged intent, is needed only for ThreadReplies and auto-answer:
// Discord delivers the content of messages that mention the bot, and of
// DMs, without it.
func (o Options) Intents() discordgo.Intent {
	in := discordgo.IntentsGuilds
	auto := len(o.AutoAnswerChannels) > 0 || len(o.AutoAnswerForums) > 0
	if o.AnswerMentions || o.ThreadReplies || auto {
		in |= discordgo.IntentsGuildMessages
	}
	if o.AnswerDMs {
		in |= discordgo.IntentsDirectMessages
	}
	if o.ThreadReplies || auto {
		in |= discordgo.IntentMessageContent
	}
	return in
}

// Run connects to Discord, registers the slash commands and answers until
// ctx ends. Then it stops taking questions, tells queued askers, lets
// running answers finish for the shutdown grace (then interrupts them and
// says so), and disconnects. It returns an error when it cannot connect
// or register the commands.
func (b *Bot) Run(ctx context.Context) error {
	defer b.jr.close() // last: after running answers have finished
	b.work, b.cancelWork = context.WithCancel(context.WithoutCancel(ctx))
	defer b.cancelWork()
	b.s.Identify.Intents = b.opt.Intents()
	b.s.SyncEvents = false
	removers := []func(){
		b.s.AddHandler(b.onInteraction),
		b.s.AddHandler(b.onMessage),
		b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
			b.mu.Lock()
			closing := b.closing
			b.mu.Unlock()
			if !closing {
				b.log.Warn("discord gateway disconnected; reconnecting")
			}
		}),
		b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { b.log.Info("discord gateway resumed") }),
		b.s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
			b.log.Warn("discord rate limit", "url_bucket", r.Bucket, "retry_after", r.RetryAfter)
		}),
	}
	defer func() {
		for _, rm := range removers {
			rm()
		}
	}()
	if err := b.s.Open(); err != nil {
		return fmt.Errorf("discord: connect: %w%s", err, connectHint(err))
	}
	b.readReady()
	b.log.Info("connected to discord", "application_id", b.appID, "bot_user_id", b.userID,
		"shard", b.s.ShardID, "shards", b.s.ShardCount, "intents", int(b.s.Identify.Intents))
	if err := b.registerCommands(ctx); err != nil {
		b.s.Close()
		return err
	}
	<-ctx.Done()
	b.shutdown()
	if err := b.s.Close(); err != nil {
		return fmt.Errorf("discord: close: %w", err)
	}
	b.log.Info("disconnected from discord")
	return nil
}

// connectHint explains the gateway close codes a configuration causes.
func connectHint(err error) string {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return ""
	}
	switch ce.Code {
	case 4004:
		return " (the token was rejected: reset it in the developer portal, Bot → Reset Token, and update the environment variable)"
	case 4014:
		return " (a privileged intent is not enabled: turn on Message Content Intent in the developer portal, Bot page, or set discord.thread_replies: false and empty discord.auto_answer_channels and auto_answer_forums)"
	}
	return ""
}

// readReady takes the application and bot user ids from the READY event,
// which Open has processed into the session state.
func (b *Bot) readReady() {
	st := b.s.State
	st.RLock()
	defer st.RUnlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.appID == "" && st.Application != nil {
		b.appID = st.Application.ID
	}
	if st.User != nil {
		b.userID = st.User.ID
		if b.appID == "" {
			b.appID = st.User.ID // a bot's application id is its user id
		}
	}
}

// shutdown stops new questions and waits for running ones.
func (b *Bot) shutdown() {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.adm.Close()
	b.log.Info("shutting down: finishing answers in progress", "running", b.adm.Running(), "grace", b.opt.ShutdownGrace)
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	timer := time.NewTimer(b.opt.ShutdownGrace)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	b.log.Warn("shutdown grace over: interrupting answers in progress", "running", b.adm.Running())
	b.cancelWork()
	<-done
}

// track registers a handler in flight; it returns false once shutting
// down. Every true must be matched by b.wg.Done.
func (b *Bot) track() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.wg.Add(1)
	return true
}

// recover logs a panic in an event handler instead of crashing the bot;
// use it deferred.
func (b *Bot) recover(event string) {
	if r := recover(); r != nil {
		b.log.Error("panic in event handler", "event", event, "panic", r, "stack", string(debug.Stack()))
	}
}

// ids returns the application and bot user ids.
func (b *Bot) ids() (appID, userID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID, b.userID
}

// rest returns a context bounded by the REST timeout for one Discord
// call, derived from ctx but surviving its cancellation, so that an
// interrupted answer can still tell its asker.
func (b *Bot) rest(ctx context.Context) (discordgo.RequestOption, context.CancelFunc) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.opt.RESTTimeout)
	return discordgo.WithContext(c), cancel
}
