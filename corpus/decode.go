package corpus

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode turns the raw bytes of a report file into UTF-8 text. The encoding
// is detected, not configured: UTF-16 when the file starts with a byte-order
// mark (FF FE little-endian, FE FF big-endian; the mark is removed), UTF-8
// (with or without BOM), else GB18030 (a superset of GBK and GB2312),
// accepted only when the result is plausible Chinese text. Binary content
// (NUL bytes, many control characters) and undecodable bytes are errors
// wrapping ErrBinary and ErrEncoding: nothing is silently replaced. UTF-16
// without a byte-order mark is not decoded; it is an ErrEncoding that says
// so.
func decode(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		return decodeUTF16(b)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		if looksUTF16(b) {
			return "", fmt.Errorf("%w: looks like UTF-16 without a byte-order mark (BOM); save it as UTF-8, or as UTF-16 with a BOM", ErrEncoding)
		}
		return "", fmt.Errorf("%w: NUL byte", ErrBinary)
	}
	if utf8.Valid(b) {
		s := string(b)
		if err := checkControls(s); err != nil {
			return "", err
		}
		return s, nil
	}
	return decodeGB18030(b)
}

func decodeUTF16(b []byte) (string, error) {
	dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
	out, err := dec.Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: UTF-16: %w", ErrEncoding, err)
	}
	s := string(out)
	if err := checkDecoded(s, "UTF-16"); err != nil {
		return "", err
	}
	return s, nil
}

// looksUTF16 reports whether b, which holds NUL bytes, is UTF-16 text
// without a byte-order mark: an even length, the NUL bytes nearly all on
// one side of the 16-bit units (the high byte of ASCII characters), and
// text that decodes cleanly that way.
func looksUTF16(b []byte) bool {
	if len(b)%2 != 0 {
		return false
	}
	var nul [2]int
	for i, c := range b {
		if c == 0 {
			nul[i%2]++
		}
	}
	order := xunicode.LittleEndian // NULs in odd bytes: ASCII is "a\x00"
	if nul[0] > nul[1] {
		order = xunicode.BigEndian
	}
	if min(nul[0], nul[1])*10 > max(nul[0], nul[1]) {
		return false // NULs on both sides: not text
	}
	out, err := xunicode.UTF16(order, xunicode.IgnoreBOM).NewDecoder().Bytes(b)
	return err == nil && checkDecoded(string(out), "UTF-16") == nil
}

// decodeGB18030 decodes b as GB18030 and accepts the result only when it
// looks like Chinese text: no replacement or private-use characters, no
// control garbage, mostly Han characters and CJK punctuation among the
// non-ASCII runes, and CJK punctuation somewhere in a long text. Japanese
// text in Shift-JIS (which GBK decodes without an error, into Han
// characters and no punctuation at all) is recognised and rejected as
// such, whatever its length.
func decodeGB18030(b []byte) (string, error) {
	if looksShiftJIS(b) {
		return "", fmt.Errorf("%w: looks like Japanese text in Shift-JIS, which decoded as GBK would be garbled; save it as UTF-8", ErrEncoding)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: GB18030: %w", ErrEncoding, err)
	}
	s := string(out)
	if err := checkDecoded(s, "GB18030"); err != nil {
		return "", err
	}
	var han, cjk, other int
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Han, r):
			han++
		case isCJKSymbol(r):
			cjk++
		default:
			other++
		}
	}
	if han == 0 || other > han+cjk {
		return "", fmt.Errorf("%w: invalid UTF-8, and as GB18030 it is not plausible Chinese text", ErrEncoding)
	}
	if cjk == 0 && han >= minHanWithoutPunct {
		return "", fmt.Errorf("%w: invalid UTF-8, and as GB18030 it has %d Han characters but no Chinese punctuation: another encoding garbled (save it as UTF-8)", ErrEncoding, han)
	}
	return s, nil
}

// minHanWithoutPunct is the number of Han characters above which a GB18030
// decoding with no CJK punctuation at all (no 。，、：) is taken for another
// encoding read as GBK, not for Chinese prose. Report text has a comma or a
// full stop every few dozen characters; a title or a name list is shorter.
const minHanWithoutPunct = 100

// minKanaShare is the share of hiragana and full-width katakana among the
// non-ASCII runes of a Shift-JIS decoding above which the bytes are taken
// for Japanese text: Japanese prose is a third or more kana, while Chinese
// GBK bytes read as Shift-JIS give half-width katakana (the GB2312 lead
// bytes B0–DF) and almost never the 82 9F–F1 or 83 40–96 pairs of
// full-width kana (rare GBK/3 characters).
const minKanaShare = 0.1

// looksShiftJIS reports whether b, which is not UTF-8, decodes cleanly as
// Shift-JIS into text with a Japanese share of kana (minKanaShare).
func looksShiftJIS(b []byte) bool {
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil {
		return false
	}
	var kana, nonASCII int
	for _, r := range string(out) {
		switch {
		case r == utf8.RuneError:
			return false
		case r < utf8.RuneSelf:
		case r >= 0x3041 && r <= 0x30FA: // hiragana and full-width katakana
			kana++
			nonASCII++
		default:
			nonASCII++
		}
	}
	return kana > 0 && float64(kana) >= minKanaShare*float64(nonASCII)
}

// checkDecoded rejects text produced by a decoder that had to substitute
// characters, or that decodes to NUL, control or private-use characters.
func checkDecoded(s, enc string) error {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("%w: invalid UTF-8 and invalid %s", ErrEncoding, enc)
		case r == 0:
			return fmt.Errorf("%w: NUL character", ErrBinary)
		case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
			return fmt.Errorf("%w: private-use characters when decoded as %s", ErrEncoding, enc)
		}
	}
	return checkControls(s)
}

// checkControls reports text in which more than 1% of the runes are control
// characters other than ordinary whitespace as binary. Fewer stray control
// characters are removed when the text is cleaned.
func checkControls(s string) error {
	var n, ctl int
	for _, r := range s {
		n++
		if isStrayControl(r) {
			ctl++
		}
	}
	if ctl > 0 && ctl*100 > n {
		return fmt.Errorf("%w: %d control characters in %d", ErrBinary, ctl, n)
	}
	return nil
}

// isStrayControl reports control characters that are not line or word
// separators.
func isStrayControl(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1A: // 0x1A: DOS end-of-file marker
		return false
	}
	return r < 0x20 || (r >= 0x7F && r < 0xA0)
}

// isCJKSymbol reports characters that GBK text commonly contains besides Han
// characters: CJK and full-width punctuation, general punctuation, symbols,
// enclosed numbers, kana and the Latin-1 signs of GB2312.
func isCJKSymbol(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x30FF, // CJK punctuation, kana
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms
		r >= 0x2000 && r <= 0x2BFF, // punctuation, letter-like, numbers, arrows, math, shapes
		r >= 0x3200 && r <= 0x33FF, // enclosed CJK, compatibility
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r == 0xA4, r == 0xA7, r == 0xA8, r == 0xB0, r == 0xB1, r == 0xB7, r == 0xD7, r == 0xE0, r == 0xE9, r == 0xF7:
		return true
	}
	return false
}
