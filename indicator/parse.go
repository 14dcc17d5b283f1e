package indicator

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// The table's columns, tab-separated; "-" is an empty cell; lists are
// separated by "|"; a form may end in "=measure" (经济增长=growth).
const (
	colID = iota
	colName
	colAliases
	colEnglish
	colUnit
	colImplies
	nCols
)

// nonIndicator is the ID column of a row of non-indicators: phrases that
// contain a form but name no indicator (中国国际进口博览会).
const nonIndicator = "-"

// Parse reads a vocabulary table (the format of data/indicators.tsv:
// comment lines starting with "#", then one tab-separated row per entry).
// It checks every rule of the package's ambiguity review (see the package
// comment): an error names the line and the rule broken.
func Parse(data []byte) (*Vocabulary, error) {
	b := newBuilder()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := b.row(strings.Split(text, "\t")); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(b.v.list) == 0 {
		return nil, fmt.Errorf("no entries")
	}
	return b.v, nil
}

// builder fills a Vocabulary row by row, checking each form once.
type builder struct {
	v      *Vocabulary
	owner  map[string]string // folded form → owning ID (or nonIndicator row's first form)
	denied map[string]bool   // folded denied forms
}

func newBuilder() *builder {
	b := &builder{v: newVocabulary(), owner: map[string]string{}, denied: map[string]bool{}}
	for _, w := range denied {
		b.denied[foldForm(w)] = true
	}
	return b
}

// cell returns a cell's text, "" for "-".
func cell(s string) string {
	s = strings.TrimSpace(s)
	if s == "-" {
		return ""
	}
	return s
}

