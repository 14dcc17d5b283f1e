package lexical

import (
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Building an index: the documents are cut into shards of consecutive
// documents, and each shard is built in two passes on its own goroutine:
// the first reads the documents, numbers their terms, counts the
// documents of each and keeps every document's terms as those numbers
// (termSeq); the second writes the postings from those numbers straight
// into their places in the one exactly sized postings array (growing a
// slice per term held up to twice the postings' memory at 100k
// passages). The second pass neither reads nor tokenizes a document
// again: at a million passages, doing so was 7 of the 75 CPU-seconds of
// indexing (reportbench, issue 18). A build of more than keepTermsDocs
// documents keeps no numbers, and its second pass reads and tokenizes
// the documents again. Between the passes the shards' terms
// are numbered for the whole index in the order the documents meet
// them, and each shard's postings of a term are placed after those of the
// shards before it, so that a term's postings are in document order and
// the index is the same, term numbers included, whatever the number of
// goroutines.

// Shards and goroutines of a build.
const (
	// minShardDocs is the fewest documents a shard gets: below twice that
	// the build runs on the calling goroutine. Each shard keeps a table of
	// its terms (most of the corpus's frequent ones) until the build ends,
	// which cost 50 MB more than the serial build at 24,000 passages of
	// short numbered lines (cmd/reportbot TestIndexMemoryIsBounded: 21×
	// the input instead of 17×), for about a second of CPU time saved.
	// From 32,768 passages on the shards pay (100k passages: 3.2 s of CPU
	// time on two goroutines instead of 4.3 s on one, reportbench
	// profiles).
	minShardDocs = 16384
	// shardsPerWorker is how many shards each goroutine gets on average,
	// so that one that draws long documents, or a core that other work
	// slows, does not hold up the others for long. Each shard keeps its
	// own table of terms until the build ends, so more shards cost memory
	// (each holds most of the frequent terms). 2 is not tuned: with 2
	// cores, 4 shards at 100k and 1M passages (reportbench, a machine
	// shared with other work, docs/performance.md).
	shardsPerWorker = 2
	// keepTermsDocs is the most documents a build keeps the terms of, as
	// numbers, between its passes: 4 bytes per term of every document,
	// about 140 MB for 2^17 passages, 1.1 GB for a million. WriteFlat
	// builds large indexes in parts of at most that many (flatPartDocs);
	// an index built whole in memory from more documents (an index file
	// of format 4 or before, the lexical index of a shared store's
	// passages) reads them twice instead, as all builds did before.
	keepTermsDocs = flatPartDocs
)

// NewFunc indexes n documents, document i being doc(i), on up to
// GOMAXPROCS goroutines: doc is called once for each document (twice for
// more than keepTermsDocs documents, and must then return the same text
// each time), possibly concurrently for different documents.
func NewFunc(n int, doc func(i int) string) *Index {
	return newFuncWorkers(n, runtime.GOMAXPROCS(0), minShardDocs, func(buf []byte, i int) (string, []byte) {
		return doc(i), buf
	})
}

// NewAppend is NewFunc for documents that doc writes: it appends document
// i's text to dst and returns the extended slice. Each goroutine of the
// build passes one buffer from document to document, so that no copy of a
// document is allocated (the index copies the terms it keeps); building
// the index of a million passages otherwise allocated two gigabytes of
// copies, which made the heap grow.
func NewAppend(n int, doc func(dst []byte, i int) []byte) *Index {
	return newFuncWorkers(n, runtime.GOMAXPROCS(0), minShardDocs, appendSource(doc))
}

// docSource gives document i's text, written into buf (returned for reuse)
// or not.
type docSource func(buf []byte, i int) (text string, _ []byte)

// appendSource is the docSource of NewAppend's doc: the text is the
// buffer, valid until the next call.
func appendSource(doc func(dst []byte, i int) []byte) docSource {
	return func(buf []byte, i int) (string, []byte) {
		buf = doc(buf[:0], i)
		return unsafe.String(unsafe.SliceData(buf), len(buf)), buf
	}
}

// newFuncWorkers is NewFunc on up to workers goroutines, with shards of at
// least minDocs documents.
func newFuncWorkers(n, workers, minDocs int, doc docSource) *Index {
	return newFuncReuse(n, workers, minDocs, doc, nil, n <= keepTermsDocs)
}

// buildMemory is memory passed from build to build: WriteFlat builds its
// parts in one postings array and one set of term sequence chunks,
// instead of allocating (and the system zeroing) them again for each
// part.
type buildMemory struct {
	postings []posting
	mu       sync.Mutex // guards chunks, which shards take and give back concurrently
	chunks   [][]int32  // free termSeq chunks, each of capacity seqChunk
}

// chunk returns an empty termSeq chunk of capacity seqChunk; m may be nil.
func (m *buildMemory) chunk() []int32 {
	if m != nil {
		m.mu.Lock()
		defer m.mu.Unlock()
		if n := len(m.chunks); n > 0 {
			c := m.chunks[n-1]
			m.chunks = m.chunks[:n-1]
			return c[:0]
		}
	}
	return make([]int32, 0, seqChunk)
}

// free takes back the chunks of a sequence that is no longer read; m may
// be nil.
func (m *buildMemory) free(q termSeq) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range q.chunks {
		if cap(c) == seqChunk {
			m.chunks = append(m.chunks, c)
		}
	}
}

