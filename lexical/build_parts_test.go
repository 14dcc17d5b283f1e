package lexical

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFlatInPartsMatchesWhole checks that an index written in parts
// (writeFlatParts) has the bytes EncodeFlat writes for the index built
// whole, whatever the part size.
func TestWriteFlatInPartsMatchesWhole(t *testing.T) {
	t.Parallel()
	passages := bundledPassages(t)
	repeated := make([]string, 600) // one term in every document, some in one part only
	for i := range repeated {
		repeated[i] = fmt.Sprintf("就业 就业 GDP %d %s part%d", i%7, strings.Repeat("村", i%300), i/100)
	}
	tests := []struct {
		name string
		docs []string
	}{
		{"none", nil},
		{"one", []string{"新增就业3.4万人"}},
		{"empty documents", []string{"", "", "新增就业", "", "GDP", ""}},
		{"repeated terms", repeated},
		{"bundled passages", passages},
		// A document's terms are kept in one chunk: these need chunks of
		// their own, larger than seqChunk, between ordinary ones.
		{"documents of more terms than a chunk", []string{"就业", strings.Repeat("村民就业", seqChunk/6), "GDP", strings.Repeat("新增就业", seqChunk/5), "就业 GDP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := func(dst []byte, i int) []byte { return append(dst, tt.docs[i]...) }
			var want bytes.Buffer
			if err := NewAppend(len(tt.docs), doc).EncodeFlat(&want); err != nil {
				t.Fatal(err)
			}
			for _, partDocs := range []int{1, 2, 7, 100, 1000, flatPartDocs} {
				for _, workers := range []int{1, 2} {
					var got bytes.Buffer
					dir := t.TempDir()
					if err := writeFlatParts(&got, dir, len(tt.docs), partDocs, workers, doc); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got.Bytes(), want.Bytes()) {
						t.Fatalf("parts of %d documents, %d workers: %d bytes differ from the whole index's %d", partDocs, workers, got.Len(), want.Len())
					}
					if left, _ := filepathGlob(dir); len(left) > 0 {
						t.Errorf("parts of %d documents: files left: %v", partDocs, left)
					}
				}
			}
		})
	}
}

// filepathGlob lists the files in dir.
func filepathGlob(dir string) ([]string, error) { return filepath.Glob(filepath.Join(dir, "*")) }
