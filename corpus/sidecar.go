package corpus

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reportbot/reportbot/internal/safetext"
)

// sidecarSuffix names the metadata file beside a report: the sidecar of
// "a/report.txt" is "a/report.meta.yaml".
const sidecarSuffix = ".meta.yaml"

// sidecar is the metadata of a NAME.meta.yaml file. Empty fields are unset.
type sidecar struct {
	title, publisher, publishDate, url string
	year                               int
}

// safe returns sc with its text fields on one line, without escape
// sequences or bidirectional controls (safetext.Line), trimmed: a title is
// printed where a line break would forge a line of its own.
func (sc sidecar) safe() sidecar {
	for _, f := range []*string{&sc.title, &sc.publisher, &sc.publishDate, &sc.url} {
		*f = strings.TrimSpace(safetext.Line(*f))
	}
	return sc
}

// sidecarFields is the YAML of a sidecar: a mapping of these keys, each
// at most once, to plain or quoted scalars.
type sidecarFields struct {
	Title       sidecarValue `yaml:"title"`
	Publisher   sidecarValue `yaml:"publisher"`
	PublishDate sidecarValue `yaml:"publish_date"`
	Year        sidecarValue `yaml:"year"`
	URL         sidecarValue `yaml:"url"`
}

// keyed lists the fields with their keys, in the order of the struct.
func (f *sidecarFields) keyed() []keyedValue {
	return []keyedValue{
		{"title", &f.Title}, {"publisher", &f.Publisher}, {"publish_date", &f.PublishDate},
		{"year", &f.Year}, {"url", &f.URL},
	}
}

type keyedValue struct {
	key string
	v   *sidecarValue
}

// sidecarKeys are the keys a sidecar may set.
var sidecarKeys = func() []string {
	var keys []string
	for _, kv := range new(sidecarFields).keyed() {
		keys = append(keys, kv.key)
	}
	return keys
}()

// sidecarValue is the node of one value, checked once its key is known. A
// null or missing value leaves it nil.
type sidecarValue struct{ node *yaml.Node }

// UnmarshalYAML implements yaml.Unmarshaler.
func (v *sidecarValue) UnmarshalYAML(n *yaml.Node) error {
	v.node = n
	return nil
}

// text returns the value of a plain or quoted scalar, "" when unset.
func (v sidecarValue) text(name, key string) (string, error) {
	n := v.node
	if n == nil {
		return "", nil
	}
	switch {
	case n.Kind == yaml.MappingNode:
		return "", fmt.Errorf("%s:%d: %s: indented mapping: only flat \"key: value\" lines with plain or quoted values are allowed", name, n.Line, key)
	case n.Kind != yaml.ScalarNode:
		return "", fmt.Errorf("%s:%d: %s: only plain or quoted values are allowed, got a %s", name, n.Line, key, strings.TrimPrefix(n.ShortTag(), "!!"))
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return "", fmt.Errorf("%s:%d: %s: only plain or quoted values are allowed, got a block scalar (| or >)", name, n.Line, key)
	}
	return n.Value, nil
}

// parseSidecar parses the sidecar name: a YAML mapping of title, publisher,
// publish_date, year and url to plain or quoted values ("#" starts a
// comment). It is decoded strictly: unknown and repeated keys are errors,
// as are nested values, lists, block scalars, a second document, a year
// outside hanzi.ValidYear and a publish_date that is not a date. A null or
// empty value leaves its field unset, as does an empty file. Errors name the
// file, the line and the key.
func parseSidecar(name, text string) (sidecar, error) {
	var f sidecarFields
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true)
	switch err := dec.Decode(&f); {
	case errors.Is(err, io.EOF):
		return sidecar{}, nil // empty, or only comments
	case err != nil:
		return sidecar{}, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return sidecar{}, yamlError(name, err)
		}
		return sidecar{}, fmt.Errorf("%s:%d: a second YAML document: only one mapping of \"key: value\" lines is allowed", name, extra.Line)
	}
	fields := f.keyed()
	// Report the first bad value in the file.
	slices.SortStableFunc(fields, func(a, b keyedValue) int { return line(a.v.node) - line(b.v.node) })
	var m sidecar
	for _, kv := range fields {
		v, err := kv.v.text(name, kv.key)
		if err != nil {
			return sidecar{}, err
		}
		if err := m.set(kv.key, v); err != nil {
			return sidecar{}, fmt.Errorf("%s:%d: %w", name, line(kv.v.node), err)
		}
	}
	return m, nil
}

// set sets the field of key to v; "" leaves it unset.
func (m *sidecar) set(key, v string) error {
	if v == "" {
		return nil
	}
	var err error
	switch key {
	case "title":
		m.title = v
	case "publisher":
		m.publisher = v
	case "url":
		m.url = v
	case "year":
		m.year, err = parseYear(v)
	case "publish_date":
		d, ok := dateAt(v)
		if !ok {
			return fmt.Errorf("publish_date %q is not a date like 2018-01-24", v)
		}
		m.publishDate = d
	}
	return err
}

func line(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

// Messages of yaml.v3's *yaml.TypeError, rewritten to name the key.
var (
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.*) not found in type `)
	repeatedKeyRE  = regexp.MustCompile(`^line (\d+): mapping key (".*") already defined at line (\d+)$`)
	notMappingRE   = regexp.MustCompile(`^line (\d+): cannot unmarshal (!!\w+)`)
)

// yamlError returns err, an error of decoding the sidecar name, as
// "NAME:LINE: problem" messages.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		// A syntax error: "yaml: line 2: found unexpected end of stream".
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if l, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(l, "line ") {
			return fmt.Errorf("%s:%s: invalid YAML: %s", name, strings.TrimPrefix(l, "line "), rest)
		}
		return fmt.Errorf("%s: invalid YAML: %s", name, msg)
	}
	msgs := make([]string, len(te.Errors))
	for i, e := range te.Errors {
		if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
			msgs[i] = fmt.Sprintf("%s:%s: unknown key %q (known keys: %s)", name, m[1], m[2], strings.Join(sidecarKeys, ", "))
		} else if m := repeatedKeyRE.FindStringSubmatch(e); m != nil {
			msgs[i] = fmt.Sprintf("%s:%s: key %s repeated (first at line %s)", name, m[1], m[2], m[3])
		} else if m := notMappingRE.FindStringSubmatch(e); m != nil {
			msgs[i] = fmt.Sprintf("%s:%s: want \"key: value\" lines, got a %s", name, m[1], strings.TrimPrefix(m[2], "!!"))
		} else {
			msgs[i] = name + ": " + e
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}
