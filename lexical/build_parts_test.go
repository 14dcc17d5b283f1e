package lexical

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestWriteFlatInPartsMatchesWhole checks that an index written in parts
// (writeFlatParts) has the bytes EncodeFlat writes for the index built
// whole, whatever the part size.
func TestWriteFlatInPartsMatchesWhole(t *testing.T) {
	t.Parallel()
	tests := buildCases(t)
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
