package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/bot"
	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
	"github.com/reportbot/reportbot/rag"
)

var serveHelp = commandHelp{
	summary: "run the Discord bot (token from $DISCORD_BOT_TOKEN)",
	usage:   []string{"reportbot serve [flags]"},
	details: `The bot answers /ask, mentions and DMs (see the discord: section of
config.example.yaml). The bot token is read from the environment variable
named by discord.token_env (default DISCORD_BOT_TOKEN). Stop it with Ctrl-C
or SIGTERM: answers in progress finish first.`,
}

func cmdServe(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("serve", serveHelp)
	cf := addCommonFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	// Check the token before loading anything.
	cfg, err := loadConfig(cf.config)
	if err != nil {
		return err
	}
	dc := cfg.DiscordOrDefault()
	token, err := dc.Token(env.lookupEnv)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, cf, progressOut(env))
	if err != nil {
		return err
	}
	if err := a.Engine.Index().PrepareSearch(ctx); err != nil {
		return err
	}
	reload := *cf
	reload.rebuild = false
	m := newMetrics()
	reloadWith := func(ctx context.Context, progress index.Progress) (*rag.Engine, index.SyncStats, error) {
		fresh, err := openAppWithProgress(ctx, env, &reload, progress)
		if err != nil {
			return nil, index.SyncStats{}, err
		}
		if err := fresh.Engine.Index().PrepareSearch(ctx); err != nil {
			return nil, index.SyncStats{}, err
		}
		return fresh.Engine, fresh.Sync, nil
	}
	adapter := newEngineAdapter(a.Engine, func(ctx context.Context) (*rag.Engine, index.SyncStats, error) { return reloadWith(ctx, nil) })
	uploads := newUploadAdapter(a, adapter, reloadWith)
	adapter.observe = m.observe
	if a.Follower != nil {
		// Shared store: answer from the newest index the indexer committed.
		a.Follower.OnLoad(adapter.engine.Store)
		go a.Follower.Run(ctx, cfg.Store.Weaviate.RefreshInterval)
	}
	if cfg.Ops.Listen != "" {
		health := func(context.Context) error {
			if adapter.engine.Load().Index().Len() == 0 {
				return errors.New("the index is empty")
			}
			return nil
		}
		if _, err := serveOps(ctx, cfg.Ops.Listen, m, health, a.Log); err != nil {
			return err
		}
	}
	s, err := newDiscordSession(token, dc)
	if err != nil {
		return err
	}
	feedback := ""
	if dc.Feedback {
		feedback = dc.FeedbackFile
		if feedback == "" {
			feedback = filepath.Join(a.DataDir, "feedback.jsonl")
		}
	}
	memory := ""
	if dc.Remember {
		memory = dc.MemoryFile
		if memory == "" {
			memory = filepath.Join(a.DataDir, fmt.Sprintf("memory-shard%d.jsonl", dc.ShardID))
		}
	}
	b, err := bot.New(s, adapter, adapter, bot.Options{
		ApplicationID:      dc.ApplicationID,
		MaxQuestionRunes:   query.MaxQuestionRunes,
		GuildIDs:           dc.GuildIDs,
		AnswerMentions:     dc.AnswerMentions,
		AnswerDMs:          dc.AnswerDMs,
		ThreadReplies:      dc.ThreadReplies,
		AutoAnswerChannels: dc.AutoAnswerChannels,
		AutoAnswerForums:   dc.AutoAnswerForums,
		AllowedGuilds:      dc.AllowedGuilds,
		AllowedChannels:    dc.AllowedChannels,
		AllowedRoles:       dc.AllowedRoles,
		AdminRoles:         dc.AdminRoles,
		Uploads:            uploads,
		MaxUploadBytes:     uploads.maxBytes(),
		RateLimit:          dc.RateLimit,
		MaxConcurrent:      dc.MaxConcurrent,
		QueueSize:          botQueueSize(dc.QueueSize),
		FeedbackFile:       feedback,
		MemoryFile:         memory,
		EditInterval:       dc.EditInterval,
		AnswerTimeout:      dc.AnswerTimeout,
		QueueWait:          dc.QueueWait,
		ShutdownGrace:      dc.ShutdownGrace,
		Log:                a.Log.With("component", "bot"),
	})
	if err != nil {
		return err
	}
	a.Log.Info("starting discord bot", "token_env", dc.TokenEnv, "guilds", len(dc.GuildIDs), "mentions", dc.AnswerMentions,
		"dms", dc.AnswerDMs, "auto_answer_channels", len(dc.AutoAnswerChannels), "auto_answer_forums", len(dc.AutoAnswerForums), "max_concurrent", dc.MaxConcurrent, "queue", dc.QueueSize, "feedback_file", feedback,
		"memory_file", memory)
	return b.Run(ctx)
}

