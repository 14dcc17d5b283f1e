package corpus

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// normalizeLinesRunes is normalizeLines as it was written before lines
// were cut from the text: every kept rune written one at a time. It is
// the oracle of TestNormalizeLines and FuzzNormalizeLines.
func normalizeLinesRunes(s string) []string {
	var (
		lines  []string
		b      strings.Builder
		sawZW  bool
		pendCR bool
	)
	end := func() {
		t := joinSpacedDigits(hanzi.FoldWidthDigits(strings.TrimSpace(b.String())))
		if t != "" || !sawZW {
			lines = append(lines, t)
		}
		b.Reset()
		sawZW = false
	}
	for _, r := range s {
		if pendCR {
			pendCR = false
			if r == '\n' {
				continue
			}
		}
		switch {
		case r == '\r':
			end()
			pendCR = true
		case r == '\n', r == '\v', r == '\f', r == 0x85, r == 0x2028, r == 0x2029:
			end()
		case r == '\t':
			b.WriteByte(' ')
		case isZeroWidth(r):
			sawZW = true
		case isStrayControl(r), r == 0x1A, r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	end()
	return lines
}

// normalizeCases are texts with every kind of character normalizeLines
// treats apart, at the start, middle and end of lines.
var normalizeCases = []string{
	"",
	"一、总体要求\n\n新增就业３．２万人。\r\n第二行\r第三行\n",
	"\t缩进\t的行\t\n\u200b\n\u200b文字\u200d中\ufeff间\u00ad\n",
	"坏\xff字节\xc3和\ufffd替换符\x00控制\x1a符\x7f\u0085下一行\u2028再\u2029完",
	"1 9 9 7 年\v２７，２０３亿元\f\r\r\n\n\r",
	"  前后空格  \n\u3000全角空格\u3000\n末行无换行",
}

// TestNormalizeLines checks normalizeLines against the rune-by-rune
// oracle.
func TestNormalizeLines(t *testing.T) {
	t.Parallel()
	for _, s := range normalizeCases {
		if got, want := normalizeLines(s), normalizeLinesRunes(s); !slices.Equal(got, want) {
			t.Errorf("normalizeLines(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzNormalizeLines: no input makes normalizeLines differ from the
// rune-by-rune oracle.
func FuzzNormalizeLines(f *testing.F) {
	for _, s := range normalizeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalizeLines(s), normalizeLinesRunes(s); !slices.Equal(got, want) {
			t.Fatalf("normalizeLines(%q) = %q, want %q", s, got, want)
		}
	})
}

// BenchmarkNormalizeLines splits a seed report (Chinese) and the national
// sample's JSON lines (mostly ASCII escapes) into lines, as written now
// and as the rune-by-rune oracle did.
func BenchmarkNormalizeLines(b *testing.B) {
	texts := []struct{ name, text string }{
		{"zh", readSeed(b, seed2018)},
		{"ascii", readSeed(b, "testdata/national-sample.jsonl")},
	}
	for _, tx := range texts {
		for _, bm := range []struct {
			name string
			f    func(string) []string
		}{{"cut", normalizeLines}, {"runes", normalizeLinesRunes}} {
			b.Run(tx.name+"/"+bm.name, func(b *testing.B) {
				b.SetBytes(int64(len(tx.text)))
				for b.Loop() {
					bm.f(tx.text)
				}
			})
		}
	}
}
