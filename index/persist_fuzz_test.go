package index

import (
	"bytes"
	"testing"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/lexical"
)

// FuzzReadSections feeds arbitrary bytes to the passage and lexical section
// readers of the index file, and to the reader of a whole format 3 file
// (section table, checksums, sections): a damaged file must give an error,
// never a panic or a huge allocation.
func FuzzReadSections(f *testing.F) {
	var ps, lex []byte
	passages := []Passage{{Passage: corpus.Passage{ID: "a", ReportID: "r", Paragraph: 1, Part: 1, Parts: 1,
		HeadingPath: []string{"一、2018年主要任务"}, Period: corpus.Period{Year: 2018, Kind: corpus.PeriodTarget}, Text: "新增就业3.4万人"}, EmbedKey: "k"}}
	if err := writePassages(&sliceWriter{&ps}, passages); err != nil {
		f.Fatal(err)
	}
	if err := lexical.NewFunc(2, func(i int) string { return []string{"新增就业3.4万人", "GDP"}[i] }).Encode(&sliceWriter{&lex}); err != nil {
		f.Fatal(err)
	}
	ix := testIndex(f)
	var file []byte
	if err := writeIndex(&sliceWriter{&file}, ix.manifest(), ix.passages[:3], buildVecIndex(ix.dim, 3, ix.vec, func(i int) (int, []float32) { return i, nil }),
		lexical.NewFunc(3, func(i int) string { return ix.passages[i].Text }), map[string][]int32{"gdp": {0, 2}}); err != nil {
		f.Fatal(err)
	}
	f.Add(ps)
	var flat []byte
	if err := writePassagesFlat(&sliceWriter{&flat}, passages); err != nil {
		f.Fatal(err)
	}
	f.Add(flat)
	f.Add(lex)
	f.Add(file)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, err := readPassages(bytes.NewReader(data), int64(len(data))); err == nil && len(got) > len(data) {
			t.Errorf("%d passages from %d bytes", len(got), len(data))
		}
		if s, err := openPassages(inPlace{name: secPassages, data: data}); err == nil {
			if s.n > len(data) {
				t.Errorf("%d passages from %d bytes", s.n, len(data))
			}
			for i := range min(s.n, 3) {
				_, _ = s.at(i)
			}
			_, _ = s.all()
		}
		for _, mapped := range []*mapping{nil, {data: data}} {
			ix, err := readSections(bytes.NewReader(data), int64(len(data)), FormatVersion, nil, mapped)
			if err != nil {
				continue
			}
			if ix.Len() > len(data) {
				t.Errorf("%d passages from %d bytes", ix.Len(), len(data))
			}
			q := make([]float32, ix.dim)
			q[0] = 1
			_, _ = ix.vec.search(q, 3, nil) // checks (mapped) or reads whatever it holds
			for i := range min(ix.Len(), 3) {
				_, _ = ix.passageAt(i)
			}
			ix.lex.Search([]lexical.WeightedTerm{{Term: "就业", Weight: 1}}, 3)
		}
		if l, err := lexical.Decode(bytes.NewReader(data), int64(len(data))); err == nil && l.Len() > len(data) {
			t.Errorf("%d documents from %d bytes", l.Len(), len(data))
		}
	})
}