// newFuncReuse is newFuncWorkers on the memory of mem, when not nil: the
// postings go into mem.postings when it has room for them (the fill pass
// sets every posting), and the array allocated otherwise is kept there
// for the next build, as are the term sequences' chunks. With keepTerms
// the first pass keeps each document's terms as numbers for the second
// (see keepTermsDocs); without, the second reads the documents again.
func newFuncReuse(n, workers, minDocs int, doc docSource, mem *buildMemory, keepTerms bool) *Index {
	if n > maxLexicalDocs {
		panic(fmt.Sprintf("lexical index: %d documents, at most %d", n, maxLexicalDocs))
	}
	l := &Index{docLen: make([]float32, n)}
	shards := cutShards(n, workers, minDocs)
	for i := range shards {
		shards[i].keep = keepTerms
	}
	run := func(pass func(s *shard)) {
		if len(shards) == 1 {
			pass(&shards[0])
			return
		}
		next := make(chan *shard, len(shards))
		for i := range shards {
			next <- &shards[i]
		}
		close(next)
		var wg sync.WaitGroup
		for range min(workers, len(shards)) {
			wg.Go(func() {
				for s := range next {
					pass(s)
				}
			})
		}
		wg.Wait()
	}
	run(func(s *shard) { s.count(doc, l.docLen, mem) })
	// Number the terms for the whole index, in the order the documents
	// meet them, and count their documents.
	ids := &termIDs{}
	var df []int
	if len(shards) == 1 {
		*ids = shards[0].ids // the same numbering (fill drops the shard's reference)
		df = make([]int, len(ids.keys))
	}
	for si := range shards {
		s := &shards[si]
		s.global = make([]int32, len(s.ids.keys))
		for local, t := range s.ids.keys {
			g, ok := int32(local), len(shards) == 1
			if !ok {
				g, ok = ids.get(t)
			}
			if !ok {
				g = ids.addOwned(t)
				df = append(df, 0)
			}
			s.global[local] = g
			df[g] += s.state[local].n
		}
	}
	start := make([]int, len(df)+1)
	for g, c := range df {
		start[g+1] = start[g] + c
	}
	// Each shard's postings of a term follow those of the shards before
	// it.
	next := slices.Clone(start[:len(df)])
	total := 0
	for si := range shards {
		s := &shards[si]
		for local, g := range s.global {
			st := &s.state[local]
			st.n, next[g] = next[g], next[g]+st.n // n becomes the place of the term's next posting
		}
		s.global = nil
		if s.keep {
			s.ids = termIDs{} // the index's table holds the terms; fill reads numbers
		} else {
			s.ids.keys = nil // the index's table holds the terms; fill looks them up by key
		}
		total += s.terms
	}
	var backing []posting
	if mem != nil && cap(mem.postings) >= start[len(df)] {
		backing = mem.postings[:start[len(df)]]
	} else {
		backing = make([]posting, start[len(df)])
		adviseHugePages(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(backing))), 4*len(backing)))
		if mem != nil {
			mem.postings = backing
		}
	}
	run(func(s *shard) { s.fill(doc, backing, mem) })
	l.ids, l.start, l.backing = ids, start, backing
	if n > 0 {
		l.avgLen = float64(total) / float64(n)
	}
	l.prepare()
	return l
}

