package cedict

import (
	"slices"
	"testing"
)

func TestLemmas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word string
		want []string // the start of the result: the word, then bases
		also []string // further bases somewhere in the result
	}{
		{"", nil, nil},
		{"  ", nil, nil},
		{"Employment", []string{"employment"}, nil},
		{"villages", []string{"villages", "village"}, nil},
		{"kindergartens", []string{"kindergartens", "kindergarten"}, nil},
		{"facilities", []string{"facilities", "facility"}, nil},
		{"movies", []string{"movies"}, []string{"movie"}},
		{"taxes", []string{"taxes", "tax"}, nil},
		{"classes", []string{"classes", "class"}, nil},
		{"houses", []string{"houses", "house"}, nil},
		{"goes", []string{"goes", "go"}, nil},
		{"expected", []string{"expected", "expect"}, nil},
		{"planned", []string{"planned"}, []string{"plan"}},
		{"used", []string{"used", "use"}, nil},
		{"carried", []string{"carried", "carry"}, nil},
		{"building", []string{"building", "build"}, nil},
		{"making", []string{"making"}, []string{"make"}},
		{"running", []string{"running"}, []string{"run"}},
		{"carrying", []string{"carrying", "carry"}, nil},
		{"dying", []string{"dying"}, []string{"die"}},
		{"workers", []string{"workers", "worker", "work"}, nil},
		{"producers", []string{"producers", "producer"}, []string{"produce"}},
		{"Wuqing's", []string{"wuqing's", "wuqing"}, nil},
		{"Wuqing’s", []string{"wuqing’s", "wuqing"}, nil},
		{"teachers'", []string{"teachers'", "teachers", "teacher"}, nil},
		// Left alone: too short, or no vowel left in the stem.
		{"bus", []string{"bus"}, nil},
		{"red", []string{"red"}, nil},
		{"bring", []string{"bring"}, nil},
		{"class", []string{"class"}, nil},
		{"status", []string{"status"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			t.Parallel()
			got := Lemmas(tt.word)
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("Lemmas(%q) = %q, want it to start with %q", tt.word, got, tt.want)
			}
			for _, w := range tt.also {
				if !slices.Contains(got, w) {
					t.Errorf("Lemmas(%q) = %q, want %q among them", tt.word, got, w)
				}
			}
			if tt.want == nil && got != nil {
				t.Errorf("Lemmas(%q) = %q, want nil", tt.word, got)
			}
			if len(tt.want) == 1 && tt.also == nil && len(got) != 1 {
				t.Errorf("Lemmas(%q) = %q, want just %q", tt.word, got, tt.want)
			}
			seen := make(map[string]bool)
			for _, w := range got {
				if seen[w] {
					t.Errorf("Lemmas(%q) = %q, has %q twice", tt.word, got, w)
				}
				seen[w] = true
			}
		})
	}
}

func TestLemmasFindBaseForms(t *testing.T) {
	t.Parallel()
	d := loadSample(t)
	tests := []struct {
		word string
		want string // the headword the first form with a match finds
	}{
		{"villages", "村庄"},
		{"kindergartens", "幼儿园"},
		{"expected", "预期"},
		{"targets", "目标"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			t.Parallel()
			var got string
			for _, w := range Lemmas(tt.word) {
				if c := d.Lookup(w); c != nil {
					got = c[0].Simplified
					break
				}
			}
			if got != tt.want {
				t.Errorf("first match for the lemmas of %q = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}