// list splits a list cell.
func list(s string) []string {
	s = cell(s)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func (b *builder) row(f []string) error {
	if len(f) != nCols {
		return fmt.Errorf("%d columns, want %d (id, name, aliases, english, unit, implies)", len(f), nCols)
	}
	id := strings.TrimSpace(f[colID])
	if id == nonIndicator {
		return b.nonIndicators(f)
	}
	if !validID(id) {
		return fmt.Errorf("id %q: want lower-case ASCII letters, digits and _", id)
	}
	if _, dup := b.v.byID[id]; dup {
		return fmt.Errorf("id %q: used twice", id)
	}
	in := Indicator{ID: id, Name: cell(f[colName]), Unit: cell(f[colUnit]), Implies: cell(f[colImplies])}
	if in.Implies != "" && in.Implies != Growth {
		return fmt.Errorf("%s: implies %q: want %q or -", id, in.Implies, Growth)
	}
	if in.Unit != "" && !units[in.Unit] {
		return fmt.Errorf("%s: unit %q is not a unit class", id, in.Unit)
	}
	if err := b.chinese(id, in.Name, false); err != nil {
		return fmt.Errorf("%s: name: %w", id, err)
	}
	idx := len(b.v.list)
	b.v.addZH(in.Name, idx, in.Implies)
	for _, a := range list(f[colAliases]) {
		form, measure, err := splitMeasure(a)
		if err != nil {
			return fmt.Errorf("%s: alias %q: %w", id, a, err)
		}
		if err := b.chinese(id, form, false); err != nil {
			return fmt.Errorf("%s: alias: %w", id, err)
		}
		in.Aliases = append(in.Aliases, form)
		in.setImplies(form, measure)
		b.v.addZH(form, idx, measure)
	}
	for _, e := range list(f[colEnglish]) {
		form, measure, err := splitMeasure(e)
		if err != nil {
			return fmt.Errorf("%s: english %q: %w", id, e, err)
		}
		if err := b.english(id, form, false); err != nil {
			return fmt.Errorf("%s: english: %w", id, err)
		}
		in.English = append(in.English, form)
		in.setImplies(form, measure)
		b.v.addEN(form, idx, measure)
	}
	if len(in.English) == 0 {
		return fmt.Errorf("%s: no English name", id)
	}
	b.v.byID[id] = idx
	b.v.list = append(b.v.list, in)
	return nil
}

func (in *Indicator) setImplies(form, measure string) {
	if measure == "" {
		return
	}
	if in.AliasImplies == nil {
		in.AliasImplies = map[string]string{}
	}
	in.AliasImplies[form] = measure
}

// nonIndicators reads a row of phrases that name no indicator.
func (b *builder) nonIndicators(f []string) error {
	if cell(f[colName]) != "" || cell(f[colUnit]) != "" || cell(f[colImplies]) != "" {
		return fmt.Errorf("non-indicator row: only the aliases and english columns may be filled")
	}
	zh, en := list(f[colAliases]), list(f[colEnglish])
	if len(zh)+len(en) == 0 {
		return fmt.Errorf("non-indicator row: no phrase")
	}
	for _, p := range zh {
		if err := b.chinese(nonIndicator, p, true); err != nil {
			return fmt.Errorf("non-indicator: %w", err)
		}
		b.v.addZH(p, -1, "")
	}
	for _, p := range en {
		if err := b.english(nonIndicator, p, true); err != nil {
			return fmt.Errorf("non-indicator: %w", err)
		}
		b.v.addEN(p, -1, "")
	}
	return nil
}

// splitMeasure splits "经济增长=growth" into the form and its measure.
func splitMeasure(s string) (form, measure string, err error) {
	form, measure, found := strings.Cut(s, "=")
	if !found {
		return s, "", nil
	}
	form = strings.TrimSpace(form)
	measure = strings.TrimSpace(measure)
	if measure != Growth {
		return "", "", fmt.Errorf("implies %q: want %q", measure, Growth)
	}
	return form, measure, nil
}

// chinese checks a Chinese form and claims it for owner.
func (b *builder) chinese(owner, form string, nonInd bool) error {
	switch {
	case form == "":
		return fmt.Errorf("empty form")
	case !hanzi.HasHan(form):
		return fmt.Errorf("%q has no Chinese character (English forms go in the english column)", form)
	case strings.ContainsAny(form, " \t|="):
		return fmt.Errorf("%q contains a space, | or =", form)
	case form != strings.ToLower(form):
		return fmt.Errorf("%q: write Latin letters in lower case (matching ignores case)", form)
	case utf8.RuneCountInString(form) < 2:
		return fmt.Errorf("%q: a one-character form would match inside other words", form)
	}
	if r, _ := utf8.DecodeRuneInString(form); r > 0xFFFF || r == utf8.RuneError {
		return fmt.Errorf("%q: the first character must be in the Basic Multilingual Plane", form)
	}
	return b.claim(owner, form, form, nonInd)
}

// english checks an English form and claims it for owner.
func (b *builder) english(owner, form string, nonInd bool) error {
	switch {
	case form == "":
		return fmt.Errorf("empty form")
	case form != strings.ToLower(form):
		return fmt.Errorf("%q: write English names in lower case", form)
	}
	for _, r := range form {
		if r >= unicode.MaxASCII || !(isWordByte(byte(r)) || r == ' ' || r == '-' || r == '&' || r == '.' || r == ',') {
			return fmt.Errorf("%q: only ASCII letters, digits, spaces and - & . , are allowed", form)
		}
	}
	key := foldForm(form)
	if key == "" {
		return fmt.Errorf("%q has no word", form)
	}
	return b.claim(owner, form, key, nonInd)
}

func (b *builder) claim(owner, form, key string, nonInd bool) error {
	if !nonInd && b.denied[key] {
		return fmt.Errorf("%q is a generic word (deny-list), not a form on its own", form)
	}
	if prev, ok := b.owner[key]; ok {
		if prev == owner {
			return fmt.Errorf("%q is listed twice in %s (forms compare folded: case, hyphens, plurals)", form, owner)
		}
		return fmt.Errorf("%q already belongs to %s", form, prev)
	}
	b.owner[key] = owner
	return nil
}

func validID(id string) bool {
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