// newDiscordSession builds the discordgo session: token, shard, HTTP
// client with a timeout (and the API base URL rewritten when configured).
func newDiscordSession(token string, dc config.Discord) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if dc.APIURL != "" {
		u, err := url.Parse(dc.APIURL)
		if err != nil {
			return nil, fmt.Errorf("discord.api_url: %w", err)
		}
		client.Transport = apiRewrite{base: u, next: http.DefaultTransport}
	}
	s.Client = client
	s.ShardID, s.ShardCount = dc.ShardID, dc.ShardCount
	s.MaxRestRetries = 3
	return s, nil
}

// apiRewrite sends requests for discord.com (discordgo computes its
// endpoints at init) to another base URL.
type apiRewrite struct {
	base *url.URL
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (rw apiRewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rw.base.Scheme, rw.base.Host, rw.base.Host
	return rw.next.RoundTrip(r)
}

// engineAdapter adapts the rag engine to the bot's Answerer and Library.
// Reindex builds a new engine and swaps it in, so questions keep being
// answered from the old one meanwhile.
type engineAdapter struct {
	engine atomic.Pointer[rag.Engine]
	mu     sync.Mutex // one reindex at a time
	reload func(ctx context.Context) (*rag.Engine, index.SyncStats, error)
	// observe, when set, records each answer in the metrics.
	observe func(*answer.Answer, error)
}

func newEngineAdapter(e *rag.Engine, reload func(ctx context.Context) (*rag.Engine, index.SyncStats, error)) *engineAdapter {
	a := &engineAdapter{reload: reload}
	a.engine.Store(e)
	return a
}

// Answer implements bot.Answerer.
func (a *engineAdapter) Answer(ctx context.Context, q bot.Question) (*bot.Answer, error) {
	history := make([]query.Turn, 0, len(q.History))
	for _, t := range q.History {
		history = append(history, query.Turn{Question: t.Question, Answer: t.Answer})
	}
	ans, err := a.engine.Load().AskWith(ctx, q.Text, query.AskOptions{History: history, OnDelta: q.OnDelta})
	if a.observe != nil {
		a.observe(ans, err)
	}
	switch {
	case errors.Is(err, query.ErrEmptyQuestion), errors.Is(err, query.ErrQuestionTooLong):
		return nil, fmt.Errorf("%w: %w", bot.ErrBadQuestion, err)
	case err != nil:
		return nil, fmt.Errorf("answer: %w", err)
	}
	out := &bot.Answer{Text: ans.Text, NotFound: ans.NotFound, Notice: ans.Notice, Trace: answer.Trace(ans)}
	if ans.Table != nil {
		out.Table, out.Text = botTable(ans.Table), tableText(ans.Table)
		if out.Chart, err = tableChart(ans.Table); err != nil {
			out.Chart = nil // the table stands without its chart
		}
	}
	cites := ans.Citations
	if ans.NotFound {
		cites = ans.Closest
	}
	for _, c := range cites {
		out.Sources = append(out.Sources, bot.Source{
			N: c.N, PassageID: c.PassageID, ReportTitle: c.ReportTitle, URL: c.URL, Year: c.Year,
			Section: c.Section, Paragraph: c.Paragraph, Page: c.Page, Scanned: c.Scanned, Quote: c.Quote, Text: c.Text,
		})
	}
	return out, nil
}

// Passage implements bot.Answerer.
func (a *engineAdapter) Passage(_ context.Context, id string) (*bot.Source, error) {
	ix := a.engine.Load().Index()
	p, ok := ix.Passage(id)
	if !ok {
		return nil, fmt.Errorf("passage %s: %w", id, bot.ErrUnknownPassage)
	}
	r, _ := ix.Report(p.ReportID)
	return &bot.Source{PassageID: p.ID, ReportTitle: r.Title, URL: r.URL, Year: r.Year, Section: p.HeadingPath,
		Paragraph: p.Paragraph, Page: r.PageAt(p.Start), Scanned: r.Scanned(p.Start), Text: p.Text}, nil
}

// Reports implements bot.Library.
func (a *engineAdapter) Reports(context.Context) ([]bot.Report, error) {
	var out []bot.Report
	for _, r := range a.engine.Load().Index().Reports() {
		out = append(out, bot.Report{ID: r.Report.ID, Title: r.Report.Title, Year: r.Report.Year, Passages: r.Passages})
	}
	return out, nil
}

// Reindex implements bot.Library: it re-reads the corpus, embeds what
// changed, saves the index and swaps the new engine in.
func (a *engineAdapter) Reindex(ctx context.Context) (bot.ReindexResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, st, err := a.reload(ctx)
	if err != nil {
		return bot.ReindexResult{}, fmt.Errorf("reindex: %w", err)
	}
	a.engine.Store(e)
	return bot.ReindexResult{Reports: st.Reports, Passages: st.Passages, Embedded: st.Embedded, Removed: st.Removed}, nil
}

// botQueueSize turns discord.queue_size into bot.Options.QueueSize, whose
// 0 means the default: a configured 0 means no queue (askers beyond
// max_concurrent are told the bot is busy), which the bot spells -1.
func botQueueSize(configured int) int {
	if configured <= 0 {
		return -1
	}
	return configured
}
