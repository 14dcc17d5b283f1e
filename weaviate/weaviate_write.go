package weaviate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate/entities/models"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

// Writes: Put sends its batches in the background, up to
// Options.Concurrency requests at once, and returns as soon as the last one
// is sent, so that the caller embeds the next passages while Weaviate
// stores these (docs/scale-out.md, "Ingest"). A write that failed is
// reported by the next Put, Delete, DeleteReports, Commit or Flush; every
// read first waits for the writes in flight, so a process reads what it
// wrote.

// Put implements SharedStore: batches of upserts at the write consistency
// level, each retried whole (upserts by UUID are idempotent). It returns
// once its batches are sent (see Flush): ps and vecs must not change
// afterwards. It returns the error of an earlier batch that failed.
func (s *Store) Put(ctx context.Context, reports map[string]corpus.Report, ps []index.Passage, vecs [][]float32) error {
	if len(ps) != len(vecs) {
		return fmt.Errorf("weaviate put: %d passages for %d vectors", len(ps), len(vecs))
	}
	if err := s.takeWriteErr(); err != nil {
		return err
	}
	for b := 0; b < len(ps); b += s.opt.BatchSize {
		end := min(b+s.opt.BatchSize, len(ps))
		objs := make([]*models.Object, 0, end-b)
		for i := b; i < end; i++ {
			objs = append(objs, &models.Object{
				Class: s.opt.Collection, ID: toUUID(PassageUUID(ps[i].ID)),
				Properties: passageProps(reports[ps[i].ReportID], ps[i]), Vector: vecs[i],
			})
		}
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("weaviate put passages: %w", ctx.Err())
		}
		go func() {
			defer func() { <-s.slots }()
			if err := s.batch(ctx, "put passages", objs); err != nil {
				s.setWriteErr(err)
			}
		}()
	}
	return nil
}

// Flush waits until every batch Put sent is stored and returns the first
// error among them (once).
func (s *Store) Flush(ctx context.Context) error {
	if err := s.waitWrites(ctx); err != nil {
		return fmt.Errorf("weaviate flush: %w", err)
	}
	return s.takeWriteErr()
}

