package reportbot_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// importRules lists, per package directory prefix, import paths it must not
// use (by prefix). These are the house-style layering rules: corpus knows
// nothing of embeddings, LLMs or Discord; rag never imports discordgo or bot;
// bot never imports the store, the LLM client or rag's concrete types; only
// cmd/reportbot wires concrete types together.
var importRules = []struct {
	dir       string
	forbidden []string
	allowOnly []string // when set, non-stdlib imports must have one of these prefixes
}{
	{dir: "corpus", allowOnly: []string{"golang.org/x/text", module + "/hanzi", "gopkg.in/yaml.v3"}},
	{dir: "rag", forbidden: []string{"github.com/bwmarrin/discordgo", module + "/bot", module + "/cmd"}},
	{dir: "bot", forbidden: []string{"github.com/philippgille/chromem-go", "github.com/weaviate", "github.com/sashabaranov/go-openai", module + "/rag", module + "/corpus", module + "/cmd"}},
}

const module = "github.com/reportbot/reportbot"

func TestImportRules(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, rule := range importRules {
			if dir != rule.dir && !strings.HasPrefix(dir, rule.dir+"/") {
				continue
			}
			for _, imp := range f.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				checked++
				for _, bad := range rule.forbidden {
					if p == bad || strings.HasPrefix(p, bad+"/") {
						t.Errorf("%s imports %s, which %s/ must not use", path, p, rule.dir)
					}
				}
				if rule.allowOnly != nil && !isStdlib(p) && !strings.HasPrefix(p, module+"/"+rule.dir) && !hasAnyPrefix(p, rule.allowOnly) {
					t.Errorf("%s imports %s; %s/ may only use the standard library and %v", path, p, rule.dir, rule.allowOnly)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no imports checked: the walk found no package files")
	}
}

func isStdlib(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p+"/") {
			return true
		}
	}
	return false
}
