package weaviate

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/reportbot/reportbot/index"
	"github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/fault"
	"github.com/weaviate/weaviate/entities/models"
)

// The manifest collection (Collection+"Meta") holds one manifest object,
// written last by every commit, and the snapshot of each commit's passages
// as gzipped JSON in blob chunks: answering processes read a few objects
// instead of paging through every passage.

// CollectionFormat is the layout of the collections this reportbot writes,
// recorded in the manifest object ("format") by every commit. Format 1 is
// that of the reportbots before the layout had a number (no "format"
// property); format 2 only added the number. Format 3 stores the passage
// text once, inside content (text_start), and indexes only the properties
// that queries use (passageClass): formats 1 and 2 have no text_start and
// the old indexes, so they are not read but rebuilt by `reportbot index`.
// A later layout change raises CollectionFormat, and minCollectionFormat
// when older collections can no longer be read.
const CollectionFormat = 3

// minCollectionFormat is the oldest layout this reportbot reads.
const minCollectionFormat = 3

// ErrOlderFormat is wrapped by Manifest's error when the collections were
// written in a layout older than this reportbot reads. `reportbot index`
// rebuilds them (see Options of the app), other commands refuse them.
var ErrOlderFormat = errors.New("collection of an older format")

// checkFormat checks the format stored in a manifest (0: written before
// formats were recorded, format 1) against the formats this reportbot
// reads, oldest to current.
func checkFormat(collection string, stored, oldest, current int) error {
	if stored == 0 {
		stored = 1
	}
	switch {
	case stored > current:
		return fmt.Errorf("weaviate collection %s: %w: format %d, and this reportbot reads formats %d to %d; upgrade reportbot, or run `reportbot index --rebuild` to rebuild it in format %d",
			collection, index.ErrNewerFormat, stored, oldest, current, current)
	case stored < oldest:
		return fmt.Errorf("weaviate collection %s: %w: format %d, and this reportbot reads formats %d to %d; run `reportbot index`, which rebuilds it in format %d",
			collection, ErrOlderFormat, stored, oldest, current, current)
	}
	return nil
}

// snapshotChunkBytes is the size of one snapshot chunk before base64.
const snapshotChunkBytes = 1 << 20

var manifestUUID = uuid.NewSHA1(passageNamespace, []byte("manifest")).String()

func snapshotUUID(gen string, chunk int) string {
	return uuid.NewSHA1(passageNamespace, fmt.Appendf(nil, "snapshot/%s/%d", gen, chunk)).String()
}

func (s *Store) metaClass() *models.Class {
	f := false
	stored := func(name, dt string) *models.Property {
		p := &models.Property{Name: name, DataType: []string{dt}}
		if dt != "blob" {
			p.IndexFilterable, p.IndexSearchable = &f, &f
			if dt == "int" {
				p.IndexSearchable = nil
			}
		}
		return p
	}
	return &models.Class{
		Class:       s.meta,
		Description: "reportbot manifest and passage snapshots of " + s.opt.Collection,
		Vectorizer:  "none",
		Properties: []*models.Property{
			stored("embedder_id", "text"), stored("dim", "int"), stored("passages", "int"),
			stored("generation", "text"), stored("committed", "text"), stored("reports", "text"),
			stored("chunks", "int"), stored("prev_generation", "text"), stored("prev_chunks", "int"),
			stored("chunk", "int"), stored("data", "blob"), stored("format", "int"),
		},
		ReplicationConfig: &models.ReplicationConfig{Factor: int64(s.opt.ReplicationFactor)},
	}
}