// waitWrites waits until no batch is in flight, by taking every slot.
func (s *Store) waitWrites(ctx context.Context) error {
	if len(s.slots) == 0 {
		return nil // nothing in flight (reads racing a Put of another goroutine see either)
	}
	s.waitMu.Lock()
	defer s.waitMu.Unlock()
	taken := 0
	defer func() {
		for range taken {
			<-s.slots
		}
	}()
	for range cap(s.slots) {
		select {
		case s.slots <- struct{}{}:
			taken++
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (s *Store) setWriteErr(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.writeErr == nil {
		s.writeErr = err
	}
}

func (s *Store) takeWriteErr() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	err := s.writeErr
	s.writeErr = nil
	return err
}

// batch writes objs in one batch request, over gRPC when the store has
// gRPC endpoints, else REST, starting at the next node in turn
// (writeNode).
func (s *Store) batch(ctx context.Context, op string, objs []*models.Object) error {
	return s.doFrom(ctx, op, s.writeNode(), func(ctx context.Context, c *weaviate.Client) error {
		res, err := c.Batch().ObjectsBatcher().WithObjects(objs...).WithConsistencyLevel(s.opt.WriteConsistency).Do(ctx)
		if err != nil {
			return err
		}
		var errs []error
		for _, r := range res {
			if r.Result != nil && r.Result.Errors != nil {
				for _, e := range r.Result.Errors.Error {
					errs = append(errs, fmt.Errorf("object %s: %s", r.ID, e.Message))
				}
			}
		}
		if len(errs) > 0 {
			return &objectErrors{fmt.Errorf("%d of %d objects failed: %w", len(errs), len(objs), errors.Join(errs[:min(len(errs), 3)]...))}
		}
		return nil
	})
}

// objectErrors holds the objects of a batch that a node answered it could
// not store (e.g. a replica unreachable): the node itself is up.
type objectErrors struct{ err error }

func (e *objectErrors) Error() string { return e.err.Error() }
func (e *objectErrors) Unwrap() error { return e.err }

// deleteBatch is how many passages one batch deletion by ID removes (each
// is a filtered delete, far below Weaviate's default limit of 10,000
// matches, QUERY_MAXIMUM_RESULTS).
const deleteBatch = 1000

// Delete implements SharedStore: one filtered batch deletion per
// deleteBatch IDs.
func (s *Store) Delete(ctx context.Context, ids []string) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	for b := 0; b < len(ids); b += deleteBatch {
		chunk := ids[b:min(b+deleteBatch, len(ids))]
		uuids := make([]string, len(chunk))
		for i, id := range chunk {
			uuids[i] = PassageUUID(id)
		}
		where := filters.Where().WithPath([]string{"id"}).WithOperator(filters.ContainsAny).WithValueText(uuids...)
		if _, err := s.deleteWhere(ctx, "delete passages", where); err != nil {
			return err
		}
	}
	return nil
}

// DeleteReports removes every passage of the given reports with one batch
// deletion filtered on report_id (repeated only when a report has more
// passages than the server deletes in one request), and returns how many
// it removed. Unknown reports are ignored.
func (s *Store) DeleteReports(ctx context.Context, reportIDs []string) (int, error) {
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	if len(reportIDs) == 0 {
		return 0, nil
	}
	where := filters.Where().WithPath([]string{propReportID}).WithOperator(filters.ContainsAny).WithValueText(reportIDs...)
	total := 0
	for {
		n, err := s.deleteWhere(ctx, "delete reports", where)
		total += n
		if err != nil || n < maxDeleteMatches {
			return total, err
		}
	}
}

// maxDeleteMatches is the most objects Weaviate deletes in one batch
// deletion (its QUERY_MAXIMUM_RESULTS default): a deletion that matched as
// many is repeated.
const maxDeleteMatches = 10000

// deleteWhere runs one batch deletion and returns how many objects it
// removed.
func (s *Store) deleteWhere(ctx context.Context, op string, where *filters.WhereBuilder) (int, error) {
	var n int
	err := s.do(ctx, op, func(ctx context.Context, c *weaviate.Client) error {
		res, err := c.Batch().ObjectsBatchDeleter().WithClassName(s.opt.Collection).WithWhere(where).
			WithConsistencyLevel(s.opt.WriteConsistency).WithOutput("minimal").Do(ctx)
		if err != nil {
			return err
		}
		if res.Results != nil {
			if res.Results.Failed > 0 {
				return fmt.Errorf("%d of %d deletions failed", res.Results.Failed, res.Results.Matches)
			}
			n = int(res.Results.Successful)
		}
		return nil
	})
	return n, err
}

// indexedPoll is how often Commit asks the nodes whether vectors are still
// queued for indexing.
const indexedPoll = 100 * time.Millisecond

// waitIndexed waits until no shard of the passage collection has vectors
// queued for its vector index. Nodes started with ASYNC_INDEXING
// acknowledge a batch once stored and insert its vectors into HNSW in the
// background, and vector search does not see queued vectors: Commit waits,
// so that a committed generation is searchable whole. Without async
// indexing the queues are always empty and this is one request.
func (s *Store) waitIndexed(ctx context.Context) error {
	for {
		queued := int64(0)
		err := s.do(ctx, "nodes status", func(ctx context.Context, c *weaviate.Client) error {
			res, err := c.Cluster().NodesStatusGetter().WithClass(s.opt.Collection).WithOutput("verbose").Do(ctx)
			if err != nil {
				return err
			}
			queued = 0
			for _, n := range res.Nodes {
				for _, sh := range n.Shards {
					if sh != nil {
						queued += sh.VectorQueueLength
					}
				}
			}
			return nil
		})
		if err != nil || queued == 0 {
			return err
		}
		select {
		case <-time.After(indexedPoll):
		case <-ctx.Done():
			return fmt.Errorf("weaviate: waiting for %d queued vectors to be indexed: %w", queued, ctx.Err())
		}
	}
}
