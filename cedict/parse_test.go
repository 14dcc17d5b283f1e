package cedict

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// loadSample parses testdata/sample.u8.
func loadSample(t testing.TB) *Dict {
	t.Helper()
	f, err := os.Open("testdata/sample.u8")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(testdata/sample.u8): %v", err)
	}
	return d
}

func TestParseSample(t *testing.T) {
	t.Parallel()
	d := loadSample(t)
	got := d.Stats()
	// 49 entries (header "#! entries=49"), 6 malformed lines. Senses and
	// words come from the entries with a Han headword and a gloss worth
	// indexing.
	want := Stats{Entries: 49, Skipped: 6, Senses: 107, Words: 165}
	if got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	long := "長 长 [chang2] /" + strings.Repeat("very ", 30000) + "long/\n"
	tests := []struct {
		name  string
		input string
		want  Stats
	}{
		{"empty", "", Stats{}},
		{"comments only", "# CC-CEDICT\n#! entries=3\n\n", Stats{}},
		{"one entry", "污水 污水 [wu1 shui3] /sewage/\n", Stats{Entries: 1, Senses: 1, Words: 1}},
		{"no final newline", "污水 污水 [wu1 shui3] /sewage/", Stats{Entries: 1, Senses: 1, Words: 1}},
		{"CRLF", "污水 污水 [wu1 shui3] /sewage/\r\n村 村 [cun1] /village/\r\n", Stats{Entries: 2, Senses: 2, Words: 2}},
		{"byte order mark", "\uFEFF污水 污水 [wu1 shui3] /sewage/\n", Stats{Entries: 1, Senses: 1, Words: 1}},
		{"semicolons", "高科技 高科技 [gao1 ke1 ji4] /high tech; high technology/\n", Stats{Entries: 1, Senses: 2, Words: 3}},
		{"parenthesised semicolon", "乙 乙 [yi3] /b (a; b; c)/\n", Stats{Entries: 1, Senses: 1, Words: 3}},
		{"no Han headword", "3C 3C [san1 C] /abbr. for computers/\nA A [A] /(slang) to steal/\n", Stats{Entries: 2}},
		{"references only", "伕 伕 [fu1] /variant of 夫[fu1]/\n萬 万 [Wan4] /surname Wan/\nG友 G友 [G you3] /see 基友[ji1 you3]/\n", Stats{Entries: 3}},
		{"classifier and pronunciation", "噸 吨 [dun1] /ton (loanword)/Taiwan pr. [dun4]/CL:個|个[ge4]/\n", Stats{Entries: 1, Senses: 1, Words: 2}},
		{"line longer than the read buffer", long, Stats{Entries: 1, Senses: 1, Words: 2}},
		{"no pinyin", "污水 污水 /sewage/\n", Stats{Skipped: 1}},
		{"unclosed pinyin", "污水 污水 [wu1 shui3 /sewage/\n", Stats{Skipped: 1}},
		{"no glosses", "污水 污水 [wu1 shui3]\n", Stats{Skipped: 1}},
		{"empty glosses", "污水 污水 [wu1 shui3] ///\n", Stats{Skipped: 1}},
		{"no closing slash", "污水 污水 [wu1 shui3] /sewage\n", Stats{Skipped: 1}},
		{"headword only", "污水\n", Stats{Skipped: 1}},
		{"invalid UTF-8", "\xe6\xb1 \xe6\xb1 [wu1] /sewage/\n", Stats{Skipped: 1}},
		{"bad line among good", "村 村 [cun1] /village/\nrubbish\n污水 污水 [wu1 shui3] /sewage/\n", Stats{Entries: 2, Skipped: 1, Senses: 2, Words: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Parse(strings.NewReader(tt.input))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := d.Stats(); got != tt.want {
				t.Errorf("Stats() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// errReader fails after returning its data.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestParseReadError(t *testing.T) {
	t.Parallel()
	wantErr := os.ErrDeadlineExceeded
	_, err := Parse(&errReader{data: []byte("村 村 [cun1] /village/\n"), err: wantErr})
	if !errors.Is(err, wantErr) {
		t.Errorf("Parse(failing reader) error = %v, want one wrapping %v", err, wantErr)
	}
}

func FuzzParse(f *testing.F) {
	sample, err := os.ReadFile("testdata/sample.u8")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	for _, s := range []string{
		"", "\n", "#! entries=99999999\n", "#! entries=-1\n", "\uFEFF",
		"a b [c] /d/", "a b [c] /(((d/", "a b [c] /)))d]]]/", "a b [c] /[[[d/",
		"村 村 [cun1] /to a the/;;;/ ; /", "村 村 [cun1] /lit. fig. abbr. for/",
		"村 村 [cun1] /abbr./variant of/classifier for/", "村 村 [cun1] /ÀÉÎ İstanbul ǅ/",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		st := d.Stats()
		if lines := bytes.Count(data, []byte("\n")) + 1; st.Entries+st.Skipped > lines {
			t.Errorf("Stats() = %+v for %d lines", st, lines)
		}
		// Some words of the input (not all: that would be quadratic).
		fields := strings.Fields(string(data))
		for _, phrase := range append(fields[:min(len(fields), 20)], "the", "a b", "d") {
			checkCandidates(t, phrase, d.Lookup(phrase))
		}
	})
}

// TestParseTooBig is not parallel: it lowers maxText, which every Parse
// reads.
func TestParseTooBig(t *testing.T) {
	// Not parallel: it changes the package-level maxText.
	defer func(n int) { maxText = n }(maxText)
	maxText = 1000
	input := strings.Repeat("村 村 [cun1] /village/\n", 100)
	if _, err := Parse(strings.NewReader(input)); !errors.Is(err, errTooBig) {
		t.Errorf("Parse(%d bytes) with a %d-byte limit: error = %v, want %v", len(input), maxText, err, errTooBig)
	}
}
