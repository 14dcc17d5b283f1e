package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
)

// Notices of a process that finds another one updating the index (issue
// 15, item 12): it answers from the index as it was, or waits for the new
// one.
const (
	msgAnsweringFromPrevious = "another reportbot is updating the index; answering from the previous index"
	msgWaitingForIndex       = "another reportbot is updating the index; waiting…"
)

// lockGrace is how long openLocal waits before looking at a busy write
// lock again: far longer than a fork and exec (microseconds to a few
// milliseconds under load), short next to a question.
const lockGrace = 50 * time.Millisecond

// openLocal opens the index file in dataDir and brings it up to date with
// the corpus. Only one process at a time updates a data directory (its
// write lock, index.LockFile): when the index is already up to date no
// lock is taken; when another process holds the lock, a command with a
// usable previous index answers from it with a notice, and one without
// (or the index command, or --rebuild) waits for it and then reads the
// index it saved, re-syncing only if the corpus still differs. Temporary
// files left by a save that was killed are removed by whoever may.
func openLocal(ctx context.Context, opt Options, emb embed.Embedder, dataDir string) (*index.Index, index.SyncStats, error) {
	log := opt.Log
	if removed, err := index.RemoveStaleTemps(dataDir); err != nil {
		// Not worth a warning on every command (a read-only data
		// directory, say): a sync that needs the lock reports its error.
		log.Debug("temporary files of an interrupted save not removed", "dir", dataDir, "err", err)
	} else if len(removed) > 0 {
		log.Info("removed temporary files left by an interrupted save", "dir", dataDir, "files", removed)
	}
	path := filepath.Join(dataDir, index.IndexFile)
	opened, _ := os.Stat(path)
	ix, err := openIndex(opt, emb, dataDir)
	if err != nil {
		return nil, index.SyncStats{}, err
	}
	if fresh(opt, ix, emb, dataDir) {
		return ix, unchanged(ix), nil
	}
	lock, err := index.TryLockWrite(dataDir)
	if errors.Is(err, index.ErrLocked) {
		// A lock outlives its holder's Unlock for as long as a child
		// process the holder just forked takes to exec (the fork copies
		// the lock's descriptor): pdftotext for an upload, a test's. Look
		// once more before taking another process to be at work.
		time.Sleep(lockGrace)
		lock, err = index.TryLockWrite(dataDir)
	}
	if errors.Is(err, index.ErrLocked) {
		if !opt.Rebuild && !opt.Indexer && opt.Config.Corpus.Dir != "" && ix.Len() > 0 {
			log.Warn(msgAnsweringFromPrevious, "dir", dataDir, "passages", ix.Len())
			return ix, unchanged(ix), nil
		}
		log.Warn(msgWaitingForIndex, "dir", dataDir)
		lock, err = index.LockWrite(ctx, dataDir)
	}
	if err != nil {
		return nil, index.SyncStats{}, err
	}
	defer lock.Unlock()
	if removed, err := lock.RemoveStaleTemps(); err == nil && len(removed) > 0 {
		log.Info("removed temporary files left by an interrupted save", "dir", dataDir, "files", removed)
	}
	if now, _ := os.Stat(path); !opt.Rebuild && changed(opened, now) {
		// Another process saved the index since it was opened: start
		// from its work.
		if ix, err = openIndex(opt, emb, dataDir); err != nil {
			return nil, index.SyncStats{}, err
		}
	}
	stats, err := syncCorpus(ctx, opt, ix, emb, dataDir)
	if err != nil || opt.Indexer || !(stats.Changed() || opt.Rebuild) {
		return ix, stats, err
	}
	return reopenSaved(log, ix, emb, dataDir), stats, nil
}

// reopenSaved returns the index that ix, synced, has just saved in
// dataDir, opened as any other process opens it: read in place from the
// file. ix itself keeps its passages in memory and its lexical index and
// residuals in spill files that are deleted but still open (at a million
// passages about 0.8 GB of memory and 1.4 GB of disk) until it is
// collected, which a process serving from it would delay for as long as
// it runs. The index command, which exits once it has saved, keeps ix.
// When the saved file cannot be opened, ix is used (and the error
// logged).
func reopenSaved(log *slog.Logger, ix *index.Index, emb embed.Embedder, dataDir string) *index.Index {
	saved, err := index.Open(dataDir, emb)
	if err != nil {
		log.Warn("the index just saved could not be opened; answering from the one in memory", "dir", dataDir, "err", err)
		return ix
	}
	// What ix held is garbage now (nothing reads ix past this point):
	// collect it and hand its memory back to the system; the collection
	// closes its spill files.
	debug.FreeOSMemory()
	return saved
}

// openIndex opens the index in dataDir: a new one with --rebuild (whatever
// the file holds: damaged, of another embedder, of a newer format) or
// when there is none. A damaged file, one of another embedder and one of a
// newer format are errors that say which command to run.
func openIndex(opt Options, emb embed.Embedder, dataDir string) (*index.Index, error) {
	if opt.Rebuild {
		return index.New(emb)
	}
	ix, err := index.Open(dataDir, emb)
	if errors.Is(err, index.ErrNoIndex) {
		return index.New(emb)
	}
	if err != nil {
		return nil, err
	}
	if f := ix.FileFormat(); f < index.FormatVersion {
		opt.Log.Info("index file of an older format; it is rewritten in the current one when next saved",
			"dir", dataDir, "format", f, "current", index.FormatVersion)
	}
	return ix, nil
}

// fresh reports whether ix needs nothing from this process: a current
// format file, synced from the corpus directory as it is now (by stat
// stamps: a touched corpus is settled under the lock). Without a corpus
// directory the bundled reports are compared by a sync, which takes the
// lock.
func fresh(opt Options, ix *index.Index, emb embed.Embedder, dataDir string) bool {
	cfg := opt.Config
	if cfg.Corpus.Dir == "" || opt.Rebuild || ix.Len() == 0 || ix.FileFormat() != index.FormatVersion {
		return false
	}
	st, err := index.StampCorpus(cfg.Corpus.Dir, corpusSettings(cfg, emb)+uploadsSetting(dataDir), corpusLinks(cfg.Corpus))
	if err != nil {
		return false
	}
	same, touched := st.Unchanged(index.ReadCorpusState(dataDir), dataDir)
	if !same || touched {
		return false
	}
	reportSkipped(opt.Log, st.Skipped, opt.Indexer)
	return true
}

// unchanged is the SyncStats of an index used as it is.
func unchanged(ix *index.Index) index.SyncStats {
	return index.SyncStats{Reports: len(ix.Reports()), Passages: ix.Len(), Reused: ix.Len()}
}

// changed reports whether the file stat as now differs from what it was
// as then (a save renames a new file over the old one).
func changed(then, now os.FileInfo) bool {
	if then == nil || now == nil {
		return then != now
	}
	return !os.SameFile(then, now) || then.Size() != now.Size() || !then.ModTime().Equal(now.ModTime())
}

// corpusSettings names what besides the corpus files decides the passages
// (see index.CorpusState.Settings).
func corpusSettings(cfg config.Config, emb embed.Embedder) string {
	return fmt.Sprintf("%s corpus=v%s max_passage_runes=%d max_file_mb=%g ocr=%t", emb.ID(), corpus.Version, cfg.Corpus.MaxPassageRunes, cfg.Corpus.MaxFileMB, cfg.Corpus.OCR)
}
