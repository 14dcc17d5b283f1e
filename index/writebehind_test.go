package index

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteBehind checks that writing through writeBehind writes every
// byte, in order, and starts the writeback of each writeBehindBytes.
func TestWriteBehind(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "file"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := &writeBehind{f: f}
	var want []byte
	for i, size := range []int{10, writeBehindBytes - 10, 1, writeBehindBytes/2 + 3} {
		p := bytes.Repeat([]byte{byte('a' + i)}, size)
		if n, err := w.Write(p); n != size || err != nil {
			t.Fatalf("write %d: %d, %v", i, n, err)
		}
		want = append(want, p...)
	}
	if w.off != int64(len(want)) || w.started != writeBehindBytes {
		t.Errorf("written %d, writeback started for %d; want %d and %d", w.off, w.started, len(want), writeBehindBytes)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the file holds %d bytes, not the %d written", len(got), len(want))
	}
}
