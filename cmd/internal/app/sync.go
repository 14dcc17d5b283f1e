package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
)

// syncOptions are the Sync options the config asks for: passage size,
// batch size, checkpoint interval, concurrency and progress.
func syncOptions(cfg config.Config, progress io.Writer) index.SyncOptions {
	opt := index.SyncOptions{
		Split:           corpus.SplitOptions{MaxRunes: cfg.Corpus.MaxPassageRunes},
		BatchSize:       cfg.Embed.BatchSize,
		CheckpointEvery: cfg.Embed.CheckpointEvery,
	}
	if cfg.Embed.Kind == config.EmbedOpenAI {
		// Embed calls wait on the network: keep the provider's slots busy.
		opt.Concurrency = cfg.Provider.MaxConcurrency
	}
	if progress != nil {
		opt.Progress = progressPrinter(progress, time.Now())
	}
	return opt
}

// syncCorpus brings ix (kept in dataDir) up to date with the configured
// corpus: it embeds what changed, saves the index (with checkpoints while
// embedding, so an interrupted run keeps its work) and records the corpus
// state. A corpus directory whose files have not changed since the last
// sync into this index is not read at all. Skipped files are reported as
// reportSkipped says.
func syncCorpus(ctx context.Context, opt Options, ix *index.Index, emb embed.Embedder, dataDir string) (index.SyncStats, error) {
	cfg, log := opt.Config, opt.Log
	state, saved, current, err := checkCorpus(opt, ix, emb, dataDir)
	if err != nil || current {
		return unchanged(ix), err
	}
	reports, problems, err := loadAll(ctx, cfg.Corpus, dataDir)
	skipped := skippedFiles(problems)
	// Warn of every skipped file when the set changed since the last sync
	// into this index (or there is no record of it), when asked to (index,
	// --rebuild) and when nothing is left to use.
	warn := err != nil || state == nil || saved == nil || opt.Rebuild || opt.Indexer || !sameSkipped(saved.Skipped, skipped)
	reportSkipped(log, skipped, warn)
	if err != nil {
		return index.SyncStats{}, err
	}
	sopt := syncOptions(cfg, opt.Progress)
	if opt.OnProgress != nil {
		sopt.Progress = opt.OnProgress
	}
	if cfg.Embed.Kind == config.EmbedOpenAI {
		// Checkpoints save what API calls embedded. The offline embedder
		// gets none: a checkpoint of a large index (a partial commit, its
		// BM25 and a save of the file) cost more than embedding it all
		// again after a crash, and it fired whenever embedding took over
		// 30 s: at a million passages on a loaded machine, 2.4 → 4.2
		// minutes and 1.8 → 3.6 GiB (reportbench, issue 18).
		sopt.Checkpoint = func() error { return ix.Save(dataDir) }
	}
	// The lexical index and the residuals are built on disk, next to the
	// index file they are copied into (at a million passages, 1.4 GB
	// less memory at indexing's peak; see index.SyncOptions.SpillDir).
	sopt.SpillDir = dataDir
	if cfg.Embed.Kind == config.EmbedOpenAI {
		// API embeddings cost time and money: journal each batch as it
		// arrives, so that even a kill -9 between checkpoints loses none.
		j, err := index.OpenEmbedJournal(dataDir, emb.ID(), emb.Dim())
		if err != nil {
			return index.SyncStats{}, err
		}
		defer j.Close()
		if n := j.Len(); n > 0 {
			log.Info("resuming an interrupted index run from its embed journal", "vectors", n)
		}
		sopt.Journal = j
	}
	// Checkpoints save a partly synced index: it must not claim to hold
	// the files it was last synced from.
	ix.SetSource(nil)
	stats, err := ix.Sync(ctx, reports, sopt)
	if err != nil {
		return stats, fmt.Errorf("index: %w", err)
	}
	if state != nil {
		state.Skipped = skipped
		ix.SetSource(state)
	}
	if err := saveSynced(opt, ix, stats, dataDir); err != nil {
		return stats, err
	}
	if sopt.Journal != nil {
		// Every vector it held is in the saved index now.
		if err := sopt.Journal.Remove(); err != nil {
			log.Warn("embed journal not removed", "err", err)
		}
	}
	if state != nil {
		state.Skipped = skipped
		if err := state.Save(dataDir); err != nil {
			log.Warn("corpus state not saved; the next run re-reads the corpus", "err", err)
		}
	}
	return stats, nil
}

// checkCorpus stamps the corpus directory, when there is one, and
// compares it with the state saved with ix: current is set when ix is up
// to date with it (rewritten in the current format if it was opened from
// an older one), and then the corpus need not be read. Otherwise state is
// the new stamp, hashed, to save once ix is synced, and saved the old one
// (nil without a corpus directory or a saved state).
func checkCorpus(opt Options, ix *index.Index, emb embed.Embedder, dataDir string) (state, saved *index.CorpusState, current bool, err error) {
	cfg, log := opt.Config, opt.Log
	if cfg.Corpus.Dir == "" {
		return nil, nil, false, nil
	}
	st, err := index.StampCorpus(cfg.Corpus.Dir, corpusSettings(cfg, emb)+uploadsSetting(dataDir), corpusLinks(cfg.Corpus))
	if err != nil {
		return nil, nil, false, err
	}
	saved = index.ReadCorpusState(dataDir)
	if upToDate(opt, st, saved, ix, dataDir) {
		if olderFormat(ix) {
			if err := rewrite(log, ix, dataDir); err != nil {
				return nil, nil, false, err
			}
			if err := st.Save(dataDir); err != nil {
				log.Warn("corpus state not saved; the next run re-reads the corpus", "err", err)
			}
		}
		return nil, saved, true, nil
	}
	// Hashed before the reports are read: a file changed while they are
	// gets a new hash next time, so the change is not missed.
	if err := st.Hash(); err != nil {
		log.Warn("corpus files not hashed; a touch will re-read the corpus", "err", err)
	}
	if !opt.Rebuild && ix.Len() > 0 && st.SameContent(ix.Source()) {
		// The state file is lost or was written for another index file,
		// but the files hold what the index was synced from: it is
		// current, and the state is written again.
		log.Info("corpus state rebuilt from the index: the files' contents are those it was synced from; not re-read", "files", len(st.Files))
		reportSkipped(log, st.Skipped, opt.Indexer)
		if olderFormat(ix) {
			if err := rewrite(log, ix, dataDir); err != nil {
				return nil, nil, false, err
			}
		}
		if err := st.Save(dataDir); err != nil {
			log.Warn("corpus state not saved; the next run hashes the corpus again", "err", err)
		}
		return nil, saved, true, nil
	}
	return st, saved, false, nil
}

