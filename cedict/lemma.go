package cedict

import "strings"

// Lemmas returns word, lower-cased, followed by the base forms it may be an
// inflection of under general English suffix rules: possessive 's and s',
// plural -s, -es and -ies (→ -y, -ie), past -ed and -ied (→ -y), -ing and
// -ying (→ -ie), and agent nouns in -er/-ers. Where a rule could have
// removed a final e or doubled a consonant, every spelling is given
// ("making" → "mak", "make"; "planned" → "plann", "plan", "planne"), so
// many results are not words and some are the wrong word ("hoping" gives
// "hop" as well as "hope"): callers keep what the dictionary knows, for
// example by looking up each form with [Dict.Lookup] and merging. Short
// words are left alone so as not to strip "bus" or "red". Lemmas returns
// nil for a blank word.
func Lemmas(word string) []string {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" {
		return nil
	}
	out := []string{w}
	add := func(s string) {
		if len(s) >= 2 && !contains(out, s) {
			out = append(out, s)
		}
	}
	w = strings.ReplaceAll(w, "’", "'")
	switch {
	case strings.HasSuffix(w, "'s"):
		w = w[:len(w)-2]
		add(w)
	case strings.HasSuffix(w, "s'"):
		w = w[:len(w)-1]
		add(w)
	}
	for _, b := range suffixBases(w) {
		add(b)
	}
	return out
}

// suffixBases returns the candidate base forms of w, most likely first.
func suffixBases(w string) []string {
	var out []string
	n := len(w)
	switch {
	case n >= 5 && strings.HasSuffix(w, "ies"): // facilities, movies
		out = append(out, w[:n-3]+"y", w[:n-1])
	case n >= 5 && strings.HasSuffix(w, "ers"): // workers, producers, planners
		out = append(out, w[:n-1])
		out = append(out, undo(w[:n-3])...)
	case n >= 4 && strings.HasSuffix(w, "es"): // taxes, classes, goes, houses
		stem := w[:n-2]
		switch {
		case strings.HasSuffix(stem, "ss"), strings.HasSuffix(stem, "x"), strings.HasSuffix(stem, "z"),
			strings.HasSuffix(stem, "ch"), strings.HasSuffix(stem, "sh"), strings.HasSuffix(stem, "o"):
			out = append(out, stem, w[:n-1])
		default:
			out = append(out, w[:n-1], stem)
		}
	case n >= 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"): // villages, targets
		out = append(out, w[:n-1])
	case n >= 5 && strings.HasSuffix(w, "ied"): // carried
		out = append(out, w[:n-3]+"y")
	case n >= 4 && strings.HasSuffix(w, "ed"): // expected, used, planned
		out = append(out, undo(w[:n-2])...)
	case n >= 5 && strings.HasSuffix(w, "ying"): // dying, carrying
		out = append(out, w[:n-3], w[:n-4]+"ie")
	case n >= 5 && strings.HasSuffix(w, "ing"): // building, making, running
		out = append(out, undo(w[:n-3])...)
	case n >= 4 && strings.HasSuffix(w, "er"): // worker, producer
		out = append(out, undo(w[:n-2])...)
	}
	return out
}

// undo returns the bases a stem left by removing -ed, -ing or -er may stand
// for: the stem itself, the stem with a doubled final consonant undoubled,
// and the stem with a final e restored. A stem without a vowel is no stem
// ("bring" is not "br" + "ing").
func undo(stem string) []string {
	n := len(stem)
	if n < 2 || !strings.ContainsAny(stem, "aeiouy") {
		return nil
	}
	var out []string
	if n >= 3 {
		out = append(out, stem) // "used" is not "us" + "ed"
	}
	last := stem[n-1]
	if last == stem[n-2] && !strings.ContainsRune("aeiouslz", rune(last)) {
		out = append(out, stem[:n-1]) // planned, running
	}
	if !strings.ContainsRune("aeiouwy", rune(last)) {
		out = append(out, stem+"e") // used, making, producer
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
