package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
	"github.com/reportbot/reportbot/index"
)

// corpusStateFile, next to the index, records what the index was last
// synced from, so that a command over an unchanged corpus directory opens
// the index without re-reading and re-splitting every report.
const corpusStateFile = "corpus-state.json"

// corpusState is the fingerprint of a corpus directory (path, size,
// modification time, mode and content hash of every file Load would look
// at), the settings that decide the passages, the index file it was synced
// into and the files Load skipped (to repeat the warnings). Equal stat
// stamps mean unchanged; when only times differ (a touch, a fresh
// checkout), equal content hashes do too, without re-reading the reports.
type corpusState struct {
	Settings string      `json:"settings"`
	Files    []fileStamp `json:"files"`
	Index    fileStamp   `json:"index"`
	Skipped  []skipped   `json:"skipped,omitempty"`
}

type fileStamp struct {
	Path    string      `json:"path"`
	Size    int64       `json:"size"`
	ModTime int64       `json:"mtime_ns"`
	Mode    fs.FileMode `json:"mode"`
	// SHA256 is the content hash, hex; empty for the index file's stamp.
	SHA256 string `json:"sha256,omitempty"`
}

type skipped struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
}

// stampCorpus fingerprints dir as corpus.Load walks it (hidden files and
// directories are ignored). settings names everything else the passages
// depend on.
func stampCorpus(dir, settings string) (*corpusState, error) {
	st := &corpusState{Settings: settings}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st.Files = append(st.Files, stamp(p, fi))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return st, nil
}

func stamp(p string, fi fs.FileInfo) fileStamp {
	return fileStamp{Path: p, Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Mode: fi.Mode()}
}

// stampIndex stamps the index file in dataDir.
func stampIndex(dataDir string) (fileStamp, error) {
	p := filepath.Join(dataDir, index.IndexFile)
	fi, err := os.Stat(p)
	if err != nil {
		return fileStamp{}, err
	}
	return stamp(p, fi), nil
}

// readCorpusState reads the state saved in dataDir; nil when there is
// none or it cannot be read (which only costs a re-read of the corpus).
func readCorpusState(dataDir string) *corpusState {
	data, err := os.ReadFile(filepath.Join(dataDir, corpusStateFile))
	if err != nil {
		return nil
	}
	var saved corpusState
	if json.Unmarshal(data, &saved) != nil {
		return nil
	}
	return &saved
}

// unchanged reports whether saved (the state in dataDir) describes the same
// corpus as st and was written for the index now in dataDir: the same
// settings and files, by stat stamps or else (only times differ) by content
// hash, which st then records. touched tells the second case. When
// unchanged, st.Skipped is filled from saved.
func (st *corpusState) unchanged(saved *corpusState, dataDir string) (same, touched bool) {
	if saved == nil || saved.Settings != st.Settings || len(saved.Files) != len(st.Files) {
		return false, false
	}
	if ix, err := stampIndex(dataDir); err != nil || ix != saved.Index {
		return false, false
	}
	statSame := true
	for i, f := range st.Files {
		old := saved.Files[i]
		if f.Path != old.Path || f.Size != old.Size || f.Mode != old.Mode {
			return false, false
		}
		statSame = statSame && f.ModTime == old.ModTime
	}
	if !statSame {
		if st.hash() != nil {
			return false, false
		}
		for i, f := range st.Files {
			if saved.Files[i].SHA256 == "" || f.SHA256 != saved.Files[i].SHA256 {
				return false, false
			}
		}
	} else {
		for i := range st.Files {
			st.Files[i].SHA256 = saved.Files[i].SHA256
		}
	}
	st.Skipped = saved.Skipped
	return true, !statSame
}

// hash fills in the content hash of every file that lacks one.
func (st *corpusState) hash() error {
	for i := range st.Files {
		f := &st.Files[i]
		if f.SHA256 != "" {
			continue
		}
		sum, err := hashFile(f.Path)
		if err != nil {
			return err
		}
		f.SHA256 = sum
	}
	return nil
}

// hashFile is the hex SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("corpus state: %w", err)
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", fmt.Errorf("corpus state: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// save writes st for the index now in dataDir, crash-safely (a torn state
// file only costs a re-read of the corpus).
func (st *corpusState) save(dataDir string) error {
	ix, err := stampIndex(dataDir)
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	st.Index = ix
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	tmp, err := os.CreateTemp(dataDir, corpusStateFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("corpus state: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(dataDir, corpusStateFile))
	}
	if werr != nil {
		return fmt.Errorf("corpus state: %w", werr)
	}
	return nil
}

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
	var state *corpusState
	if cfg.Corpus.Dir != "" {
		settings := fmt.Sprintf("%s corpus=v%s max_passage_runes=%d max_file_mb=%d", emb.ID(), corpus.Version, cfg.Corpus.MaxPassageRunes, cfg.Corpus.MaxFileMB)
		st, err := stampCorpus(cfg.Corpus.Dir, settings)
		if err != nil {
			return index.SyncStats{}, err
		}
		if same, touched := st.unchanged(readCorpusState(dataDir), dataDir); same && !rebuild && ix.Len() > 0 {
			for _, s := range st.Skipped {
				log.Warn("skipped report file", "source", s.Source, "reason", s.Reason)
			}
			if touched {
				log.Info("corpus files touched but their content is unchanged; not re-read", "files", len(st.Files))
				if err := st.save(dataDir); err != nil {
					log.Warn("corpus state not saved; the next run hashes the corpus again", "err", err)
				}
			}
			return index.SyncStats{Reports: len(ix.Reports()), Passages: ix.Len(), Reused: ix.Len()}, nil
		}
		// Hashed before the reports are read: a file changed while they
		// are gets a new hash next time, so the change is not missed.
		if err := st.hash(); err != nil {
			log.Warn("corpus files not hashed; a touch will re-read the corpus", "err", err)
		}
		state = st
	}
	reports, problems, err := loadReports(cfg.Corpus, log)
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
			state.Skipped = append(state.Skipped, skipped{Source: p.Source, Reason: p.Err.Error()})
		}
		if err := state.save(dataDir); err != nil {
			log.Warn("corpus state not saved; the next run re-reads the corpus", "err", err)
		}
	}
	return stats, nil
}
