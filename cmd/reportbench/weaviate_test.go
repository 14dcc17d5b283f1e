package main

import (
	"reflect"
	"testing"
)

func TestParseHNSW(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    map[string]any
		wantErr bool
	}{
		{"", nil, false},
		{"efConstruction=64", map[string]any{"efConstruction": 64}, false},
		{"efConstruction=64, maxConnections=16", map[string]any{"efConstruction": 64, "maxConnections": 16}, false},
		{"efConstruction", nil, true},
		{"ef=x", nil, true},
	} {
		got, err := parseHNSW(tc.in)
		if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseHNSW(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestScriptSettings(t *testing.T) {
	t.Parallel()
	env := []string{"PATH=/bin", "WEAVIATE_SERVER_GOGC=300", "WEAVIATE_BIN=/x/weaviate-server", "WEAVIATE_ASYNC_INDEXING=true", "HOME=/root"}
	got := scriptSettings(env)
	want := []string{"WEAVIATE_ASYNC_INDEXING=true", "WEAVIATE_SERVER_GOGC=300"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scriptSettings = %v, want %v", got, want)
	}
}
