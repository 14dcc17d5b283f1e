package index

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/embed"
)

// savedIndex saves the bundled index in a new directory and returns the
// directory and the file's bytes.
func savedIndex(t *testing.T) (*Index, string, []byte) {
	t.Helper()
	ix := testIndex(t)
	dir := t.TempDir()
	if err := ix.Save(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	return ix, dir, data
}

// smallBlocks is the bundled index written with checksum blocks of 4 KiB,
// so that its sections have several (a real file has 1 MiB blocks).
func smallBlocks(t *testing.T, ix *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := writeSectionsBlock(&buf, indexSections(ix.manifest(), ix.passages, ix.vec, ix.lex, ix.byIndicator), 4096); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sectionOf returns the table entry of section name in a saved file.
func sectionOf(t *testing.T, data []byte, name string) sectionEntry {
	t.Helper()
	tab, err := readTable(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := tab.lookup(name)
	if !ok {
		t.Fatalf("no section %q", name)
	}
	return e
}

// TestOpenDetectsDamage changes bytes inside a saved index (issue 15,
// item 7: "3.4" became "3.9" in 新增就业3.4万人 and the index answered
// 3.9): Open, BuiltWith (for the manifest) and Verify must refuse it,
// name the damaged section and the command that rebuilds it.
func TestOpenDetectsDamage(t *testing.T) {
	t.Parallel()
	ix, _, saved := savedIndex(t)
	if sectionOf(t, saved, secVectors).block != checksumBlock {
		t.Fatalf("Save wrote blocks of %d bytes, want %d", sectionOf(t, saved, secVectors).block, checksumBlock)
	}
	data := smallBlocks(t, ix)
	vec := sectionOf(t, data, secVectors)
	if len(vec.crcs) < 2 {
		t.Fatalf("vectors section of %d bytes has %d blocks; the test wants several", vec.size, len(vec.crcs))
	}
	flip := func(off int64) func([]byte) []byte {
		return func(b []byte) []byte { b[off] ^= 0x10; return b }
	}
	res := sectionOf(t, data, secResiduals)
	tests := []struct {
		name   string
		damage func([]byte) []byte
		want   string // in the error
		// lazy: a mapped section, verified when a search first touches
		// it: Open succeeds and the search fails.
		lazy bool
	}{
		{"3.4 becomes 3.9 in a passage", func(b []byte) []byte {
			i := bytes.Index(b, []byte("新增就业3.4万"))
			if i < 0 {
				t.Fatal("no 新增就业3.4万 in the file")
			}
			b[i+len("新增就业3.")] = '9'
			return b
		}, `section "passages", block `, mapsFiles},
		{"manifest", flip(sectionOf(t, data, secManifest).off + 40), `section "manifest"`, false},
		{"last block of the vectors", flip(vec.off + vec.size - 3), `section "vectors", block ` + strconv.Itoa(len(vec.crcs)) + " of " + strconv.Itoa(len(vec.crcs)), mapsFiles},
		{"a residual", flip(res.off + 5000), `section "residuals", block 2 of ` + strconv.Itoa(len(res.crcs)), mapsFiles},
		{"lexical", flip(sectionOf(t, data, secLexical).off + 5), `section "lexical"`, false},
		{"table", flip(int64(len(data) - trailerSize - 2)), "section table: checksum mismatch", false},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "truncated", false},
		{"trailer", flip(int64(len(data) - 1)), "no section table", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, IndexFile), tt.damage(slices.Clone(data)), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := Open(dir, ix.emb)
			if tt.lazy {
				if err != nil {
					t.Fatalf("Open: %v; want a mapped index, verified as it is searched", err)
				}
				if err := got.Save(t.TempDir()); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Save: got %v, want ErrDamaged naming %s: a damaged block is never saved under a new checksum", err, tt.want)
				}
				for _, vs := range []VectorSearch{VectorSearchInt8, VectorSearchChromem} {
					got.SetVectorSearch(vs)
					_, err = got.QueryVectors(context.Background(), denseQuery(ix.dim), ix.Len())
					if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "reportbot index --rebuild") {
						t.Errorf("QueryVectors (%s): got %v, want ErrDamaged naming %s and `reportbot index --rebuild`", vs, err, tt.want)
					}
				}
			} else if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "reportbot index --rebuild") {
				t.Errorf("Open: got %v, want ErrDamaged naming %s and `reportbot index --rebuild`", err, tt.want)
			}
			if _, err := Verify(dir); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Verify: got %v, want ErrDamaged naming %s", err, tt.want)
			}
		})
	}
	t.Run("manifest read by BuiltWith", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, IndexFile), flip(sectionOf(t, data, secManifest).off+40)(slices.Clone(data)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := BuiltWith(dir); !errors.Is(err, ErrDamaged) {
			t.Errorf("BuiltWith: got %v, want ErrDamaged", err)
		}
	})
}

