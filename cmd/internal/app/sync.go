package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
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
// sync into this index is not read at all.
func syncCorpus(ctx context.Context, cfg config.Config, rebuild bool, ix *index.Index, emb embed.Embedder, dataDir string, log *slog.Logger, progress io.Writer) (index.SyncStats, error) {
	var state *index.CorpusState
	if cfg.Corpus.Dir != "" {
		settings := fmt.Sprintf("%s corpus=v%s max_passage_runes=%d max_file_mb=%d", emb.ID(), corpus.Version, cfg.Corpus.MaxPassageRunes, cfg.Corpus.MaxFileMB)
		st, err := index.StampCorpus(cfg.Corpus.Dir, settings)
		if err != nil {
			return index.SyncStats{}, err
		}
		if same, touched := st.Unchanged(index.ReadCorpusState(dataDir), dataDir); same && !rebuild && ix.Len() > 0 {
			for _, s := range st.Skipped {
				log.Warn("skipped report file", "source", s.Source, "reason", s.Reason)
			}
			if touched {
				log.Info("corpus files touched but their content is unchanged; not re-read", "files", len(st.Files))
				if err := st.Save(dataDir); err != nil {
					log.Warn("corpus state not saved; the next run hashes the corpus again", "err", err)
				}
			}
			return index.SyncStats{Reports: len(ix.Reports()), Passages: ix.Len(), Reused: ix.Len()}, nil
		}
		// Hashed before the reports are read: a file changed while they
		// are gets a new hash next time, so the change is not missed.
		if err := st.Hash(); err != nil {
			log.Warn("corpus files not hashed; a touch will re-read the corpus", "err", err)
		}
		state = st
	}
	reports, problems, err := LoadReports(cfg.Corpus, log)
	if err != nil {
		return index.SyncStats{}, err
	}
	opt := syncOptions(cfg, progress)
	opt.Checkpoint = func() error { return ix.Save(dataDir) }
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
		opt.Journal = j
	}
	stats, err := ix.Sync(ctx, reports, opt)
	if err != nil {
		return stats, fmt.Errorf("index: %w", err)
	}
	if stats.Changed() || rebuild {
		if err := ix.Save(dataDir); err != nil {
			return stats, err
		}
		log.Info("index updated", "dir", dataDir, "reports", stats.Reports, "passages", stats.Passages,
			"embedded", stats.Embedded, "resumed", stats.Resumed, "reused", stats.Reused, "removed", stats.Removed, "elapsed", stats.Elapsed)
	}
	if opt.Journal != nil {
		// Every vector it held is in the saved index now.
		if err := opt.Journal.Remove(); err != nil {
			log.Warn("embed journal not removed", "err", err)
		}
	}
	if state != nil {
		for _, p := range problems {
			state.Skipped = append(state.Skipped, index.SkippedFile{Source: p.Source, Reason: p.Err.Error()})
		}
		if err := state.Save(dataDir); err != nil {
			log.Warn("corpus state not saved; the next run re-reads the corpus", "err", err)
		}
	}
	return stats, nil
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