// shard is documents lo to hi of a build, with its own numbering of
// their terms.
type shard struct {
	lo, hi int
	ids    termIDs
	state  []termState // per term of the shard
	global []int32     // per term, its number in the index (during the merge)
	terms  int         // terms of all its documents
	keep   bool        // count keeps seq and lens for fill
	seq    termSeq     // its documents' terms, as numbers (count writes it, fill reads it)
	lens   []int32     // per document, its number of terms
}

// termSeq is the terms of a shard's documents, in order, as the shard's
// term numbers: in chunks, each holding whole documents, so that it never
// copies itself to grow (at 2^17 passages, about 140 MB).
type termSeq struct {
	chunks [][]int32
}

// seqChunk is the size of a termSeq chunk (256 KiB), or more for a
// document of more terms.
const seqChunk = 1 << 16

// add appends one document's terms, in a new chunk from mem (which may
// be nil) when the last one has no room for them.
func (q *termSeq) add(ids []int32, mem *buildMemory) {
	n := len(q.chunks)
	if n == 0 || len(q.chunks[n-1])+len(ids) > cap(q.chunks[n-1]) {
		c := mem.chunk()
		if len(ids) > cap(c) {
			mem.free(termSeq{chunks: [][]int32{c}})
			c = make([]int32, 0, len(ids))
		}
		q.chunks = append(q.chunks, c)
		n++
	}
	q.chunks[n-1] = append(q.chunks[n-1], ids...)
}

// termState is what a pass over a shard keeps per term, together so that
// a term's document costs one cache miss, not two.
type termState struct {
	// last is the last document that held the term.
	last int32
	// n is the number of documents that hold the term, counted by
	// count; after the merge, where the term's next posting goes in the
	// postings array.
	n int
}

// cutShards cuts n documents into shards of at least minDocs documents
// for up to workers goroutines.
func cutShards(n, workers, minDocs int) []shard {
	k := 1
	if workers > 1 {
		k = max(1, min(workers*shardsPerWorker, n/max(1, minDocs)))
	}
	shards := make([]shard, k)
	for i := range shards {
		shards[i].lo, shards[i].hi = n*i/k, n*(i+1)/k
	}
	return shards
}

// count numbers the shard's terms, counts their documents, keeps each
// document's terms as numbers (when s.keep) and records its length in
// docLen.
func (s *shard) count(doc docSource, docLen []float32, mem *buildMemory) {
	var terms []string
	var ids []int32
	var buf []byte
	if s.keep {
		s.lens = make([]int32, s.hi-s.lo)
	}
	for i := s.lo; i < s.hi; i++ {
		terms, buf = readTerms(doc, i, terms, buf)
		ids = ids[:0]
		for _, t := range terms {
			id, ok := s.ids.get(t)
			if !ok {
				id = s.ids.add(t)
				s.state = append(s.state, termState{last: -1})
			}
			ids = append(ids, id)
			if st := &s.state[id]; st.last != int32(i) {
				st.last = int32(i)
				st.n++
			}
		}
		if s.keep {
			s.seq.add(ids, mem)
			s.lens[i-s.lo] = int32(len(terms))
		}
		docLen[i] = float32(len(terms))
		s.terms += len(terms)
	}
}

