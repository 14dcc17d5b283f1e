package index

import (
	"context"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/lexical"
)

// vectorStore is where an index keeps its vectors and runs its search: its
// own file (localStore: the int8 matrix or a chromem-go collection) or a
// store that several processes share (sharedStore). The Index methods that
// differ between the two (Sync, Search, Save, PrepareSearch,
// VectorSearchName)
// call it, so no method forks on the kind of index.
type vectorStore interface {
	sync(ctx context.Context, ix *Index, reports []corpus.Report, opt SyncOptions) (SyncStats, error)
	search(ctx context.Context, ix *Index, text string, terms []lexical.WeightedTerm, f Filter) ([]Hit, error)
	save(ix *Index, dir string) error
	prepare(ctx context.Context, ix *Index) error
	name(ix *Index) string
}

// localStore keeps the vectors in the index itself (Index.vec), saved to
// and opened from its file.
type localStore struct{}

func (localStore) sync(ctx context.Context, ix *Index, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	return ix.syncLocal(ctx, reports, opt)
}

func (localStore) search(ctx context.Context, ix *Index, text string, terms []lexical.WeightedTerm, f Filter) ([]Hit, error) {
	return ix.searchLocal(ctx, text, terms, f)
}

func (localStore) save(ix *Index, dir string) error { return ix.saveLocal(dir) }

func (localStore) prepare(ctx context.Context, ix *Index) error {
	if ix.VectorBackend() != VectorSearchChromem {
		return nil
	}
	_, err := ix.chromem(ctx)
	return err
}

func (localStore) name(ix *Index) string { return string(ix.VectorBackend()) }

// sharedStore keeps the vectors in a SharedStore, which also runs the
// hybrid search (see shared.go).
type sharedStore struct{ st SharedStore }

func (sharedStore) sync(ctx context.Context, ix *Index, reports []corpus.Report, opt SyncOptions) (SyncStats, error) {
	return ix.syncShared(ctx, reports, opt)
}

func (sharedStore) search(ctx context.Context, ix *Index, text string, _ []lexical.WeightedTerm, f Filter) ([]Hit, error) {
	return ix.searchShared(ctx, text, f)
}

func (sharedStore) save(*Index, string) error { return errSharedSave }

func (sharedStore) prepare(context.Context, *Index) error { return nil }

func (sharedStore) name(*Index) string { return "shared" }
