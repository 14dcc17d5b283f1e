package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var markerRE = regexp.MustCompile(`\[\d{1,4}\]`)

// checkSplit fails t if chunks are not a faithful split of s under limit:
// each chunk fits, no non-space text is lost, added or reordered (except
// the backticks that close and reopen a cut code block), every citation
// marker survives whole, and, when the fences of s are ordinary short
// lines, every chunk has balanced fences.
func checkSplit(t *testing.T, s string, limit int, chunks []string) {
	t.Helper()
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c); n > max(limit, 32) {
			t.Errorf("chunk %d has %d runes, limit %d", i, n, limit)
		}
		if strings.TrimSpace(c) == "" {
			t.Errorf("chunk %d is blank", i)
		}
	}
	strip := func(x string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '`' {
				return -1
			}
			return r
		}, x)
	}
	joined := strings.Join(chunks, "\n")
	if got, want := strip(joined), strip(strings.ToValidUTF8(s, "\uFFFD")); got != want {
		t.Errorf("text changed:\n got %q\nwant %q", got, want)
	}
	if got, want := len(markerRE.FindAllString(joined, -1)), len(markerRE.FindAllString(s, -1)); got != want {
		t.Errorf("citation markers: got %d, want %d (one was cut)", got, want)
	}
	if shortFences(s) {
		for i, c := range chunks {
			if n := fenceLines(c); n%2 != 0 {
				t.Errorf("chunk %d has %d fence lines (unbalanced):\n%s", i, n, c)
			}
		}
	}
}

// fenceLines counts the lines that open or close a code fence.
func fenceLines(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(l, unicode.IsSpace), "```") {
			n++
		}
	}
	return n
}

// shortFences reports whether s has an even number of fence lines, each
// short, so that the splitter can always keep fences balanced.
func shortFences(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(l, unicode.IsSpace), "```") && utf8.RuneCountInString(l) > 16 {
			return false
		}
	}
	return fenceLines(s)%2 == 0
}

func TestSplitText(t *testing.T) {
	t.Parallel()
	zh := strings.Repeat("完善就业创业服务体系,建成蓝领实训中心,加强技能培训和创业指导服务,新增就业3.4万人。", 40)
	en := strings.Repeat("Wuqing planned to add 34,000 urban jobs in 2018 [1]. ", 60)
	code := "Intro line.\n\n```go\n" + strings.Repeat("fmt.Println(\"hello, world\")\n", 120) + "```\nAfter the code."
	tests := []struct {
		name      string
		in        string
		limit     int
		wantParts int // 0: do not check
		check     func(t *testing.T, chunks []string)
	}{
		{name: "short stays whole", in: "新增就业3.4万人。 [1]", limit: 1900, wantParts: 1},
		{name: "empty", in: "  \n ", limit: 1900, wantParts: 0},
		{name: "chinese cuts after punctuation", in: zh, limit: 500, check: func(t *testing.T, chunks []string) {
			for i, c := range chunks[:len(chunks)-1] {
				if last, _ := utf8.DecodeLastRuneInString(c); !strings.ContainsRune("。,，", last) {
					t.Errorf("chunk %d ends with %q, not at punctuation", i, last)
				}
			}
		}},
		{name: "english keeps words and markers", in: en, limit: 300, check: func(t *testing.T, chunks []string) {
			for i, c := range chunks {
				if !strings.HasPrefix(c, "Wuqing") || !strings.HasSuffix(c, "[1].") {
					t.Errorf("chunk %d cut mid-sentence: %q", i, c)
				}
			}
		}},
		{name: "paragraphs preferred", in: strings.Repeat("a", 150) + "\n\n" + strings.Repeat("b ", 100), limit: 200, check: func(t *testing.T, chunks []string) {
			if chunks[0] != strings.Repeat("a", 150) {
				t.Errorf("first chunk %q, want the first paragraph", chunks[0])
			}
		}},
		{name: "code fence closed and reopened", in: code, limit: 600, check: func(t *testing.T, chunks []string) {
			if len(chunks) < 3 {
				t.Fatalf("got %d chunks, want several", len(chunks))
			}
			for i, c := range chunks[1 : len(chunks)-1] {
				if !strings.HasPrefix(c, "```\n") || !strings.HasSuffix(c, "\n```") {
					t.Errorf("middle chunk %d is not a closed code block: %.40q…", i+1, c)
				}
			}
		}},
		{name: "marker never separated", in: strings.Repeat("x", 95) + " [12] tail", limit: 100, check: func(t *testing.T, chunks []string) {
			if !strings.HasSuffix(chunks[0], "[12]") && !strings.HasPrefix(chunks[len(chunks)-1], "tail") {
				t.Errorf("chunks %q", chunks)
			}
		}},
		{name: "one huge word is cut hard", in: strings.Repeat("w", 250), limit: 100, wantParts: 3},
		{name: "a run of markers is cut between markers", in: strings.Repeat("[7]", 20) + "[12]", limit: 32},
		{name: "four backticks mid-line where no cut is left", in: "0" + strings.Repeat(" ", 31) + "````", limit: 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := splitText(tt.in, tt.limit)
			checkSplit(t, tt.in, tt.limit, got)
			if tt.wantParts != 0 && len(got) != tt.wantParts {
				t.Errorf("got %d chunks, want %d: %q", len(got), tt.wantParts, got)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("新增就业3.4万人。 [1]\n\n```\ncode\n```\n", 40)
	f.Add(strings.Repeat("word [1] ", 30), 50)
	f.Add("```go\n"+strings.Repeat("x := 1\n", 40)+"```", 64)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 0 || limit > 5000 || len(s) > 20000 {
			return
		}
		checkSplit(t, s, limit, splitText(s, limit))
	})
}
