package cedict

import (
	"slices"
	"testing"
)

func TestDefault(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	st := d.Stats()
	// The header of the 2023-08-09 release says entries=121659.
	if st.Entries != 121659 || st.Skipped != 0 {
		t.Errorf("Stats() = %+v, want 121659 entries and none skipped", st)
	}
	if st.Senses < 150000 || st.Words < 40000 {
		t.Errorf("Stats() = %+v, want over 150000 senses and 40000 words", st)
	}
	if d2, _ := Default(); d2 != d {
		t.Errorf("Default() returned %p, then %p: want the same Dict", d, d2)
	}
}

// TestDefaultLookup checks terms from questions about government work
// reports against the real dictionary: what it translates them as, and
// that the everyday word comes first where the ranking should put it
// there.
func TestDefaultLookup(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	tests := []struct {
		phrase string
		want   string  // a candidate
		match  float64 // its Match
		first  bool    // whether it should be the first candidate
	}{
		{"employment", "就业", MatchExact, true},
		{"kindergarten", "幼儿园", MatchExact, true},
		{"sewage", "污水", MatchExact, true},
		{"sewage", "生活污水", MatchHead, false},
		// CC-CEDICT glosses 外资 as "foreign investment", not "foreign capital".
		{"foreign investment", "外资", MatchExact, false},
		{"foreign capital", "外国资本", MatchExact, true},
		// 食堂 is glossed "dining hall"; 饭堂 is the one glossed "canteen".
		{"canteen", "饭堂", MatchExact, false},
		{"dining hall", "食堂", MatchExact, false},
		{"village", "村", MatchExact, false},
		{"village", "村庄", MatchExact, false},
		{"target", "目标", MatchExact, true},
		{"government", "政府", MatchExact, true},
		{"enterprise", "企业", MatchExact, true},
		{"technology", "技术", MatchExact, true},
		{"technology", "科技", MatchHead, false},
		{"elderly", "老年人", MatchExact, false},
		{"district", "区", MatchExact, false},
		{"grow", "增长", MatchExact, false},
		{"expect", "预期", MatchExact, false},
	}
	for _, tt := range tests {
		t.Run(tt.phrase+"/"+tt.want, func(t *testing.T) {
			t.Parallel()
			got := d.Lookup(tt.phrase)
			checkCandidates(t, tt.phrase, got)
			i := slices.IndexFunc(got, func(c Candidate) bool { return c.Simplified == tt.want })
			if i < 0 {
				t.Fatalf("Lookup(%q) = %v, want %s among them", tt.phrase, head(got, 10), tt.want)
			}
			if got[i].Match != tt.match {
				t.Errorf("Lookup(%q): %s has Match %v (gloss %q), want %v", tt.phrase, tt.want, got[i].Match, got[i].Gloss, tt.match)
			}
			if tt.first && i != 0 {
				t.Errorf("Lookup(%q) = %v, want %s first", tt.phrase, head(got, 5), tt.want)
			}
		})
	}
}

// head returns the first n candidates of c.
func head(c []Candidate, n int) []Candidate { return c[:min(n, len(c))] }

func BenchmarkParseEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := parseEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, phrase := range []string{"employment", "village", "government", "foreign capital", "head", "to"} {
		b.Run(phrase, func(b *testing.B) {
			for b.Loop() {
				d.Lookup(phrase)
			}
		})
	}
}