// denseQuery is a query vector of dim ones: a search with it reads every
// column of the matrix.
func denseQuery(dim int) []float32 {
	q := make([]float32, dim)
	for i := range q {
		q[i] = 1
	}
	return q
}

// TestVerify checks an undamaged file in full.
func TestVerify(t *testing.T) {
	t.Parallel()
	ix, dir, _ := savedIndex(t)
	res, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range res.Sections {
		names = append(names, s.Name)
	}
	if res.Format != FormatVersion || res.Passages != ix.Len() || res.EmbedderID != ix.EmbedderID() ||
		!slices.Equal(names, []string{secManifest, secPassages, secVectors, secLexical, secFacts, secResiduals, secFactsIndex}) {
		t.Errorf("Verify = %+v, want format %d, %d passages, the seven sections", res, FormatVersion, ix.Len())
	}
	if _, err := Verify(t.TempDir()); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Verify(empty dir) = %v, want ErrNoIndex", err)
	}
}

// TestOpenFormat2 opens the format 2 index committed in testdata/v2
// (written by the reportbot of be0ba25 from two small reports with the
// hash embedder of dimension 64; issue 15, item 10), searches it, and
// checks that its next Save writes format 3 holding the same passages.
func TestOpenFormat2(t *testing.T) {
	t.Parallel()
	emb, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	old, err := Open("testdata/v2", emb)
	if err != nil {
		t.Fatal(err)
	}
	if old.FileFormat() != 2 || old.Len() != 8 || len(old.Reports()) != 2 {
		t.Fatalf("format 2 fixture: format %d, %d passages, %d reports; want 2, 8, 2", old.FileFormat(), old.Len(), len(old.Reports()))
	}
	q := "新增就业多少万人?"
	hits, err := old.Search(t.Context(), q, queryTerms(q), Filter{})
	if err != nil || !slices.ContainsFunc(hits, func(h Hit) bool { return strings.Contains(h.Passage.Text, "新增就业3.4万人") }) {
		t.Errorf("search in the format 2 index: %v, %d hits without 新增就业3.4万人", err, len(hits))
	}
	if _, err := Verify("testdata/v2"); err != nil {
		t.Errorf("Verify(format 2) = %v", err)
	}
	dir := t.TempDir()
	if err := old.Save(dir); err != nil {
		t.Fatal(err)
	}
	if old.FileFormat() != FormatVersion {
		t.Errorf("after Save: format %d, want %d", old.FileFormat(), FormatVersion)
	}
	again, err := Open(dir, emb)
	if err != nil {
		t.Fatal(err)
	}
	if again.FileFormat() != FormatVersion || !slices.EqualFunc(passagesOf(t, again), passagesOf(t, old), func(a, b Passage) bool {
		return a.ID == b.ID && a.Text == b.Text && a.EmbedKey == b.EmbedKey
	}) || !slices.Equal(again.vec.data, old.vec.data) {
		t.Errorf("format 2 rewritten as %d: passages or vectors differ", again.FileFormat())
	}
}

