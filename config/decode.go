package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// decode decodes the YAML document data over cfg. Unknown keys, repeated
// keys, values of the wrong kind and a second document are errors; each
// message gives the line, the full key path (corpus.dir) and what to write
// instead, and never a Go type name. Valid keys are decoded even when
// others are wrong.
func decode(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil
	} else if err != nil {
		return syntaxError{err}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return errors.New("more than one YAML document: keep one (remove the --- line)")
	case !errors.Is(err, io.EOF):
		return syntaxError{err}
	}
	defaults := Default()
	dd := DefaultDiscord()
	defaults.Discord = &dd
	return decodeNode(&doc, "", reflect.ValueOf(cfg).Elem(), reflect.ValueOf(defaults))
}

// decodeNode decodes n into out (a settable struct, pointer, slice or
// scalar) at the key path path, with def the defaults of out's type (for
// the examples in messages). It returns the problems joined.
func decodeNode(n *yaml.Node, path string, out, def reflect.Value) error {
	var w walker
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	w.value(n, path, out, def)
	return errors.Join(w.errs...)
}

// syntaxError is a YAML syntax error said plainly (without the "yaml: "
// prefix) with a hint; the decoder's error stays reachable with errors.As.
type syntaxError struct{ err error }

func (e syntaxError) Error() string {
	return strings.TrimPrefix(e.err.Error(), "yaml: ") + " (not valid YAML: check the indentation, colons and quotes against config.example.yaml)"
}

func (e syntaxError) Unwrap() error { return e.err }

// keyError is one problem with one key: its line and a message that names
// the key and the fix. err, when set, is the decoder's own error.
type keyError struct {
	line int
	msg  string
	err  error
}

func (e *keyError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func (e *keyError) Unwrap() error { return e.err }

// walker decodes a yaml.Node tree into a Go value by reflection, following
// the yaml struct tags, and collects a keyError for every problem.
type walker struct{ errs []error }

func (w *walker) fail(n *yaml.Node, err error, format string, args ...any) {
	w.errs = append(w.errs, &keyError{line: n.Line, msg: fmt.Sprintf(format, args...), err: err})
}

// value decodes n into out. A null value leaves out as it is (its
// default), except that pointers and lists become nil, as yaml.v3 does.
func (w *walker) value(n *yaml.Node, path string, out, def reflect.Value) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		if k := out.Kind(); k == reflect.Pointer || k == reflect.Slice {
			out.SetZero()
		}
		return
	}
	switch out.Kind() {
	case reflect.Pointer:
		if out.IsNil() {
			out.Set(reflect.New(out.Type().Elem()))
			if !def.IsNil() {
				out.Elem().Set(def.Elem())
			}
		}
		if def.IsNil() {
			def = reflect.New(out.Type().Elem())
		}
		w.value(n, path, out.Elem(), def.Elem())
	case reflect.Struct:
		w.section(n, path, out, def)
	case reflect.Slice:
		w.list(n, path, out, def)
	default:
		w.scalar(n, path, out, def)
	}
}

// section decodes a mapping into the struct out, key by key.
func (w *walker) section(n *yaml.Node, path string, out, def reflect.Value) {
	t := out.Type()
	if n.Kind != yaml.MappingNode {
		if path == "" {
			w.fail(n, nil, "the config must be keys with values, such as \"corpus:\" and \"provider:\", not %s; see config.example.yaml", describe(n))
			return
		}
		w.fail(n, nil, "%s must be a section of keys, not %s; write its keys indented below %q (%s)", path, describe(n), lastKey(path)+":", knownKeys(t, path))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := joinPath(path, k.Value)
		switch f, known := fieldByKey(t, k.Value); {
		case k.Kind != yaml.ScalarNode:
			w.fail(k, nil, "%s has a key that is %s; keys are plain names (%s)", sectionName(path), describe(k), knownKeys(t, path))
		case k.ShortTag() == "!!merge":
			w.fail(k, nil, "%s: merge keys (<<) are not supported; write the keys out", sectionName(path))
		case seen[k.Value] != 0:
			w.fail(k, nil, "%s is set twice (first on line %d): keep one", key, seen[k.Value])
		case !known:
			w.fail(k, nil, "%s is not a known key%s; %s", key, didYouMean(k.Value, t, path), knownKeys(t, path))
		default:
			seen[k.Value] = k.Line
			w.value(v, key, out.Field(f), def.Field(f))
		}
	}
}

// list decodes a sequence into the slice out, item by item.
func (w *walker) list(n *yaml.Node, path string, out, def reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		example := "[]"
		if n.Kind == yaml.ScalarNode && n.Value != "" {
			example = "[" + n.Value + "]"
		}
		w.fail(n, nil, "%s must be a list, not %s; write it in brackets, e.g. %s: %s, or one item per line starting with \"- \"", path, describe(n), lastKey(path), example)
		return
	}
	elemDef := reflect.New(out.Type().Elem()).Elem()
	if def.Len() > 0 {
		elemDef = def.Index(0)
	}
	s := reflect.MakeSlice(out.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		w.value(item, fmt.Sprintf("%s[%d]", path, i), s.Index(i), elemDef)
	}
	out.Set(s)
}

var durationType = reflect.TypeFor[time.Duration]()

