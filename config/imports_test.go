package config

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportsPlainData checks that the package stays plain data: only the
// standard library and the YAML decoder, never a client, store or bot
// that the commands build from a Config.
func TestImportsPlainData(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no package files: %v", err)
	}
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			first, _, _ := strings.Cut(p, "/")
			if strings.Contains(first, ".") && p != "gopkg.in/yaml.v3" {
				t.Errorf("%s imports %s; config may only use the standard library and gopkg.in/yaml.v3", path, p)
			}
		}
	}
}