// TestOpenFormat4 opens the format 4 index committed in testdata/v4
// (written by the reportbot of 4b23df8 from the format 2 fixture: passages,
// lexical index and facts in the varint layouts, read into memory), and
// checks that its next Save writes format 5, read in place, that holds and
// answers the same: passages with their facts, hits in the same order with
// the same scores, facts by indicator, report counts.
func TestOpenFormat4(t *testing.T) {
	t.Parallel()
	emb, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	old, err := Open("testdata/v4", emb)
	if err != nil {
		t.Fatal(err)
	}
	if old.FileFormat() != 4 || old.Len() != 8 || old.lazy != nil {
		t.Fatalf("format 4 fixture: format %d, %d passages, read in place %v; want 4, 8, false", old.FileFormat(), old.Len(), old.lazy != nil)
	}
	if _, err := Verify("testdata/v4"); err != nil {
		t.Errorf("Verify(format 4) = %v", err)
	}
	dir := t.TempDir()
	if err := old.Save(dir); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, emb)
	if err != nil {
		t.Fatal(err)
	}
	if again.FileFormat() != FormatVersion || again.lazy == nil || again.lazyFacts == nil {
		t.Fatalf("rewritten: format %d, passages in place %v, facts in place %v; want %d, true, true", again.FileFormat(), again.lazy != nil, again.lazyFacts != nil, FormatVersion)
	}
	if !reflect.DeepEqual(passagesOf(t, again), passagesOf(t, old)) || !reflect.DeepEqual(again.Reports(), old.Reports()) {
		t.Errorf("format 4 rewritten as 5: passages or reports differ")
	}
	for i := range old.Len() {
		if got, err := again.passageAt(i); err != nil || !reflect.DeepEqual(got, old.passages[i]) {
			t.Errorf("passage %d read in place: %+v, %v; want %+v", i, got, err, old.passages[i])
		}
	}
	for _, q := range []string{"新增就业多少万人?", "2018年GDP增长目标", "城乡居民收入"} {
		want, err1 := old.Search(t.Context(), q, queryTerms(q), Filter{})
		got, err2 := again.Search(t.Context(), q, queryTerms(q), Filter{})
		sortHits(want)
		sortHits(got)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("search %q: format 5 gives %d hits (%v), format 4 %d (%v)", q, len(got), err2, len(want), err1)
		}
	}
	if !reflect.DeepEqual(again.byIndicator, old.byIndicator) || again.FactCount() != old.FactCount() || old.FactCount() == 0 {
		t.Errorf("facts: %d in place, %d before", again.FactCount(), old.FactCount())
	}
	if _, err := Verify(dir); err != nil {
		t.Errorf("Verify(format 5) = %v", err)
	}
}

// sortHits orders hits by passage ID (Search returns them unordered).
func sortHits(hs []Hit) {
	slices.SortFunc(hs, func(a, b Hit) int { return strings.Compare(a.Passage.ID, b.Passage.ID) })
}

// TestDamagedLexicalInPlace: a damaged block of postings in a mapped
// format 5 file opens (the open reads no postings) and fails the search
// that reads it, naming the section and the command that rebuilds it.
func TestDamagedLexicalInPlace(t *testing.T) {
	t.Parallel()
	if !mapsFiles {
		t.Skip("index files are not mapped here")
	}
	ix, _, _ := savedIndex(t)
	data := smallBlocks(t, ix)
	lex := sectionOf(t, data, secLexical)
	if len(lex.crcs) < 3 {
		t.Fatalf("lexical section of %d bytes has %d blocks; the test wants several", lex.size, len(lex.crcs))
	}
	// The postings lie before the terms, at the end: damage the block
	// before the last, inside the postings of some terms.
	damaged := slices.Clone(data)
	damaged[lex.off+lex.size-lex.block-100] ^= 0x10
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, IndexFile), damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Open(dir, ix.emb)
	if err != nil {
		t.Fatalf("Open: %v; want a lexical index read in place, verified as it is searched", err)
	}
	var failed error
	reports, _, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if _, err := got.Search(t.Context(), "", queryTerms(r.Text), Filter{}); err != nil {
			failed = err
		}
	}
	if !errors.Is(failed, ErrDamaged) || !strings.Contains(failed.Error(), `section "lexical", block`) || !strings.Contains(failed.Error(), "reportbot index --rebuild") {
		t.Errorf("Search over damaged postings: %v; want ErrDamaged naming the lexical section's block and the rebuild", failed)
	}
	if _, err := Verify(dir); !errors.Is(err, ErrDamaged) {
		t.Errorf("Verify: %v, want ErrDamaged", err)
	}
}

