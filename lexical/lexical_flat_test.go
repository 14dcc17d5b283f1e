package lexical

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// flatBytes encodes l in the flat layout.
func flatBytes(t testing.TB, l *Index) []byte {
	t.Helper()
	var w bytes.Buffer
	if err := l.EncodeFlat(&w); err != nil {
		t.Fatal(err)
	}
	return w.Bytes()
}

// TestFlatRoundTrip: an index read in place from the flat layout holds
// what was written, searches alike, and writes the same bytes again;
// so does one read from bytes that are not aligned (a copy).
func TestFlatRoundTrip(t *testing.T) {
	t.Parallel()
	var bundledDocs []string
	for _, r := range bundled(t) {
		bundledDocs = append(bundledDocs, r.Text)
	}
	tests := []struct {
		name string
		docs []string
	}{
		{"empty", nil},
		{"one", []string{"新增就业3.4万人"}},
		{"mixed", []string{"新增就业3.4万人", "GDP growth of 5.5%", "", "村村通公路,建成蓝领实训中心"}},
		{"bundled", bundledDocs},
	}
	queries := [][]WeightedTerm{
		{{Term: "就业", Weight: 1}, {Term: "新增", Weight: 0.5}},
		{{Term: "gdp", Weight: 1}, {Term: "growth", Weight: 1}},
		{{Term: "not a term", Weight: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newIndex(tt.docs)
			data := flatBytes(t, l)
			unaligned := append(make([]byte, 1, len(data)+1), data...)[1:]
			for name, b := range map[string][]byte{"aligned": data, "unaligned": unaligned} {
				got, err := DecodeFlat(b, nil, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !equalIndex(got, l) || got.avgLen != l.avgLen || !slices.Equal(got.norm, l.norm) {
					t.Errorf("%s: read back a different index", name)
				}
				for _, q := range queries {
					if g, w := got.Search(q, 10), l.Search(q, 10); !slices.Equal(g, w) {
						t.Errorf("%s: search %v: got %v, want %v", name, q, g, w)
					}
					for _, term := range q {
						if got.IDF(term.Term) != l.IDF(term.Term) || got.DocFreq(term.Term) != l.DocFreq(term.Term) {
							t.Errorf("%s: IDF or DocFreq of %q differ", name, term.Term)
						}
					}
				}
				if again := flatBytes(t, got); !bytes.Equal(again, data) {
					t.Errorf("%s: written again, %d bytes differ from the %d read", name, len(again), len(data))
				}
				var old bytes.Buffer
				if err := got.Encode(&old); err != nil {
					t.Fatal(err)
				}
				if back, err := Decode(&old, int64(old.Len())); err != nil || !equalIndex(back, l) {
					t.Errorf("%s: the varint layout of an index read in place: %v", name, err)
				}
				if got.Err() != nil {
					t.Errorf("%s: Err = %v", name, got.Err())
				}
			}
			for _, cut := range []int{len(data) - 1, flatHeader - 1, 3} {
				if cut >= 0 && cut < len(data) {
					if _, err := DecodeFlat(data[:cut], nil, nil); err == nil {
						t.Errorf("cut to %d bytes: read without error", cut)
					}
				}
			}
		})
	}
}

// TestFlatLazyCheck: DecodeFlat verifies the header and the document
// lengths; a search verifies what it reads, and a failed check makes it
// find nothing for that term and Err say why.
func TestFlatLazyCheck(t *testing.T) {
	t.Parallel()
	docs := []string{"新增就业3.4万人", "城镇新增就业", "GDP growth of 5.5%"}
	data := flatBytes(t, newIndex(docs))
	errBad := errors.New("block does not match")
	var checked [][2]int64
	bad := int64(-1)
	check := func(lo, hi int64) error {
		checked = append(checked, [2]int64{lo, hi})
		if bad >= lo && bad < hi {
			return errBad
		}
		return nil
	}
	l, err := DecodeFlat(data, check, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checked {
		if c[1] > l.flat.offEnds && c[0] < l.flat.offStart+8*int64(len(l.ends)) {
			t.Errorf("DecodeFlat checked bytes %d to %d, inside the term table", c[0], c[1])
		}
	}
	q := []WeightedTerm{{Term: "就业", Weight: 1}}
	if hits := l.Search(q, 10); len(hits) != 2 || l.Err() != nil {
		t.Fatalf("search: %v, %v; want 2 hits", hits, l.Err())
	}
	lo, _ := l.span(mustTerm(t, l, "就业"), false)
	bad = l.flat.offPost + 4*int64(lo)
	l2, err := DecodeFlat(data, check, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := l2.DocFreq("就业"); n != 2 {
		t.Errorf("DocFreq reads no postings, got %d", n)
	}
	if hits := l2.Search(q, 10); len(hits) != 0 || !errors.Is(l2.Err(), errBad) {
		t.Errorf("search over a bad block: %v, Err %v; want no hits and the check's error", hits, l2.Err())
	}
	if err := l2.EncodeFlat(&bytes.Buffer{}); !errors.Is(err, errBad) {
		t.Errorf("EncodeFlat of a damaged index: %v", err)
	}
}

func mustTerm(t *testing.T, l *Index, term string) int {
	t.Helper()
	n, ok := l.termNumber(term)
	if !ok {
		t.Fatalf("no term %q", term)
	}
	return n
}

// FuzzDecodeFlat: no input makes DecodeFlat, or searches of what it
// decodes, panic or claim more documents than its bytes can hold.
func FuzzDecodeFlat(f *testing.F) {
	f.Add(flatBytes(f, newIndex([]string{"新增就业3.4万人", "GDP growth"})))
	f.Add(flatBytes(f, newIndex(nil)))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := DecodeFlat(data, nil, nil)
		if err != nil {
			return
		}
		if l.Len() > len(data) {
			t.Fatalf("%d documents from %d bytes", l.Len(), len(data))
		}
		l.Search([]WeightedTerm{{Term: "就业", Weight: 1}, {Term: "gdp", Weight: 1}, {Term: "", Weight: 1}}, 5)
		l.IDF("增就")
	})
}
