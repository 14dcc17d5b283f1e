package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The config package's decoding and validation are tested there, and the
// wiring of a Config in cmd/internal/app; this covers reading the file.

func TestLoadConfigFile(t *testing.T) {
	t.Parallel()
	if _, err := loadConfig("../../config.example.yaml"); err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("store:\n  kind: qdrant\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want []string
	}{
		{filepath.Join(dir, "missing.yaml"), []string{"config: ", "missing.yaml"}},
		{bad, []string{"config " + bad + ": ", "store.kind"}},
	}
	for _, tt := range tests {
		_, err := loadConfig(tt.path)
		for _, want := range tt.want {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("loadConfig(%s) error = %v, want one containing %q", tt.path, err, want)
			}
		}
	}
}
