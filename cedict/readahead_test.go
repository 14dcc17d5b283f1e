package cedict

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestReadAhead(t *testing.T) {
	t.Parallel()
	data := []byte(strings.Repeat("0123456789abcdef", 1000))
	tests := []struct {
		name        string
		size, depth int
	}{
		{"one small buffer", 7, 1},
		{"small buffers", 100, 3},
		{"buffers bigger than the data", 1 << 20, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ra := newReadAhead(bytes.NewReader(data), tt.size, tt.depth)
			defer ra.Close()
			got, err := io.ReadAll(ra)
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("ReadAll = %d bytes, want the %d bytes written", len(got), len(data))
			}
		})
	}
}

func TestReadAheadError(t *testing.T) {
	t.Parallel()
	wantErr := os.ErrDeadlineExceeded
	ra := newReadAhead(&errReader{data: []byte("村 村 [cun1] /village/\n"), err: wantErr}, 8, 2)
	defer ra.Close()
	if _, err := Parse(ra); !errors.Is(err, wantErr) {
		t.Errorf("Parse(readAhead of failing reader) error = %v, want %v", err, wantErr)
	}
}

func TestReadAheadCloseEarly(t *testing.T) {
	t.Parallel()
	ra := newReadAhead(bytes.NewReader(make([]byte, 1<<20)), 16, 2)
	var b [10]byte
	if _, err := ra.Read(b[:]); err != nil {
		t.Fatalf("Read: %v", err)
	}
	ra.Close() // must stop the producer, which is blocked on full buffers
	for range ra.full {
		// Drain what it had filled: the producer then closes the channel.
	}
}
