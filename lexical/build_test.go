package lexical

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// bundledPassages are the bundled reports' passages, each with its report
// title as a header (as the index gives them).
func bundledPassages(t testing.TB) []string {
	t.Helper()
	var docs []string
	for _, r := range bundled(t) {
		for _, p := range corpus.Split(r, corpus.SplitOptions{}) {
			docs = append(docs, r.Title+"\n"+p.Text)
		}
	}
	return docs
}

// buildCase is a set of documents that building an index must handle.
type buildCase struct {
	name string
	docs []string
}

// buildCases are the document sets the build tests index in every way
// they compare (serial and parallel, whole and in parts).
func buildCases(t *testing.T) []buildCase {
	t.Helper()
	// One term in every document (tf and df across shards), some in one
	// part only.
	repeated := make([]string, 600)
	for i := range repeated {
		repeated[i] = fmt.Sprintf("就业 就业 GDP %d %s part%d", i%7, strings.Repeat("村", i%300), i/100)
	}
	return []buildCase{
		{"none", nil},
		{"one", []string{"新增就业3.4万人"}},
		{"empty documents", []string{"", "", "新增就业", "", "GDP", ""}},
		{"fewer documents than shards", []string{"新增就业3.4万人", "GDP growth of 5.5%", "村村通公路"}},
		{"repeated terms", repeated},
		{"bundled passages", bundledPassages(t)},
		// A document's terms are kept in one chunk: these need chunks of
		// their own, larger than seqChunk, between ordinary ones.
		{"documents of more terms than a chunk", []string{"就业", strings.Repeat("村民就业", seqChunk/6), "GDP", strings.Repeat("新增就业", seqChunk/5), "就业 GDP"}},
	}
}

// TestParallelBuildMatchesSerial checks that building on several
// goroutines, in shards, gives the index the serial build gives: the same
// term numbers, postings, lengths and encoding.
func TestParallelBuildMatchesSerial(t *testing.T) {
	t.Parallel()
	tests := buildCases(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := func(buf []byte, i int) (string, []byte) { return tt.docs[i], buf }
			want := newFuncWorkers(len(tt.docs), 1, minShardDocs, doc)
			var wantEnc bytes.Buffer
			if err := want.Encode(&wantEnc); err != nil {
				t.Fatal(err)
			}
			// Documents written into a reused buffer (NewAppend) index the
			// same.
			written := appendSource(func(dst []byte, i int) []byte { return append(dst, tt.docs[i]...) })
			for _, workers := range []int{1, 2, 3, 8} {
				for _, minDocs := range []int{1, 7, minShardDocs} {
					for src, doc := range []docSource{doc, written, doc, written} {
						// Sources 2 and 3: the documents read again by the
						// second pass, as above keepTermsDocs.
						got := newFuncReuse(len(tt.docs), workers, minDocs, doc, nil, src < 2)
						var gotEnc bytes.Buffer
						if err := got.Encode(&gotEnc); err != nil {
							t.Fatal(err)
						}
						what := fmt.Sprintf("%d workers, shards of %d, source %d", workers, minDocs, src)
						switch {
						case !slices.Equal(got.ids.keys, want.ids.keys):
							t.Errorf("%s: terms numbered %.10q, want %.10q", what, got.ids.keys, want.ids.keys)
						case !slices.Equal(got.start, want.start) || !slices.Equal(got.backing, want.backing):
							t.Errorf("%s: postings differ", what)
						case !slices.Equal(got.docLen, want.docLen) || got.avgLen != want.avgLen || !slices.Equal(got.norm, want.norm):
							t.Errorf("%s: document lengths differ", what)
						case !bytes.Equal(gotEnc.Bytes(), wantEnc.Bytes()):
							t.Errorf("%s: encodings differ", what)
						}
						for _, term := range want.ids.keys {
							if g, ok := got.termNumber(term); !ok || !slices.Equal(got.postings(term), want.postings(term)) {
								t.Fatalf("%s: term %q: number %d %v, postings %v, want %v",
									what, term, g, ok, got.postings(term), want.postings(term))
							}
						}
					}
				}
			}
		})
	}
}

// BenchmarkNewFunc builds the index of the bundled passages, repeated to
// 20,000 documents.
func BenchmarkNewFunc(b *testing.B) {
	passages := bundledPassages(b)
	docs := make([]string, 20000)
	for i := range docs {
		docs[i] = passages[i%len(passages)]
	}
	for b.Loop() {
		NewFunc(len(docs), func(i int) string { return docs[i] })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
}
