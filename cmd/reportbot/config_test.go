package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/weaviate"
)

// The config package's decoding and validation are tested there; these
// tests cover reading the file and turning a Config into concrete objects.

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

// TestConfigValuesMatch checks that the config's own names for vector
// searches and consistency levels are the ones index and weaviate take.
func TestConfigValuesMatch(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", config.VectorSearchAuto, config.VectorSearchChromem, config.VectorSearchInt8} {
		if _, err := index.ParseVectorSearch(v); err != nil {
			t.Errorf("store.chromem.vector_search %q: %v", v, err)
		}
	}
	if got, want := []string{config.ConsistencyOne, config.ConsistencyQuorum, config.ConsistencyAll},
		[]string{weaviate.ConsistencyOne, weaviate.ConsistencyQuorum, weaviate.ConsistencyAll}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("consistency levels %v, weaviate's %v", got, want)
	}
}

func TestWeaviateAPIKeyFromEnv(t *testing.T) {
	t.Parallel()
	wc := config.Default().Store.Weaviate
	wc.APIKeyEnv = "WEAVIATE_API_KEY"
	none := func(string) (string, bool) { return "", false }
	if _, err := newWeaviateStore(wc, none, nil); err == nil || !strings.Contains(err.Error(), "WEAVIATE_API_KEY") {
		t.Errorf("missing key: err = %v, want one naming the variable", err)
	}
	withKey := func(k string) (string, bool) { v, ok := map[string]string{"WEAVIATE_API_KEY": "k"}[k]; return v, ok }
	if _, err := newWeaviateStore(wc, withKey, nil); err != nil {
		t.Errorf("with key: %v", err)
	}
}
