package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStoreConfig(t *testing.T) {
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"default is chromem", "", ""},
		{"weaviate", "store:\n  kind: weaviate\n  weaviate:\n    urls: [http://10.0.0.1:8080, http://10.0.0.2:8080]\n    replication_factor: 2\n    timeout: 3s\n    refresh_interval: 1m\n", ""},
		{"unknown kind", "store:\n  kind: qdrant\n", "store.kind"},
		{"chromem int8", "store:\n  kind: chromem\n  chromem:\n    vector_search: int8\n", ""},
		{"bad vector search", "store:\n  chromem:\n    vector_search: hnsw\n", "store.chromem.vector_search"},
		{"bad url", "store:\n  kind: weaviate\n  weaviate:\n    urls: [localhost:8080]\n", "store.weaviate.urls"},
		{"bad collection", "store:\n  kind: weaviate\n  weaviate:\n    collection: passages\n", "store.weaviate.collection"},
		{"bad replication", "store:\n  kind: weaviate\n  weaviate:\n    replication_factor: 0\n", "store.weaviate.replication_factor"},
		{"bad tokenization", "store:\n  kind: weaviate\n  weaviate:\n    tokenization: jieba\n", "store.weaviate.tokenization"},
		{"bad consistency", "store:\n  kind: weaviate\n  weaviate:\n    read_consistency: TWO\n", "store.weaviate.read_consistency"},
		{"bad duration", "store:\n  kind: weaviate\n  weaviate:\n    timeout: soon\n", "soon"},
		{"unknown key", "store:\n  kind: weaviate\n  weaviate:\n    url: http://x\n", "url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(path, []byte(tt.yaml), 0o644)
			cfg, err := loadConfig(path)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("loadConfig: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("loadConfig error = %v, want one naming %q", err, tt.wantErr)
			}
			if tt.name == "weaviate" && (len(cfg.Store.Weaviate.URLs) != 2 || cfg.Store.Weaviate.Timeout != 3*time.Second ||
				cfg.Store.Weaviate.RefreshInterval != time.Minute || cfg.Store.Weaviate.Collection != "ReportbotPassages") {
				t.Errorf("decoded %+v", cfg.Store.Weaviate)
			}
		})
	}
}

func TestWeaviateAPIKeyFromEnv(t *testing.T) {
	wc := defaultStoreConfig().Weaviate
	wc.APIKeyEnv = "WEAVIATE_API_KEY"
	if _, err := newWeaviateStore(wc, func(string) string { return "" }, nil); err == nil || !strings.Contains(err.Error(), "WEAVIATE_API_KEY") {
		t.Errorf("missing key: err = %v, want one naming the variable", err)
	}
	if _, err := newWeaviateStore(wc, func(k string) string { return map[string]string{"WEAVIATE_API_KEY": "k"}[k] }, nil); err != nil {
		t.Errorf("with key: %v", err)
	}
}

func TestConfigExampleLoads(t *testing.T) {
	if _, err := loadConfig("../../config.example.yaml"); err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
}
