package cedict

import (
	"slices"
	"testing"
	"unicode"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	d := loadSample(t)
	type c = Candidate
	tests := []struct {
		phrase string
		want   []Candidate
	}{
		{"employment", []c{{"就业", "employment", MatchExact}, {"就业率", "employment rate", MatchShort}}},
		{"Employment.", []c{{"就业", "employment", MatchExact}, {"就业率", "employment rate", MatchShort}}},
		// 污水 is part of another headword (生活污水), 脏水 is not.
		{"sewage", []c{{"污水", "sewage", MatchExact}, {"脏水", "sewage", MatchExact}, {"生活污水", "domestic sewage", MatchHead}}},
		// Single characters after longer words.
		{"village", []c{{"村庄", "village", MatchExact}, {"村", "village", MatchExact}}},
		// Parenthetical notes do not count against an exact match.
		{"kindergarten", []c{{"幼儿园", "kindergarten", MatchExact}, {"幼稚园", "kindergarten (Tw)", MatchExact}}},
		{"head", []c{{"首脑", "head (of state)", MatchExact}}},
		{"ton", []c{{"吨", "ton (loanword)", MatchExact}}},
		{"up", []c{{"上", "(bound form) up", MatchExact}}},
		// Phrases match consecutive words.
		{"foreign capital", []c{{"外国资本", "foreign capital", MatchExact}}},
		{"capital foreign", nil},
		{"foreign", []c{{"外资", "foreign investment", MatchShort}, {"外国资本", "foreign capital", MatchShort}}},
		{"science and technology", []c{{"科技", "science and technology", MatchExact}}},
		{"technology", []c{{"技术", "technology", MatchExact}, {"科技", "science and technology", MatchHead}, {"高科技", "high technology", MatchHead}}},
		// Leading "to" and articles are dropped from glosses and phrases.
		{"target", []c{{"目标", "target", MatchExact}, {"针对", "to target", MatchExact}}},
		{"to target", []c{{"目标", "target", MatchExact}, {"针对", "to target", MatchExact}}},
		{"expect", []c{{"预期", "to expect", MatchExact}}},
		{"elderly", []c{{"老年人", "the elderly", MatchExact}}},
		{"a great number", []c{{"万", "a great number", MatchExact}}},
		// Verb glosses are headed by their first word.
		{"earnestly", []c{{"期望", "to earnestly hope", MatchHead}}},
		// The best gloss of a headword is reported.
		{"hope", []c{{"期望", "hope", MatchExact}}},
		// Semicolons separate glosses.
		{"hollow", []c{{"干", "hollow", MatchExact}}},
		{"cram", []c{{"K书", "(Tw) to cram", MatchExact}}},
		// In parentheses, abbreviations and long glosses: MatchWord.
		{"gnaw", []c{{"K书", "to study (from Taiwanese 齧書, Tai-lo pr. [khè su], lit. to gnaw a book)", MatchWord}}},
		{"beijing", []c{{"京", "abbr. for Beijing", MatchWord}}},
		{"trigrams", []c{{"乾", "one of the Eight Trigrams 八卦[ba1 gua4], symbolizing heaven", MatchWord}}},
		// "surname" glosses are skipped, but not the word surname.
		{"surname", []c{{"姓", "surname", MatchExact}}},
		{"wan", nil},
		// Headwords without Han characters are not indexed.
		{"steal", nil},
		{"consumer electronics", nil},
		{"karaoke", []c{{"卡拉OK", "karaoke (loanword)", MatchExact}}},
		// References, classifiers and pinyin are not indexed.
		{"variant", nil},
		{"see", nil},
		{"cl", nil},
		{"ge4", nil},
		{"ji1 you3", nil},
		{"", nil},
		{" ; ", nil},
		{"nonexistent", nil},
	}
	for _, tt := range tests {
		t.Run(tt.phrase, func(t *testing.T) {
			t.Parallel()
			got := d.Lookup(tt.phrase)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Lookup(%q) = %v, want %v", tt.phrase, got, tt.want)
			}
			checkCandidates(t, tt.phrase, got)
		})
	}
}

// checkCandidates checks what holds for every Lookup result: valid Match
// values in order, one candidate per headword, Han in every headword.
func checkCandidates(t *testing.T, phrase string, got []Candidate) {
	t.Helper()
	seen := make(map[string]bool)
	for i, c := range got {
		switch c.Match {
		case MatchExact, MatchHead, MatchShort, MatchWord:
		default:
			t.Errorf("Lookup(%q)[%d].Match = %v, want one of the Match constants", phrase, i, c.Match)
		}
		if i > 0 && c.Match > got[i-1].Match {
			t.Errorf("Lookup(%q)[%d].Match = %v after %v, want descending", phrase, i, c.Match, got[i-1].Match)
		}
		if seen[c.Simplified] {
			t.Errorf("Lookup(%q) has %s twice", phrase, c.Simplified)
		}
		seen[c.Simplified] = true
		if !slices.ContainsFunc([]rune(c.Simplified), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("Lookup(%q)[%d].Simplified = %q, want Han characters", phrase, i, c.Simplified)
		}
		if c.Gloss == "" {
			t.Errorf("Lookup(%q)[%d].Gloss is empty", phrase, i)
		}
	}
}

func FuzzLookup(f *testing.F) {
	d := loadSample(f)
	for _, s := range []string{"employment", "to target", "the elderly", "a", "(", "[ji1]", "ǅ İ", "foreign  capital"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, phrase string) {
		checkCandidates(t, phrase, d.Lookup(phrase))
	})
}
