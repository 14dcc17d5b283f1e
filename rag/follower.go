package rag

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
)

// Follower answers from the newest index committed to a SharedStore by
// another process. Refresh (or Run, periodically) reads the store's
// manifest and, when a new generation was committed, loads it and swaps in a
// new Engine; questions already being answered finish on the engine they
// started with. It is safe for concurrent use.
type Follower struct {
	st        index.SharedStore
	emb       embed.Embedder
	newEngine func(*index.Index) (*Engine, error)
	log       *slog.Logger
	cur       atomic.Pointer[Engine]
	mu        sync.Mutex // serialises reloads; guards onLoad
	onLoad    func(*Engine)
}

// NewFollower loads the index committed to st and builds its first engine
// with newEngine (typically a closure over NewEngine with the embedder,
// dictionary and logger). log may be nil.
func NewFollower(ctx context.Context, st index.SharedStore, emb embed.Embedder, newEngine func(*index.Index) (*Engine, error), log *slog.Logger) (*Follower, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Follower{st: st, emb: emb, newEngine: newEngine, log: log}
	if err := f.load(ctx); err != nil {
		return nil, err
	}
	return f, nil
}

// Engine returns the current engine.
func (f *Follower) Engine() *Engine { return f.cur.Load() }

// OnLoad registers fn to be called with every engine the follower loads
// from now on (for holders of the engine, such as a bot adapter).
func (f *Follower) OnLoad(fn func(*Engine)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onLoad = fn
}

// Refresh reloads the index when the store holds a newer commit than the
// current engine's. It reports whether it reloaded. On error the current
// engine stays in place.
func (f *Follower) Refresh(ctx context.Context) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.st.Manifest(ctx)
	if err != nil {
		return false, fmt.Errorf("refresh: %w", err)
	}
	if m.Generation == f.Engine().Index().Generation() {
		return false, nil
	}
	if err := f.load(ctx); err != nil {
		return false, err
	}
	return true, nil
}

func (f *Follower) load(ctx context.Context) error {
	start := time.Now()
	ix, err := index.OpenShared(ctx, f.st, f.emb)
	if err != nil {
		return err
	}
	e, err := f.newEngine(ix)
	if err != nil {
		return err
	}
	f.cur.Store(e)
	if f.onLoad != nil {
		f.onLoad(e)
	}
	f.log.Info("loaded shared index", "generation", ix.Generation(), "passages", ix.Len(), "elapsed", time.Since(start))
	return nil
}

// Run calls Refresh every interval until ctx is done, logging failures.
func (f *Follower) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := f.Refresh(ctx); err != nil && ctx.Err() == nil {
				f.log.Warn("shared index refresh failed; answering from the loaded one", "err", err)
			}
		}
	}
}