// Commit implements SharedStore. It waits for the passages put to be
// stored and their vectors indexed (waitIndexed), writes the snapshot
// chunks of the new generation, then the manifest (the commit point), then
// deletes the snapshot of the generation before the previous one.
func (s *Store) Commit(ctx context.Context, m index.SharedManifest, ps []index.Passage) (index.SharedManifest, error) {
	if err := s.Flush(ctx); err != nil {
		return m, err
	}
	if err := s.waitIndexed(ctx); err != nil {
		return m, err
	}
	prev, err := s.manifest(ctx)
	if err != nil && !errors.Is(err, index.ErrNoIndex) && !errors.Is(err, ErrOlderFormat) {
		return m, err
	}
	m.Committed = time.Now().UTC()
	m.Generation = uuid.NewString()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(ps); err != nil {
		return m, fmt.Errorf("weaviate commit: encode snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return m, fmt.Errorf("weaviate commit: encode snapshot: %w", err)
	}
	data := buf.Bytes()
	chunks := 0
	for off := 0; off < len(data) || chunks == 0; off += snapshotChunkBytes {
		part := data[off:min(off+snapshotChunkBytes, len(data))]
		obj := &models.Object{Class: s.meta, ID: toUUID(snapshotUUID(m.Generation, chunks)), Properties: map[string]any{
			"generation": m.Generation, "chunk": chunks, "data": base64.StdEncoding.EncodeToString(part),
		}}
		if err := s.batch(ctx, "commit snapshot", []*models.Object{obj}); err != nil {
			return m, err
		}
		chunks++
	}
	reports, err := json.Marshal(m.Reports)
	if err != nil {
		return m, fmt.Errorf("weaviate commit: %w", err)
	}
	obj := &models.Object{Class: s.meta, ID: toUUID(manifestUUID), Properties: map[string]any{
		"embedder_id": m.EmbedderID, "dim": m.Dim, "passages": m.Passages, "generation": m.Generation,
		"committed": m.Committed.Format(time.RFC3339Nano), "reports": string(reports), "chunks": chunks,
		"prev_generation": prev.m.Generation, "prev_chunks": prev.chunks, "format": CollectionFormat,
	}}
	if err := s.batch(ctx, "commit", []*models.Object{obj}); err != nil {
		return m, err
	}
	if prev.prevGeneration != "" {
		// Best effort: a leftover snapshot only costs space.
		for i := range prev.prevChunks {
			id := snapshotUUID(prev.prevGeneration, i)
			err := s.do(ctx, "delete old snapshot", func(ctx context.Context, c *weaviate.Client) error {
				err := c.Data().Deleter().WithClassName(s.meta).WithID(id).WithConsistencyLevel(s.opt.WriteConsistency).Do(ctx)
				var we *fault.WeaviateClientError
				if errors.As(err, &we) && we.StatusCode == http.StatusNotFound {
					return nil
				}
				return err
			})
			if err != nil {
				s.opt.Log.Warn("weaviate: could not delete an old snapshot", "generation", prev.prevGeneration, "err", err)
				break
			}
		}
	}
	return m, nil
}

// storedManifest is the manifest object with its snapshot bookkeeping.
type storedManifest struct {
	m              index.SharedManifest
	chunks         int
	prevGeneration string
	prevChunks     int
	format         int // 0: written before formats were recorded
}

// Manifest implements SharedStore. Collections of a layout this reportbot
// does not read give an error wrapping index.ErrNewerFormat or
// ErrOlderFormat that says which command to run; nothing is read from
// them.
func (s *Store) Manifest(ctx context.Context) (index.SharedManifest, error) {
	sm, err := s.manifest(ctx)
	return sm.m, err
}

func (s *Store) manifest(ctx context.Context) (storedManifest, error) {
	if err := s.waitWrites(ctx); err != nil {
		return storedManifest{}, fmt.Errorf("weaviate read manifest: %w", err)
	}
	p, err := s.getMeta(ctx, manifestUUID)
	if err != nil {
		return storedManifest{}, err
	}
	if p == nil {
		return storedManifest{}, fmt.Errorf("%w: nothing committed to %s yet; run `reportbot index`", index.ErrNoIndex, s.opt.Collection)
	}
	sm := storedManifest{
		m: index.SharedManifest{EmbedderID: str(p["embedder_id"]), Dim: num(p["dim"]), Passages: num(p["passages"]),
			Generation: str(p["generation"])},
		chunks: num(p["chunks"]), prevGeneration: str(p["prev_generation"]), prevChunks: num(p["prev_chunks"]),
		format: num(p["format"]),
	}
	if err := checkFormat(s.opt.Collection, sm.format, minCollectionFormat, CollectionFormat); err != nil {
		return sm, err
	}
	sm.m.Committed, _ = time.Parse(time.RFC3339Nano, str(p["committed"]))
	if r := str(p["reports"]); r != "" {
		if err := json.Unmarshal([]byte(r), &sm.m.Reports); err != nil {
			return storedManifest{}, fmt.Errorf("weaviate manifest: reports: %w", err)
		}
	}
	return sm, nil
}

// getMeta reads one object of the manifest collection by UUID at the read
// consistency level; nil when it does not exist.
func (s *Store) getMeta(ctx context.Context, id string) (map[string]any, error) {
	var props map[string]any
	err := s.do(ctx, "read manifest", func(ctx context.Context, c *weaviate.Client) error {
		objs, err := c.Data().ObjectsGetter().WithClassName(s.meta).WithID(id).
			WithConsistencyLevel(s.opt.ReadConsistency).Do(ctx)
		var we *fault.WeaviateClientError
		if errors.As(err, &we) && we.StatusCode == http.StatusNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if len(objs) > 0 {
			props, _ = objs[0].Properties.(map[string]any)
		}
		return nil
	})
	return props, err
}

// Snapshot implements SharedStore.
func (s *Store) Snapshot(ctx context.Context, m index.SharedManifest) ([]index.Passage, error) {
	sm, err := s.manifest(ctx)
	if err != nil {
		return nil, err
	}
	chunks := sm.chunks
	switch m.Generation {
	case sm.m.Generation:
	case sm.prevGeneration:
		chunks = sm.prevChunks
	default:
		return nil, fmt.Errorf("snapshot of generation %s: superseded: %w", m.Generation, index.ErrNoIndex)
	}
	if chunks == 0 {
		// Committed without a snapshot (by an older reportbot): list the
		// collection instead.
		return s.Passages(ctx)
	}
	var data []byte
	for i := range chunks {
		p, err := s.getMeta(ctx, snapshotUUID(m.Generation, i))
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, fmt.Errorf("snapshot of generation %s: chunk %d missing: %w", m.Generation, i, index.ErrNoIndex)
		}
		part, err := base64.StdEncoding.DecodeString(str(p["data"]))
		if err != nil {
			return nil, fmt.Errorf("snapshot of generation %s: chunk %d: %w", m.Generation, i, err)
		}
		data = append(data, part...)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("snapshot of generation %s: %w", m.Generation, err)
	}
	var ps []index.Passage
	if err := json.NewDecoder(zr).Decode(&ps); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("snapshot of generation %s: %w", m.Generation, err)
	}
	return ps, nil
}
