package app

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/config"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/weaviate"
)

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

func TestResolveDataDir(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	cfg := config.Default()
	tests := []struct {
		name    string
		dataDir string
		vars    map[string]string
		want    string // "" means an error
	}{
		{"configured", "/srv/reportbot", nil, "/srv/reportbot"},
		{"cache home", "", map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/reportbot/bundled"},
		{"empty cache home is unset", "", map[string]string{"XDG_CACHE_HOME": "", "HOME": "/h"}, "/h/.cache/reportbot/bundled"},
		{"no home", "", nil, ""},
	}
	for _, tt := range tests {
		c := cfg
		c.DataDir = tt.dataDir
		got, err := resolveDataDir(c, env(tt.vars))
		if (tt.want == "") != (err != nil) || got != tt.want {
			t.Errorf("%s: resolveDataDir = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	c := cfg
	c.Corpus.Dir = "/data/reports"
	got, err := resolveDataDir(c, env(map[string]string{"XDG_CACHE_HOME": "/c"}))
	if err != nil || !strings.HasPrefix(got, "/c/reportbot/reports-") {
		t.Errorf("corpus dir: resolveDataDir = %q, %v; want one directory per corpus", got, err)
	}
}
