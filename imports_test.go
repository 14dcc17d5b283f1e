package reportbot_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/reportbot/reportbot"

// layers lists, for every package of the module outside cmd/, the module
// packages its non-test files may import. Arrows run one way: a package
// appears only below the packages that may import it (see
// docs/architecture.md). A new package must be added here.
var layers = map[string][]string{
	"hanzi":                 {},
	"cedict":                {},
	"chat":                  {},
	"internal/binarray":     {},
	"internal/backoff":      {},
	"internal/safetext":     {},
	"index/sharedtest":      {"corpus", "index", "lexical"},
	"index/chromemstore":    {},
	"place":                 {},
	"indicator":             {"hanzi"},
	"corpus":                {"hanzi", "internal/safetext", "place"},
	"fact":                  {"corpus", "hanzi", "indicator"},
	"lexical":               {"hanzi", "internal/binarray"},
	"embed":                 {"hanzi", "lexical"},
	"openai":                {"chat", "embed", "internal/backoff"},
	"openai/openaitest":     {"internal/fakeembed"},
	"query":                 {"cedict", "corpus", "hanzi", "indicator", "lexical", "place"},
	"index":                 {"corpus", "embed", "fact", "lexical", "index/chromemstore", "internal/binarray"},
	"weaviate":              {"corpus", "embed", "index", "internal/backoff", "lexical"},
	"answer":                {"corpus", "fact", "hanzi", "index", "indicator", "lexical", "place", "query"},
	"llmanswer":             {"answer", "chat", "corpus", "fact", "hanzi", "index", "indicator", "internal/safetext", "lexical", "query"},
	"eval":                  {"answer"},
	"rag":                   {"answer", "chat", "corpus", "embed", "fact", "index", "indicator", "lexical", "llmanswer", "place", "query"},
	"config":                {},
	"bot":                   {"internal/safetext"},
	"chart":                 {},
	"bot/discordtest":       {},
	"internal/weaviatetest": {},
	"internal/fakeembed":    {},
}

// heavy lists each heavy third-party dependency and the one package whose
// non-test files may import it (besides cmd/, which wires), plus the test
// fake that imitates it.
var heavy = map[string][]string{
	"github.com/sashabaranov/go-openai":    {"openai", "openai/openaitest"},
	"github.com/weaviate/":                 {"weaviate"},
	"github.com/philippgille/chromem-go":   {"index/chromemstore"},
	"github.com/bwmarrin/discordgo":        {"bot", "bot/discordtest"},
	"github.com/go-openapi/":               {"weaviate"},
	"google.golang.org/grpc":               {"weaviate"},
	"github.com/prometheus/client_golang/": {},
	"gonum.org/v1/plot":                    {"chart"},
}

// thirdParty lists the non-heavy third-party imports each package may use;
// packages not listed may use none.
var thirdParty = map[string][]string{
	"corpus":          {"golang.org/x/text", "gopkg.in/yaml.v3"},
	"place":           {"golang.org/x/text", "github.com/mozillazg/go-pinyin"},
	"eval":            {"golang.org/x/text"},
	"config":          {"gopkg.in/yaml.v3"},
	"bot":             {"github.com/gorilla/websocket", "golang.org/x/time/rate"},
	"bot/discordtest": {"github.com/gorilla/websocket"},
	"weaviate":        {"github.com/google/uuid"},
	"index":           {"golang.org/x/sys/cpu", "golang.org/x/sys/unix"}, // AVX2 detection for the int8 scan (accum_amd64.go), write-behind of saves (writeback_linux.go)
}

// benchMayLaunch reports whether dir may import the test package own
// outside tests: the bench (cmd/reportbench) starts real weaviate-server
// processes with internal/weaviatetest's launcher to measure them. That
// package starts real servers; it fakes nothing.
func benchMayLaunch(dir, own string) bool {
	return dir == "cmd/reportbench" && own == "internal/weaviatetest"
}

// TestImportRules enforces the layering: corpus knows nothing of
// embeddings, LLMs or Discord; bot knows no other package of the module
// but the leaf text sanitiser (internal/safetext); only cmd/ wires
// concrete types together; each heavy dependency has one home; no
// non-test code imports a test fake (a package named *test).
func TestImportRules(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		inCmd := strings.HasPrefix(dir, "cmd/")
		allowed, known := layers[dir]
		if !known && !inCmd {
			t.Errorf("%s: package %s is not in the layers table of imports_test.go", path, dir)
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			checked++
			if own, ok := strings.CutPrefix(p, module+"/"); ok {
				if strings.HasSuffix(own, "test") && !strings.HasSuffix(dir, "test") && !benchMayLaunch(dir, own) {
					t.Errorf("%s imports the test fake %s; only tests may", path, p)
				}
				if !inCmd && !slices.Contains(allowed, own) {
					t.Errorf("%s imports %s, which %s/ must not use (layers in imports_test.go)", path, own, dir)
				}
				continue
			}
			if isStdlib(p) {
				continue
			}
			heavyDep := false
			for dep, homes := range heavy {
				if p == strings.TrimSuffix(dep, "/") || strings.HasPrefix(p, dep) {
					heavyDep = true
					if !inCmd && !slices.Contains(homes, dir) {
						t.Errorf("%s imports %s, which only %v may import", path, p, homes)
					}
				}
			}
			if !heavyDep && !inCmd && !hasAnyPrefix(p, thirdParty[dir]) {
				t.Errorf("%s imports %s; %s/ may use only %v besides the standard library", path, p, dir, thirdParty[dir])
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
