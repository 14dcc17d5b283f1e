package hanzi

import "strings"

// FoldWidthDigits writes full-width digits (１９９７) as ASCII (1997), as
// older reports set them, together with the full-width decimal point,
// thousands comma and percent sign around them ("７．３％" → "7.3%",
// "２７，２０３" → "27,203"): a figure then reads, searches and checks the
// same whichever width its report, or a question about it, used. Other
// full-width punctuation, the ordinary Chinese "，" and "．" between words
// and list commas ("第１，２条"), is left alone.
func FoldWidthDigits(s string) string {
	if !strings.ContainsFunc(s, isWideDigit) {
		return s
	}
	r := []rune(s)
	for i, c := range r {
		switch {
		case isWideDigit(c):
			r[i] = '0' + (c - '０')
		case c == '．':
			if i > 0 && isASCIIDigit(r[i-1]) && i+1 < len(r) && isAnyDigit(r[i+1]) {
				r[i] = '.'
			}
		case c == '，':
			// A thousands separator has exactly three digits after it
			// ("２７，２０３"); "第１，２条" is a list and keeps its comma.
			if i > 0 && isASCIIDigit(r[i-1]) && threeDigits(r, i+1) {
				r[i] = ','
			}
		case c == '％':
			if i > 0 && isASCIIDigit(r[i-1]) {
				r[i] = '%'
			}
		}
	}
	return string(r)
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isWideDigit(r rune) bool { return r >= '０' && r <= '９' }

func isAnyDigit(r rune) bool { return isWideDigit(r) || isASCIIDigit(r) }

// threeDigits reports whether r[i:] starts with exactly three digits.
func threeDigits(r []rune, i int) bool {
	if i+3 > len(r) {
		return false
	}
	for k := i; k < i+3; k++ {
		if !isAnyDigit(r[k]) {
			return false
		}
	}
	return i+3 == len(r) || !isAnyDigit(r[i+3])
}
