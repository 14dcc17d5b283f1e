package cedict

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTmpFuzzCorpus(t *testing.T) {
	files, _ := filepath.Glob("/root/.cache/go-build/fuzz/github.com/reportbot/reportbot/rag/cedict/FuzzParse/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		lines := strings.SplitN(string(b), "\n", 2)
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(lines[1]), "[]byte("), ")"))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		d, _ := Parse(bytes.NewReader([]byte(s)))
		el := time.Since(start)
		fmt.Println(filepath.Base(f)[:8], len(s), el, d.Stats())
	}
}

func BenchmarkTmpSampleParse(b *testing.B) {
	data, _ := os.ReadFile("testdata/sample.u8")
	for b.Loop() {
		Parse(bytes.NewReader(data))
	}
}

func BenchmarkTmpBigHint(b *testing.B) {
	for b.Loop() {
		Parse(strings.NewReader("#! entries=99999999\n"))
	}
}
