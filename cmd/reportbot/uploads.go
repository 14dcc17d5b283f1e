package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/reportbot/reportbot/bot"
	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/rag"
)

// msgSharedUploads is what /addreport and /removereport answer with a
// shared store, which serve never writes.
const msgSharedUploads = "This bot answers from a shared index (Weaviate) that only `reportbot index` writes, so it does not add or " +
	"remove reports itself. To add a report, put the file in the corpus directory of the machine that runs `reportbot index` " +
	"(corpus.dir in its config) and run `reportbot index` there; to remove one, delete it there and run it again. " +
	"This bot answers from the new index once the indexer has committed it (store.weaviate.refresh_interval)."

// reloadFunc builds a new engine from the corpus and the uploads,
// reporting embedding progress when progress is not nil.
type reloadFunc func(ctx context.Context, progress index.Progress) (*rag.Engine, index.SyncStats, error)

// uploadAdapter adapts the data directory's uploads (app.Uploads) and the
// engine to bot.Uploads. Index reloads like /reindex, under the same lock.
type uploadAdapter struct {
	store    *app.Uploads // nil with a shared store
	eng      *engineAdapter
	reload   reloadFunc
	readOnly string
	// bundled is set when the corpus is the bundled reports.
	bundled bool
}

// newUploadAdapter returns the uploads of a's data directory, or, with a
// shared store, an adapter that only says how to add a report.
func newUploadAdapter(a *app.App, eng *engineAdapter, reload reloadFunc) *uploadAdapter {
	if a.Follower != nil || a.Where != "" {
		return &uploadAdapter{eng: eng, readOnly: msgSharedUploads}
	}
	limit := min(int64(bot.DefaultMaxUploadBytes), a.Config.Corpus.MaxFileBytes())
	return &uploadAdapter{store: app.NewUploads(a.DataDir, limit), eng: eng, reload: reload, bundled: a.Config.Corpus.Dir == ""}
}

// maxBytes is the largest file /addreport takes: the bot's default,
// lowered to corpus.max_file_mb, above which the index would skip it.
func (u *uploadAdapter) maxBytes() int64 {
	if u.store == nil {
		return 0
	}
	return u.store.MaxBytes()
}

// ReadOnly implements bot.Uploads.
func (u *uploadAdapter) ReadOnly() string { return u.readOnly }

// Add implements bot.Uploads.
func (u *uploadAdapter) Add(ctx context.Context, f bot.UploadFile) (bot.UploadedReport, error) {
	up, err := u.store.Add(ctx, f.Name, f.Data, f.UserID)
	var dup *app.DuplicateUploadError
	switch {
	case errors.As(err, &dup):
		return bot.UploadedReport{}, &bot.DuplicateError{ID: dup.Existing.ID, Name: dup.Existing.Name}
	case errors.Is(err, app.ErrUploadRejected):
		return bot.UploadedReport{}, fmt.Errorf("%w: %s", bot.ErrUploadRejected, strings.TrimPrefix(err.Error(), app.ErrUploadRejected.Error()+": "))
	case err != nil:
		return bot.UploadedReport{}, err
	}
	return u.describe(up), nil
}

// Index implements bot.Uploads: a reindex that reports its progress.
func (u *uploadAdapter) Index(ctx context.Context, progress func(done, total int)) (bot.ReindexResult, error) {
	u.eng.mu.Lock()
	defer u.eng.mu.Unlock()
	e, st, err := u.reload(ctx, progress)
	if err != nil {
		return bot.ReindexResult{}, fmt.Errorf("index uploads: %w", err)
	}
	u.eng.engine.Store(e)
	return bot.ReindexResult{Reports: st.Reports, Passages: st.Passages, Embedded: st.Embedded, Removed: st.Removed}, nil
}

// Find implements bot.Uploads.
func (u *uploadAdapter) Find(_ context.Context, id string) (bot.UploadedReport, error) {
	up, err := u.store.Get(id)
	if err != nil {
		return bot.UploadedReport{}, u.notFound(id, err)
	}
	return u.describe(up), nil
}

// Remove implements bot.Uploads.
func (u *uploadAdapter) Remove(_ context.Context, id string) (bot.UploadedReport, error) {
	up, err := u.store.Remove(id)
	if err != nil {
		return bot.UploadedReport{}, u.notFound(id, err)
	}
	return u.describe(up), nil
}

// List implements bot.Uploads.
func (u *uploadAdapter) List(context.Context) ([]bot.UploadedReport, error) {
	ups, err := u.store.List()
	if err != nil {
		return nil, err
	}
	out := make([]bot.UploadedReport, 0, len(ups))
	for _, up := range ups {
		out = append(out, u.describe(up))
	}
	return out, nil
}

// notFound turns the store's error for id into the bot's: a report of
// the corpus (named by its id, file, file name or title) is ErrNotUpload.
func (u *uploadAdapter) notFound(id string, err error) error {
	if !errors.Is(err, app.ErrNoUpload) {
		return err
	}
	for _, r := range u.eng.engine.Load().Index().Reports() {
		rep := r.Report
		if strings.HasPrefix(rep.Source, app.UploadsDir+"/") {
			continue
		}
		if id == rep.ID || id == rep.Source || id == path.Base(rep.Source) || id == rep.Title {
			where := "the corpus directory"
			if u.bundled {
				where = "the reports bundled with reportbot"
			}
			return fmt.Errorf("%w: `%s` is the report %s from %s (%s), not an upload", bot.ErrNotUpload, id, rep.Title, where, rep.Source)
		}
	}
	return fmt.Errorf("%w: %s", bot.ErrUnknownUpload, id)
}

// describe is up as the bot shows it, with its report's title, year and
// passages when indexed.
func (u *uploadAdapter) describe(up app.Upload) bot.UploadedReport {
	out := bot.UploadedReport{ID: up.ID, Name: up.Name, Kind: up.Kind, Bytes: up.Bytes, Added: up.Added, AddedBy: up.AddedBy}
	prefix := path.Join(app.UploadsDir, up.ID) + "/"
	for _, r := range u.eng.engine.Load().Index().Reports() {
		if strings.HasPrefix(r.Report.Source, prefix) {
			out.Title, out.Year = r.Report.Title, r.Report.Year
			out.Passages += r.Passages
		}
	}
	return out
}

// openAppWithProgress is openApp reporting embedding progress to
// progress instead of a terminal line.
func openAppWithProgress(ctx context.Context, env *environment, cf *commonFlags, progress index.Progress) (*app.App, error) {
	cfg, err := cf.load()
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, app.Options{
		Config: cfg, LookupEnv: env.lookupEnv, Log: app.NewLogger(env.stderr, cfg.Log),
		Rebuild: cf.rebuild, Indexer: cf.indexer, OnProgress: progress,
	})
}