// TestOpenNewerFormat: a file of a newer format, or with a required
// section this reader does not know, is refused with what to do; an
// unknown optional section is skipped.
func TestOpenNewerFormat(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	m := ix.manifest()
	extra := func(required bool) []byte {
		var buf bytes.Buffer
		sections := append(indexSections(m, ix.passages, ix.vec, ix.lex, ix.byIndicator), indexSection{"facts-v9", required, 0, func(w io.Writer) error {
			_, err := io.WriteString(w, "from a later reportbot")
			return err
		}})
		if err := writeSections(&buf, sections); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"format 6", append([]byte("REPORTBOT-INDEX 6\n"), make([]byte, 100)...), ErrNewerFormat},
		{"format 12", append([]byte("REPORTBOT-INDEX 12\n"), make([]byte, 100)...), ErrNewerFormat},
		{"unknown required section", extra(true), ErrNewerFormat},
		{"unknown optional section", extra(false), nil},
		{"not an index", []byte("hello, world\n"), ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, IndexFile), tt.file, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := Open(dir, ix.emb)
			if tt.want == nil {
				if err != nil || got.Len() != ix.Len() {
					t.Errorf("Open = %v; want the index, the unknown section skipped", err)
				}
				if _, err := Verify(dir); err != nil {
					t.Errorf("Verify = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v, want %v", err, tt.want)
			}
			if errors.Is(err, ErrNewerFormat) && !strings.Contains(err.Error(), "upgrade reportbot, or run `reportbot index --rebuild`") {
				t.Errorf("Open = %v; want it to say what to run", err)
			}
			if _, _, err := BuiltWith(dir); !errors.Is(err, tt.want) {
				t.Errorf("BuiltWith = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCheckedReader reads sections of many sizes through checkedReader
// in pieces of every size, across block boundaries, and checks the bytes
// and that a damaged block gives no byte of itself.
func TestCheckedReader(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 6, 7, 8, 50, 701} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		var file bytes.Buffer
		file.WriteString("xyz")
		cw := &crcWriter{w: &file, block: 7}
		if _, err := cw.Write(data); err != nil {
			t.Fatal(err)
		}
		cw.finish()
		e := sectionEntry{name: "s", off: 3, size: int64(size), block: 7, crcs: cw.crcs}
		for _, wrap := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.HalfReader, func(r io.Reader) io.Reader { return r }} {
			got, err := io.ReadAll(wrap(&checkedReader{r: bytes.NewReader(file.Bytes()), e: e}))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("size %d: read %d bytes, err %v", size, len(got), err)
			}
		}
		if size < 10 {
			continue
		}
		bad := slices.Clone(file.Bytes())
		bad[3+9] ^= 1 // in the second block
		got, err := io.ReadAll(&checkedReader{r: bytes.NewReader(bad), e: e})
		if !errors.Is(err, ErrDamaged) || len(got) != 7 {
			t.Errorf("size %d, second block damaged: read %d bytes, err %v; want the first block's 7 and ErrDamaged", size, len(got), err)
		}
	}
}

// TestOpenReadsFactsIndex: the lookup of facts by indicator read from the
// file is the one extraction builds, and an index without it (or with
// facts of other rules) builds it again.
func TestOpenReadsFactsIndex(t *testing.T) {
	t.Parallel()
	ix, dir, _ := savedIndex(t)
	got, err := Open(dir, ix.emb)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if len(ix.byIndicator) == 0 || !maps.EqualFunc(got.byIndicator, ix.byIndicator, slices.Equal) {
		t.Errorf("opened lookup of %d indicators differs from the built one of %d", len(got.byIndicator), len(ix.byIndicator))
	}
	// More passages than the section has bytes (the national reports: 7,216
	// passages, a few KB of lookup).
	many := writeFactsIndex(&buf, 100000, map[string][]int32{"gdp": {3, 99999}})
	if many != nil {
		t.Fatal(many)
	}
	if got, err := readFactsIndex(&buf, int64(buf.Len()), 100000); err != nil || !slices.Equal(got["gdp"], []int32{3, 99999}) {
		t.Errorf("facts index of 100000 passages: %v, %v", got, err)
	}
	other, err := readFactsIndex(bytes.NewReader([]byte("\x03old\x01\x00")), 6, 1)
	if err != nil || other != nil {
		t.Errorf("facts index of other rules: %v, %v; want nil, nil", other, err)
	}
}
