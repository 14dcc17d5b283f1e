package indicator

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestData checks the embedded table's quality apart from Parse's own
// checks: every entry has a name and an English name, IDs and forms are
// unique across entries (forms folded as Find compares them), no form is a
// denied generic word, and each form, read alone, names its own entry.
func TestData(t *testing.T) {
	t.Parallel()
	v := Default()
	all := v.All()
	if n := len(all); n < 80 {
		t.Errorf("%d entries, want at least 80", n)
	}
	ids := map[string]bool{}
	owner := map[string]string{}
	deny := map[string]bool{}
	for _, w := range denied {
		deny[foldForm(w)] = true
	}
	for _, in := range all {
		if ids[in.ID] {
			t.Errorf("id %q twice", in.ID)
		}
		ids[in.ID] = true
		if in.Name == "" || len(in.English) == 0 {
			t.Errorf("%s: name %q, English %q: want both", in.ID, in.Name, in.English)
		}
		if got, ok := v.Get(in.ID); !ok || got.Name != in.Name {
			t.Errorf("Get(%q) = %q, %v", in.ID, got.Name, ok)
		}
		for _, e := range in.English {
			if strings.ContainsFunc(e, unicode.IsUpper) {
				t.Errorf("%s: English %q is not lower case", in.ID, e)
			}
		}
		forms := slices.Concat([]string{in.Name}, in.Aliases, in.English)
		for _, f := range forms {
			key := foldForm(f)
			if deny[key] {
				t.Errorf("%s: %q is a denied generic word", in.ID, f)
			}
			if prev, ok := owner[key]; ok {
				t.Errorf("%q belongs to %s and %s", f, prev, in.ID)
			}
			owner[key] = in.ID
			ms := v.Find(f)
			if len(ms) != 1 || ms[0].ID != in.ID || ms[0].Start != 0 || ms[0].End != len(f) {
				t.Errorf("%s: Find(%q) = %+v, want the whole form as %s", in.ID, f, ms, in.ID)
			}
		}
		for a := range maps.Keys(in.AliasImplies) {
			if !slices.Contains(forms, a) {
				t.Errorf("%s: AliasImplies names %q, not a form", in.ID, a)
			}
		}
	}
	if _, ok := v.Get("no_such_indicator"); ok {
		t.Error(`Get("no_such_indicator") found an entry`)
	}
}

// TestDenied checks that the deny-list holds: generic words alone name no
// indicator, in either language.
func TestDenied(t *testing.T) {
	t.Parallel()
	v := Default()
	for _, w := range denied {
		if ms := v.Find(w); len(ms) != 0 {
			t.Errorf("Find(%q) = %+v, want nothing (a denied generic word)", w, ms)
		}
	}
}

// TestNonIndicators checks that each phrase listed as naming no indicator
// contains a form (else listing it is useless) and hides it.
func TestNonIndicators(t *testing.T) {
	t.Parallel()
	phrases := nonIndicatorPhrases(t)
	if len(phrases) == 0 {
		t.Fatal("no non-indicator phrases in the table")
	}
	v := Default()
	bare, err := Parse(withoutNonIndicators(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phrases {
		if ms := v.Find(p); len(ms) != 0 {
			t.Errorf("Find(%q) = %+v, want nothing", p, ms)
		}
		if ms := bare.Find(p); len(ms) == 0 {
			t.Errorf("%q contains no form: listing it as a non-indicator does nothing", p)
		}
	}
}

// nonIndicatorPhrases returns the phrases of the table's "-" rows.
func nonIndicatorPhrases(t *testing.T) []string {
	t.Helper()
	var out []string
	for line := range strings.Lines(string(data)) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(f) == nCols && f[colID] == nonIndicator {
			out = append(out, list(f[colAliases])...)
			out = append(out, list(f[colEnglish])...)
		}
	}
	return out
}

// withoutNonIndicators returns the table without its "-" rows.
func withoutNonIndicators(table []byte) []byte {
	var b strings.Builder
	for line := range strings.Lines(string(table)) {
		if !strings.HasPrefix(line, nonIndicator+"\t") {
			b.WriteString(line)
		}
	}
	return []byte(b.String())
}
