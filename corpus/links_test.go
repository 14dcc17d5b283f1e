package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLoadDirLinkPolicy: by default a link to a report inside the corpus
// directory is read, while links that lead outside (to /etc/passwd, to a
// file in another directory, up with ../) are skipped, named with their
// target and never read; a link to a directory is not followed. With
// LinksOutside the reports outside are read too, as evaluation corpora
// made of links need. The corpus directory itself may be a link (issue 15,
// item 5).
func TestLoadDirLinkPolicy(t *testing.T) {
	t.Parallel()
	dir, outside := t.TempDir(), t.TempDir()
	seed := readSeed(t, seed2018)
	if err := os.Mkdir(filepath.Join(dir, ".store"), 0o755); err != nil {
		t.Fatal(err)
	}
	for p, end := range map[string]string{
		filepath.Join(dir, ".store", "r.txt"): "甲。",
		filepath.Join(outside, "o.txt"):       "乙。",
		filepath.Join(outside, "o.jsonl"):     "",
	} {
		text := seed + "\n本报告到此结束" + end + "\n"
		if strings.HasSuffix(p, ".jsonl") {
			text = `{"title":"丙市2020年政府工作报告","content":"全年新增就业5万人。各项工作顺利完成，人民生活持续改善。"}` + "\n"
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for target, name := range map[string]string{
		".store/r.txt":                            "inside.txt",
		filepath.Join(dir, ".store/r.txt"):        "z-abs.txt",
		"/etc/passwd":                             "passwd.txt",
		filepath.Join(outside, "o.txt"):           "outside.txt",
		filepath.Join(outside, "o.jsonl"):         "outside.jsonl",
		"../" + filepath.Base(outside) + "/o.txt": "updir.txt",
		filepath.Join(dir, ".store"):              "dirlink.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	rootLink := filepath.Join(t.TempDir(), "corpus")
	if err := os.Symlink(dir, rootLink); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		dir      string
		links    Links
		sources  []string // of the reports
		problems map[string]error
	}{
		{"inside", dir, "", []string{"inside.txt"}, map[string]error{
			"z-abs.txt": ErrDuplicate, "passwd.txt": ErrSymlink, "outside.txt": ErrSymlink, "outside.jsonl": ErrSymlink,
			"updir.txt": ErrSymlink, "dirlink.txt": ErrNotRegular}},
		{"root is a link", rootLink, LinksInside, []string{"inside.txt"}, map[string]error{
			"passwd.txt": ErrSymlink, "outside.txt": ErrSymlink, "dirlink.txt": ErrNotRegular}},
		{"outside", dir, LinksOutside, []string{"inside.txt", "outside.jsonl:1", "outside.txt"}, map[string]error{
			"passwd.txt": ErrNoText, "updir.txt": ErrDuplicate, "dirlink.txt": ErrNotRegular}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reports, problems, err := LoadDir(t.Context(), tt.dir, LoadOptions{Links: tt.links})
			if err != nil {
				t.Fatal(err)
			}
			var sources []string
			for _, r := range reports {
				sources = append(sources, r.Source)
				if strings.Contains(r.Text, "root:") {
					t.Errorf("%s: /etc/passwd was read", r.Source)
				}
			}
			slices.Sort(sources)
			if !slices.Equal(sources, tt.sources) {
				t.Errorf("reports from %q, want %q (problems %v)", sources, tt.sources, problems)
			}
			got := map[string]error{}
			for _, p := range problems {
				got[p.Source] = p.Err
			}
			for src, want := range tt.problems {
				if !errors.Is(got[src], want) {
					t.Errorf("problem of %s = %v, want %v", src, got[src], want)
				}
			}
			if err := got["passwd.txt"]; tt.links != LinksOutside && !strings.Contains(err.Error(), "/etc/passwd") {
				t.Errorf("problem of passwd.txt = %v, want it to name the target", err)
			}
		})
	}
}

// TestLoadContextLinks: through an fs.FS, where a link's destination
// cannot be checked, links are followed only under LinksOutside.
func TestLoadContextLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.txt")); err != nil {
		t.Fatal(err)
	}
	_, problems, err := LoadContext(t.Context(), os.DirFS(dir), ".", LoadOptions{})
	if err != nil || len(problems) != 1 || !errors.Is(problems[0].Err, ErrSymlink) {
		t.Errorf("LoadContext() = %v, %v; want the link as an ErrSymlink problem", problems, err)
	}
	_, problems, err = LoadContext(t.Context(), os.DirFS(dir), ".", LoadOptions{Links: LinksOutside})
	if err != nil || len(problems) != 1 || errors.Is(problems[0].Err, ErrSymlink) {
		t.Errorf("LoadContext(LinksOutside) = %v, %v; want the link read (and found no report)", problems, err)
	}
}
