package index

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
)

// JournalFile is the name of the embedding journal in an index directory.
const JournalFile = "embed-journal.bin"

// journalMagic starts a journal file; the embedder's identity and
// dimension follow it, then one record per embedded passage.
const journalMagic = "reportbot-embed-journal-v1\n"

// maxJournalKey bounds a record's key length (EmbedKeys are 32 hex bytes).
const maxJournalKey = 256

// EmbedJournal remembers every vector an embedder returned during a Sync,
// appended to a file as soon as its batch arrives, so that a process killed
// between checkpoints loses no embedding work: the next Sync reads the
// vectors back by EmbedKey instead of asking the embedder again. Each
// record carries a CRC, so a record torn by the kill is ignored (and with
// it only itself). Remove the journal once the index holding its vectors is
// saved. It is meant for embedders that cost time or money (an API); for
// the offline embedder re-embedding is cheaper than the file.
type EmbedJournal struct {
	path string
	dim  int

	mu   sync.Mutex
	f    *os.File
	have map[string][]float32
}

// OpenEmbedJournal opens (or creates) the journal in dir for vectors of
// the embedder with id embedderID and dimension dim. Records of another
// embedder, or a file that is not a journal, are discarded.
func OpenEmbedJournal(dir, embedderID string, dim int) (*EmbedJournal, error) {
	if dim <= 0 {
		return nil, fmt.Errorf("embed journal: dimension %d", dim)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("embed journal: %w", err)
	}
	j := &EmbedJournal{path: filepath.Join(dir, JournalFile), dim: dim, have: map[string][]float32{}}
	header := journalHeader(embedderID, dim)
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("embed journal: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("embed journal %s: another reportbot process is indexing into %s (%w); wait for it to finish", j.path, dir, err)
	}
	have, end, err := readJournal(bufio.NewReader(f), header, dim)
	if err != nil {
		// Another embedder's journal, or not a journal: start afresh.
		have, end = map[string][]float32{}, 0
	}
	if end == 0 {
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, fmt.Errorf("embed journal: %w", err)
		}
		if _, err := f.WriteAt(header, 0); err != nil {
			f.Close()
			return nil, fmt.Errorf("embed journal: %w", err)
		}
		end = int64(len(header))
	} else if err := f.Truncate(end); err != nil { // drop a torn tail
		f.Close()
		return nil, fmt.Errorf("embed journal: %w", err)
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("embed journal: %w", err)
	}
	j.f, j.have = f, have
	return j, nil
}

func journalHeader(embedderID string, dim int) []byte {
	return fmt.Appendf(nil, "%s%s\n%d\n", journalMagic, embedderID, dim)
}

// readJournal reads the records after header. It returns the vectors by
// key and the offset after the last whole record; an error means the file
// does not start with header.
func readJournal(r *bufio.Reader, header []byte, dim int) (map[string][]float32, int64, error) {
	got := make([]byte, len(header))
	if n, err := io.ReadFull(r, got); err != nil {
		if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
			return map[string][]float32{}, 0, nil // empty file
		}
		return nil, 0, errors.New("not a journal of this embedder")
	}
	if string(got) != string(header) {
		return nil, 0, errors.New("not a journal of this embedder")
	}
	have := map[string][]float32{}
	end := int64(len(header))
	rec := make([]byte, 4*dim+4)
	for {
		var klen [2]byte
		if _, err := io.ReadFull(r, klen[:]); err != nil {
			return have, end, nil
		}
		n := int(binary.LittleEndian.Uint16(klen[:]))
		if n == 0 || n > maxJournalKey {
			return have, end, nil // garbage: stop at the last good record
		}
		key := make([]byte, n)
		if _, err := io.ReadFull(r, key); err != nil {
			return have, end, nil
		}
		if _, err := io.ReadFull(r, rec); err != nil {
			return have, end, nil
		}
		crc := crc32.NewIEEE()
		crc.Write(klen[:])
		crc.Write(key)
		crc.Write(rec[:4*dim])
		if crc.Sum32() != binary.LittleEndian.Uint32(rec[4*dim:]) {
			return have, end, nil
		}
		vec := make([]float32, dim)
		for d := range vec {
			vec[d] = math.Float32frombits(binary.LittleEndian.Uint32(rec[4*d:]))
		}
		have[string(key)] = vec
		end += int64(2 + n + len(rec))
	}
}

// Len is the number of vectors read back when the journal was opened.
func (j *EmbedJournal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.have)
}

// Lookup returns the vector journaled under key by an earlier run.
func (j *EmbedJournal) Lookup(key string) ([]float32, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	v, ok := j.have[key]
	return v, ok
}

// Append records vecs under keys with one write: once it returns, a kill of
// the process loses none of them (the operating system has the bytes; a
// power loss may still lose the tail, which the CRCs then drop).
func (j *EmbedJournal) Append(keys []string, vecs [][]float32) error {
	if len(keys) != len(vecs) {
		return fmt.Errorf("embed journal: %d keys for %d vectors", len(keys), len(vecs))
	}
	var buf []byte
	for i, k := range keys {
		if len(k) == 0 || len(k) > maxJournalKey {
			return fmt.Errorf("embed journal: key of %d bytes", len(k))
		}
		if len(vecs[i]) != j.dim {
			return fmt.Errorf("embed journal: vector of dimension %d, want %d", len(vecs[i]), j.dim)
		}
		start := len(buf)
		buf = binary.LittleEndian.AppendUint16(buf, uint16(len(k)))
		buf = append(buf, k...)
		for _, x := range vecs[i] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		buf = binary.LittleEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf[start:]))
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("embed journal: closed")
	}
	if _, err := j.f.Write(buf); err != nil {
		return fmt.Errorf("embed journal: %w", err)
	}
	// The vectors are not kept in memory: this run holds them in its
	// index; only a later run reads them back (OpenEmbedJournal).
	return nil
}

// Close closes the file and keeps it for the next run.
func (j *EmbedJournal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	if err != nil {
		return fmt.Errorf("embed journal: %w", err)
	}
	return nil
}

// Remove closes and deletes the journal: call it once an index holding all
// its vectors has been saved.
func (j *EmbedJournal) Remove() error {
	if err := j.Close(); err != nil {
		return err
	}
	if err := os.Remove(j.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("embed journal: %w", err)
	}
	return nil
}