// scalar decodes a single value into out with yaml.v3's own rules (so yes
// and on are booleans), saying what to write when the value does not fit.
// A number with a fraction is an error for a whole-number key, where
// yaml.v3 would truncate 1.5 to 1.
func (w *walker) scalar(n *yaml.Node, path string, out, def reflect.Value) {
	if n.Kind != yaml.ScalarNode {
		w.fail(n, nil, "%s must be a single value, not %s; write it as %s: %s", path, describe(n), lastKey(path), example(def))
		return
	}
	if n.ShortTag() == "!!float" && isInteger(out.Kind()) && out.Type() != durationType {
		var f float64
		if err := n.Decode(&f); err == nil && f != math.Trunc(f) {
			w.fail(n, nil, "%s: %s is not a whole number; write a whole number such as %s (the default)", path, shown(n), example(def))
			return
		}
	}
	p := reflect.New(out.Type())
	if err := n.Decode(p.Interface()); err != nil {
		w.fail(n, err, "%s: %s", path, scalarFix(n, out.Type(), def))
		return
	}
	out.Set(p.Elem())
}

// isInteger reports whether k is a signed or unsigned integer kind.
func isInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// scalarFix says why the scalar n does not fit type t and what to write.
func scalarFix(n *yaml.Node, t reflect.Type, def reflect.Value) string {
	v := shown(n)
	numeric := n.ShortTag() == "!!int" || n.ShortTag() == "!!float"
	switch {
	case t == durationType && numeric:
		return fmt.Sprintf("%s is not a duration; write it with a unit, e.g. %ss or 2m", v, n.Value)
	case t == durationType:
		return fmt.Sprintf("%s is not a duration; write a number with a unit, e.g. 60s or 2m (default %s)", v, example(def))
	}
	switch {
	case isInteger(t.Kind()):
		if numeric {
			return fmt.Sprintf("%s is out of range; write a whole number such as %s (the default)", v, example(def))
		}
		return fmt.Sprintf("%s is not a number; write a whole number such as %s (the default)", v, example(def))
	case t.Kind() == reflect.Float32, t.Kind() == reflect.Float64:
		return fmt.Sprintf("%s is not a number; write one such as %s (the default)", v, example(def))
	case t.Kind() == reflect.Bool:
		return fmt.Sprintf("%s is not true or false; write true or false (default %s)", v, example(def))
	case t.Kind() == reflect.String:
		return fmt.Sprintf("%s cannot be read as text; write it in quotes", v)
	}
	return fmt.Sprintf("%s is not a valid value; see config.example.yaml", v)
}

// example is the default value def as it is written in YAML.
func example(def reflect.Value) string {
	switch {
	case def.Type() == durationType:
		return shortDuration(time.Duration(def.Int()))
	case def.Kind() == reflect.String && def.String() == "":
		return `""`
	}
	return fmt.Sprint(def.Interface())
}

// shortDuration writes d as config.example.yaml does: 30s, 1m, 1h, not
// 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// describe names what n is, for "not ..." in messages: a quoted value
// (shortened), a list or a section of keys.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return shown(n)
	}
	return "an alias"
}

// maxShown is the most runes of a value repeated in a message.
const maxShown = 40

// shown is the scalar n as the user wrote it: bare for numbers and
// booleans, quoted for text, shortened when long.
func shown(n *yaml.Node) string {
	v := n.Value
	if utf8.RuneCountInString(v) > maxShown {
		v = string([]rune(v)[:maxShown]) + "…"
	}
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool":
		return v
	}
	return fmt.Sprintf("%q", v)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func lastKey(path string) string {
	path = path[strings.LastIndex(path, ".")+1:]
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	return path
}

func sectionName(path string) string {
	if path == "" {
		return "the config"
	}
	return path
}

// keys lists the yaml keys of struct type t, in declaration order.
func keys(t reflect.Type) []string {
	var ks []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			ks = append(ks, k)
		}
	}
	return ks
}

// knownKeys is the "known keys of ..." part of messages.
func knownKeys(t reflect.Type, path string) string {
	if path == "" {
		return "known top-level keys: " + strings.Join(keys(t), ", ")
	}
	return "known keys of " + path + ": " + strings.Join(keys(t), ", ")
}

// fieldByKey returns the index of the field of struct type t whose yaml
// key is key.
func fieldByKey(t reflect.Type, key string) (int, bool) {
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k == key && k != "" && k != "-" {
			return i, true
		}
	}
	return 0, false
}

// didYouMean is " (did you mean PATH.KEY?)" for the known key of struct
// type t closest to key, or "" when none is close.
func didYouMean(key string, t reflect.Type, path string) string {
	best, bestDist := "", 0
	for _, k := range keys(t) {
		if d := editDistance(strings.ToLower(key), k); best == "" || d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" || bestDist > maxTypos(key) {
		return ""
	}
	return " (did you mean " + joinPath(path, best) + "?)"
}

// maxTypos is how many edits turn a typed key into a suggested one: one for
// short keys (dir, dim), up to three for long ones (max_passage_runes), so
// that a suggestion is a likely typo and not just another key.
func maxTypos(key string) int {
	return min(3, 1+utf8.RuneCountInString(key)/5)
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent runes each
// count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