// saveSynced saves ix after a sync that changed it (or with --rebuild),
// or that changed nothing in an index opened from a file of an older
// format, which is then rewritten in the current one.
func saveSynced(opt Options, ix *index.Index, stats index.SyncStats, dataDir string) error {
	switch {
	case stats.Changed() || opt.Rebuild:
		if err := ix.Save(dataDir); err != nil {
			return err
		}
		opt.Log.Info("index updated", "dir", dataDir, "reports", stats.Reports, "passages", stats.Passages,
			"embedded", stats.Embedded, "resumed", stats.Resumed, "reused", stats.Reused, "removed", stats.Removed, "elapsed", stats.Elapsed)
	case olderFormat(ix):
		return rewrite(opt.Log, ix, dataDir)
	}
	return nil
}

// olderFormat reports whether ix was opened from a file of an older
// format, which it then rewrites in the current one.
func olderFormat(ix *index.Index) bool {
	f := ix.FileFormat()
	return f > 0 && f < index.FormatVersion
}

// rewrite saves ix, opened from a file of an older format, in the current
// one.
func rewrite(log *slog.Logger, ix *index.Index, dataDir string) error {
	from := ix.FileFormat()
	if err := ix.Save(dataDir); err != nil {
		return err
	}
	log.Info("index file rewritten in the current format", "dir", dataDir, "from", from, "to", index.FormatVersion)
	return nil
}

// upToDate reports whether ix, saved in dataDir, is up to date with the
// corpus directory stamped as st (saved is the state recorded with the
// index), so that the corpus need not be read. It then reports the files
// skipped when it was last read and, after a touch, records the new stamps.
func upToDate(opt Options, st, saved *index.CorpusState, ix *index.Index, dataDir string) bool {
	same, touched := st.Unchanged(saved, dataDir)
	if !same || opt.Rebuild || ix.Len() == 0 {
		return false
	}
	reportSkipped(opt.Log, st.Skipped, opt.Indexer)
	if touched {
		opt.Log.Info("corpus files touched but their content is unchanged; not re-read", "files", len(st.Files))
		if err := st.Save(dataDir); err != nil {
			opt.Log.Warn("corpus state not saved; the next run hashes the corpus again", "err", err)
		}
	}
	return true
}

// maxNamedSkipped bounds the files named in the one line that says skipped
// files are unchanged: enough to recognise them, short enough for a line.
const maxNamedSkipped = 5

// reportSkipped logs the files the corpus load skipped: with warn, one
// warning per file with its reason; else (the same files were reported
// when the index was last synced) one info line that counts them and names
// the first few, so that every command over an unchanged corpus does not
// repeat the warnings.
func reportSkipped(log *slog.Logger, skipped []index.SkippedFile, warn bool) {
	if warn {
		for _, s := range skipped {
			log.Warn("skipped report file", "source", s.Source, "reason", s.Reason)
		}
		return
	}
	if len(skipped) == 0 {
		return
	}
	names := make([]string, 0, maxNamedSkipped+1)
	for _, s := range skipped[:min(len(skipped), maxNamedSkipped)] {
		names = append(names, s.Source)
	}
	if n := len(skipped) - maxNamedSkipped; n > 0 {
		names = append(names, fmt.Sprintf("and %d more", n))
	}
	log.Info("same report files skipped as at the last index update; run `reportbot index` to see why",
		"skipped", len(skipped), "files", strings.Join(names, ", "))
}

// skippedFiles records the problems of a corpus load in the corpus state.
func skippedFiles(problems []corpus.Problem) []index.SkippedFile {
	var skipped []index.SkippedFile
	for _, p := range problems {
		skipped = append(skipped, index.SkippedFile{Source: p.Source, Reason: p.Err.Error()})
	}
	return skipped
}

// sameSkipped reports whether a and b hold the same files for the same
// reasons, in any order.
func sameSkipped(a, b []index.SkippedFile) bool {
	key := func(s index.SkippedFile) string { return s.Source + "\x00" + s.Reason }
	ka, kb := make([]string, 0, len(a)), make([]string, 0, len(b))
	for _, s := range a {
		ka = append(ka, key(s))
	}
	for _, s := range b {
		kb = append(kb, key(s))
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// progressPrinter shows passages embedded, rate and ETA on one line.
func progressPrinter(w io.Writer, start time.Time) index.Progress {
	return func(done, total int) {
		el := time.Since(start).Seconds()
		rate := float64(done) / max(el, 1e-9)
		eta := time.Duration(float64(total-done) / max(rate, 1e-9) * float64(time.Second))
		fmt.Fprintf(w, "\rindexing: %d/%d passages, %.0f passages/s, ETA %s   ", done, total, rate, eta.Round(time.Second))
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
