package corpus

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// goldenPassage is one line of a golden passage list: the passage without
// its full text.
type goldenPassage struct {
	ID          string   `json:"id"`
	Paragraph   int      `json:"paragraph"`
	Part        int      `json:"part"`
	Parts       int      `json:"parts"`
	HeadingPath []string `json:"heading_path"`
	Period      Period   `json:"period"`
	Start       int      `json:"start"`
	End         int      `json:"end"`
	Text        string   `json:"text"` // first 30 runes
}

func TestGoldenPassages(t *testing.T) {
	t.Parallel()
	tests := []struct{ id, golden string }{
		{"wuqing-2018-government-work-report", "wuqing-2018.passages.golden.jsonl"},
		{"wuqing-later-report-fragment", "wuqing-fragment.passages.golden.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			r := loadSeed(t, tt.id)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for _, p := range Split(r, SplitOptions{}) {
				text := []rune(p.Text)
				if len(text) > 30 {
					text = text[:30]
				}
				g := goldenPassage{p.ID, p.Paragraph, p.Part, p.Parts, p.HeadingPath, p.Period, p.Start, p.End, string(text)}
				if err := enc.Encode(g); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./corpus -update to create it)", err)
			}
			if got := buf.Bytes(); !bytes.Equal(got, want) {
				gotLines, wantLines := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := 0; i < min(len(gotLines), len(wantLines)); i++ {
					if !bytes.Equal(gotLines[i], wantLines[i]) {
						t.Fatalf("passages differ from %s at line %d:\ngot  %s\nwant %s\n(run go test ./corpus -update if the change is intended)", path, i+1, gotLines[i], wantLines[i])
					}
				}
				t.Fatalf("passages differ from %s: %d lines, want %d (run go test ./corpus -update if intended)", path, len(gotLines), len(wantLines))
			}
		})
	}
}
