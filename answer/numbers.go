package answer

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
	"github.com/reportbot/reportbot/lexical"
	"github.com/reportbot/reportbot/query"
)

// isChineseDigit reports whether r is a character of Chinese numerals
// (零〇一二两三四五六七八九十百千万亿).
func isChineseDigit(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿':
		return true
	}
	return false
}

// HasQuantity reports whether s holds a number that is not just a year
// ("2018年") or an ordinal heading ("(一)"); when unit is set, the number
// must carry it ("3.4万人" carries "人" and "万人", "505亿元" carries "亿元"
// and "亿").
func HasQuantity(s, unit string) bool {
	if (unit == "" || unit == "%") && hasChinesePercent(s) {
		return true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r < utf8.RuneSelf && lexical.IsDigit(byte(r))) && !(isChineseDigit(r) && startsChineseNumber(s, i)) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r2, s2 := utf8.DecodeRuneInString(s[j:])
			if (r2 < utf8.RuneSelf && (lexical.IsDigit(byte(r2)) || r2 == '.' || r2 == ',')) || isChineseDigit(r2) {
				j += s2
				continue
			}
			break
		}
		num, rest := s[i:j], s[j:]
		i = j
		if isYear(num, rest) {
			continue
		}
		if unit == "" {
			return true
		}
		if unitFollows(num, rest, unit) {
			return true
		}
	}
	return false
}

// startsChineseNumber accepts a Chinese numeral only when a measure word
// follows it ("三所", "十大"), so words like "一体化" do not count.
func startsChineseNumber(s string, i int) bool {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isChineseDigit(r) {
			break
		}
		j += size
	}
	rest := s[j:]
	for _, u := range query.MeasureWords {
		if strings.HasPrefix(rest, u) {
			return true
		}
	}
	return false
}

func isYear(num, rest string) bool {
	if len(num) != 4 || !strings.HasPrefix(rest, "年") {
		return false
	}
	y, err := strconv.Atoi(num)
	return err == nil && hanzi.ValidYear(y)
}

// unitFollows reports whether rest (after the digits num) starts with unit,
// allowing 万/亿/千/百 multipliers that are part of num or of rest.
func unitFollows(num, rest, unit string) bool {
	if strings.HasPrefix(rest, unit) {
		return true
	}
	for _, mult := range []string{"万", "亿", "千", "百"} {
		if strings.HasPrefix(rest, mult+unit) {
			return true
		}
		if strings.HasSuffix(num, mult) && strings.HasPrefix(rest, unit) {
			return true
		}
	}
	// "多少亿元" also accepts "505亿", "多少万人" accepts "3.4万人".
	for _, mult := range []string{"万", "亿"} {
		if strings.HasPrefix(unit, mult) && (strings.HasPrefix(rest, mult) || strings.HasSuffix(num, mult)) {
			base := strings.TrimPrefix(unit, mult)
			after := strings.TrimPrefix(rest, mult)
			if base == "元" || base == "" || strings.HasPrefix(after, base) {
				return true
			}
		}
	}
	return unit == "%" && (strings.HasPrefix(rest, "％") || strings.HasPrefix(rest, "个百分点"))
}

// hasChinesePercent reports whether s writes a percentage in words, as
// older reports do: "百分之九", "百分之十一点八".
func hasChinesePercent(s string) bool {
	for {
		i := strings.Index(s, "百分之")
		if i < 0 {
			return false
		}
		s = s[i+len("百分之"):]
		r, size := utf8.DecodeRuneInString(s)
		if !isChineseDigit(r) {
			continue
		}
		if r != '百' {
			return true
		}
		// "百分之百" is a percentage only before more numerals
		// ("百分之百零五"); alone it is the idiom "fully".
		if r2, _ := utf8.DecodeRuneInString(s[size:]); isChineseDigit(r2) || r2 == '点' {
			return true
		}
	}
}
