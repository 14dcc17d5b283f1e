package fact

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// codecVersion is the first byte of encoded facts; it changes whenever
// the layout does, and ReadFacts refuses other versions.
const codecVersion = 1

// Version names the extraction rules: stored facts read by other rules
// are extracted again (the index keeps it beside the facts it stores).
// Change it with any change to what Extract returns.
const Version = "4"

// ErrCorrupt is wrapped by ReadFacts errors for input that is not facts
// written by AppendFacts of this version.
var ErrCorrupt = errors.New("fact: corrupt encoding")

// minFactBytes is the fewest bytes one encoded fact takes (eight empty
// strings, two floats, five varints); it bounds the count ReadFacts will
// allocate for.
const minFactBytes = 8 + 16 + 5

// AppendFacts appends fs to dst in a compact form and returns the result:
// a version byte, the count, then each fact's strings (length-prefixed),
// Number and Upper (8 bytes each, little-endian IEEE 754), Year (zig-zag
// varint) and offsets (varints; End, ValueStart and ValueEnd as
// differences). ReadFacts reads it back.
func AppendFacts(dst []byte, fs []Fact) []byte {
	dst = append(dst, codecVersion)
	dst = binary.AppendUvarint(dst, uint64(len(fs)))
	for _, f := range fs {
		for _, s := range [...]string{f.Indicator, f.Label, f.Measure, f.MeasureText, f.Value, f.Unit, f.Qualifier, string(f.Kind)} {
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		}
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f.Number))
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f.Upper))
		dst = binary.AppendVarint(dst, int64(f.Year))
		dst = binary.AppendUvarint(dst, uint64(f.Start))
		dst = binary.AppendUvarint(dst, uint64(f.ValueStart-f.Start))
		dst = binary.AppendUvarint(dst, uint64(f.ValueEnd-f.ValueStart))
		dst = binary.AppendUvarint(dst, uint64(f.End-f.ValueEnd))
	}
	return dst
}

// ReadFacts reads facts written by AppendFacts; src must hold exactly
// one encoding. Any other input (another version, a truncated or
// overlong encoding, offsets out of order) is an error wrapping
// ErrCorrupt; it never panics and allocates no more than src's size
// warrants.
func ReadFacts(src []byte) ([]Fact, error) { return ReadFactsAbout(src, nil) }

// ReadFactsAbout is ReadFacts keeping only the facts about one of the
// indicators (every fact when indicators is nil). The others are checked
// and skipped without being decoded: at a million passages a figure
// question reads the facts of tens of thousands of passages for one or
// two indicators.
func ReadFactsAbout(src []byte, indicators []string) ([]Fact, error) {
	d := decoder{src: src}
	if v := d.byte(); d.err == nil && v != codecVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrCorrupt, v, codecVersion)
	}
	n := d.uvarint()
	if d.err != nil {
		return nil, d.err
	}
	if n > uint64(len(d.src)-d.off)/minFactBytes {
		return nil, fmt.Errorf("%w: %d facts in %d bytes", ErrCorrupt, n, len(d.src)-d.off)
	}
	var fs []Fact
	if indicators == nil {
		fs = make([]Fact, 0, n)
	}
	for i := range n {
		if indicators != nil && !d.indicatorIn(indicators) {
			for range 7 { // the other strings
				d.bytes()
			}
			d.float()
			d.float()
			d.int()
			d.offset(d.offset(d.offset(d.offset(0))))
			if d.err != nil {
				return nil, fmt.Errorf("fact %d: %w", i, d.err)
			}
			continue
		}
		fs = append(fs, Fact{})
		f := &fs[len(fs)-1]
		if indicators == nil {
			f.Indicator = d.string()
		} else {
			f.Indicator = d.matched
		}
		f.Label, f.Measure, f.MeasureText = d.string(), d.string(), d.string()
		f.Value, f.Unit, f.Qualifier, f.Kind = d.string(), d.string(), d.string(), Kind(d.string())
		f.Number, f.Upper = d.float(), d.float()
		f.Year = d.int()
		f.Start = d.offset(0)
		f.ValueStart = d.offset(f.Start)
		f.ValueEnd = d.offset(f.ValueStart)
		f.End = d.offset(f.ValueEnd)
		if d.err != nil {
			return nil, fmt.Errorf("fact %d: %w", i, d.err)
		}
	}
	if d.off != len(d.src) {
		return nil, fmt.Errorf("%w: %d bytes after the facts", ErrCorrupt, len(d.src)-d.off)
	}
	return fs, nil
}

// decoder reads src from off; the first error sticks and later reads
// return zero values. matched is the indicator indicatorIn found.
type decoder struct {
	src     []byte
	off     int
	err     error
	matched string
}

// bytes reads a string's bytes without copying them.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.src)-d.off) {
		d.fail("string length")
		return nil
	}
	b := d.src[d.off : d.off+int(n)]
	d.off += int(n)
	return b
}

// indicatorIn reads a fact's indicator and reports whether it is one of
// indicators (then d.matched), without allocating.
func (d *decoder) indicatorIn(indicators []string) bool {
	b := d.bytes()
	for _, w := range indicators {
		if string(b) == w {
			d.matched = w
			return true
		}
	}
	return false
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: bad %s at byte %d", ErrCorrupt, what, d.off)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || d.off >= len(d.src) {
		d.fail("version")
		return 0
	}
	d.off++
	return d.src[d.off-1]
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.src[d.off:])
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.src[d.off:])
	if n <= 0 || v < math.MinInt32 || v > math.MaxInt32 {
		d.fail("varint")
		return 0
	}
	d.off += n
	return int(v)
}

// offset reads a difference from base and returns base plus it.
func (d *decoder) offset(base int) int {
	v := d.uvarint()
	if v > math.MaxInt32 || uint64(base)+v > math.MaxInt32 {
		d.fail("offset")
		return 0
	}
	return base + int(v)
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.src)-d.off) {
		d.fail("string length")
		return ""
	}
	s := string(d.src[d.off : d.off+int(n)])
	d.off += int(n)
	return s
}

func (d *decoder) float() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.src)-d.off < 8 {
		d.fail("number")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.src[d.off:]))
	d.off += 8
	return v
}
