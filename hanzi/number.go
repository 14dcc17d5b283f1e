package hanzi

import (
	"math"
	"strings"
)

// ParseNumber returns the value of a Chinese numeral: digits
// 零〇一二两三四五六七八九, the place values 十百千, the sections 万 and 亿
// (万亿 is 10¹²) and an optional decimal part of digits after 点. It reads
// heading numbers (十二 in "（十二）") and figures (三十四万, 一百零五,
// 一万二千, 一亿二千万, 三万亿, 五点五).
//
// It rejects digits with no place value between them (三五, 十三五: names
// such as the 十三五 plan, not numbers), a place value other than 十 with no
// digit before it (百, 千方), an empty section (万, 亿万), a decimal part that
// is empty, has no integer part before it or holds place values (三点,
// 点五, 一点五十), the empty string, any rune that is not one of the above,
// and values too large for a float64 (亿 forty times over).
//
// Beyond that it is lenient, as rag's figure check has always been: a
// repeated 十 adds (十十 is 20), and 零 or 〇 right after a digit replaces it
// ("一〇" is 0, "二〇二" is 2). Callers that need a canonical form, such as
// heading numbers from 一 to 九十九, check the shape of s themselves.
func ParseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	intPart, frac, hasFrac := strings.Cut(s, "点")
	var total, section, digit float64
	haveDigit := false
	for _, r := range intPart {
		if d, ok := digitValue(r); ok {
			if haveDigit && d != 0 && digit != 0 {
				return 0, false // 三五
			}
			digit, haveDigit = d, true
			continue
		}
		switch r {
		case '十', '百', '千':
			if !haveDigit {
				if r != '十' {
					return 0, false
				}
				digit = 1 // 十二 = 12
			}
			section += digit * placeValue(r)
		case '万':
			if section+digit == 0 {
				return 0, false
			}
			total += (section + digit) * 1e4
			section = 0
		case '亿':
			if total+section+digit == 0 {
				return 0, false
			}
			total = (total + section + digit) * 1e8
			section = 0
		default:
			return 0, false
		}
		digit, haveDigit = 0, false
	}
	v := total + section + digit
	if hasFrac {
		if frac == "" || intPart == "" {
			return 0, false
		}
		scale := 0.1
		for _, r := range frac {
			d, ok := digitValue(r)
			if !ok {
				return 0, false // 一点五十, 一点五点
			}
			v += d * scale
			scale /= 10
		}
	}
	if math.IsInf(v, 0) {
		return 0, false // 一亿亿亿…: beyond float64
	}
	return v, true
}

// digitValue returns the value of a Chinese digit.
func digitValue(r rune) (float64, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// placeValue returns the value of 十, 百 or 千.
func placeValue(r rune) float64 {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	}
	return 1000
}

// ParseDigits returns the value of Chinese digits read one by one, as years
// are written ("二〇一八" and "二零一八" are 2018): every rune one of
// 〇零一二三四五六七八九, at most nine of them. 两 is a quantity, never a
// digit of a year, and is rejected.
func ParseDigits(s string) (int, bool) {
	n, count := 0, 0
	for _, r := range s {
		d, ok := digitValue(r)
		if !ok || r == '两' || count == 9 {
			return 0, false
		}
		n, count = n*10+int(d), count+1
	}
	return n, count > 0
}