// fill writes the shard's postings into backing, each term's from the
// place the merge gave it (termState.n), from the numbers count kept (or,
// without them, from the documents read again), and drops the shard's
// tables (giving its sequence's chunks to mem).
func (s *shard) fill(doc docSource, backing []posting, mem *buildMemory) {
	for id := range s.state {
		s.state[id].last = -1
	}
	var chunk []int32 // what is left of the chunk being read
	next := 0         // the next chunk
	var terms []string
	var ids []int32
	var buf []byte
	for i := s.lo; i < s.hi; i++ {
		if s.keep {
			n := int(s.lens[i-s.lo])
			if n > 0 && len(chunk) == 0 {
				chunk = s.seq.chunks[next]
				next++
			}
			ids, chunk = chunk[:n], chunk[n:]
		} else {
			terms, buf = readTerms(doc, i, terms, buf)
			ids = ids[:0]
			for _, t := range terms {
				id, _ := s.ids.get(t) // count numbered every term
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			st := &s.state[id]
			if st.last == int32(i) {
				if p := &backing[st.n-1]; p.tf() < 0xff {
					*p++
				}
				continue
			}
			st.last = int32(i)
			backing[st.n] = newPosting(i)
			st.n++
		}
	}
	mem.free(s.seq)
	s.ids, s.state, s.seq, s.lens = termIDs{}, nil, termSeq{}, nil
}

// readTerms returns the index terms of document i, in terms (reused),
// and the buffer doc wrote it into.
func readTerms(doc docSource, i int, terms []string, buf []byte) ([]string, []byte) {
	text, buf := doc(buf, i)
	return AppendIndexTerms(terms[:0], text), buf
}

// termIDs numbers terms densely. Terms of up to 7 bytes (every Han
// character and bigram) are looked up by an integer key in a table of
// their own, which is several times cheaper than a string key; longer ones
// by string.
type termIDs struct {
	short shortIDs
	long  map[string]int32
	keys  []string
}

func shortKey(t string) (uint64, bool) {
	if len(t) > 7 {
		return 0, false
	}
	k := uint64(len(t)) << 56
	for i := 0; i < len(t); i++ {
		k |= uint64(t[i]) << (8 * i)
	}
	return k, true
}

func (m *termIDs) get(t string) (int32, bool) {
	if k, ok := shortKey(t); ok {
		return m.short.get(k)
	}
	id, found := m.long[t]
	return id, found
}

// add numbers a new term; the term is copied so that it does not keep its
// document alive.
func (m *termIDs) add(t string) int32 { return m.addOwned(strings.Clone(t)) }

// addOwned numbers a new term that keeps no document alive.
func (m *termIDs) addOwned(t string) int32 {
	id := int32(len(m.keys))
	m.keys = append(m.keys, t)
	if k, ok := shortKey(t); ok {
		m.short.put(k, id)
		return id
	}
	if m.long == nil {
		m.long = map[string]int32{}
	}
	m.long[t] = id
	return id
}

// shortIDs maps short keys (shortKey: never 0, since a term is not empty)
// to term numbers: open addressing with linear probing, kept at most half
// full. Building the index looks up every term of every document once;
// through a Go map that was a third of the build's time.
type shortIDs struct {
	slots []shortSlot // a power of two of them, key 0 for a free one
	n     int
	shift uint // 64 - log2(len(slots))
}

type shortSlot struct {
	key uint64
	id  int32
}

// minShortSlots is the size of a new table: about the distinct terms of a
// few passages.
const minShortSlots = 1024

// home is the first slot to probe for k (Fibonacci hashing: the key's bytes
// are mixed into the top bits, which pick the slot).
func (t *shortIDs) home(k uint64) int { return int((k * 0x9E3779B97F4A7C15) >> t.shift) }

func (t *shortIDs) get(k uint64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.slots) - 1
	for s := t.home(k); ; s = (s + 1) & mask {
		switch t.slots[s].key {
		case k:
			return t.slots[s].id, true
		case 0:
			return 0, false
		}
	}
}

// put adds k, which the table does not hold.
func (t *shortIDs) put(k uint64, id int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	s := t.home(k)
	for t.slots[s].key != 0 {
		s = (s + 1) & mask
	}
	t.slots[s] = shortSlot{k, id}
	t.n++
}

// grow doubles the table (or makes the first one).
func (t *shortIDs) grow() {
	old := t.slots
	size := max(minShortSlots, 2*len(old))
	t.slots, t.shift = make([]shortSlot, size), uint(64-bits.TrailingZeros(uint(size)))
	adviseHugePages(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(t.slots))), int(unsafe.Sizeof(shortSlot{}))*size)) // probed at random
	mask := size - 1
	for _, e := range old {
		if e.key == 0 {
			continue
		}
		s := t.home(e.key)
		for t.slots[s].key != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = e
	}
}
