package hanzi

import "unicode"

// IsHan reports whether r is a Chinese character: a CJK unified ideograph
// of the main block (U+4E00–U+9FFF), of extension A (U+3400–U+4DBF) or, above
// U+FFFF, of the unicode.Han script (extensions B and later, the
// compatibility supplement).
//
// It is narrower than unicode.Han in the Basic Multilingual Plane: the
// radicals (⺀, ⼀), the compatibility ideographs (豈), 々, 〇 and the Suzhou
// numerals (〡, 〸) are not characters of running text here. 〇 in
// "二〇一八年" is a digit, and the corpus reads it as one.
func IsHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r > 0xFFFF && unicode.Is(unicode.Han, r)
}

// HasHan reports whether s contains a Chinese character (IsHan).
func HasHan(s string) bool {
	for _, r := range s {
		if IsHan(r) {
			return true
		}
	}
	return false
}

// IsHanScript reports whether r is in the Han script (unicode.Han), with the
// common cases decided without a table search. It is wider than IsHan: 〇,
// 々, radicals and compatibility ideographs count. The tokenizer, the hash
// embedder and the evidence scorer use it, so that "二〇一八" is one run of
// bigrams; changing it would change every stored hash vector.
func IsHanScript(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return unicode.Is(unicode.Han, r)
}
