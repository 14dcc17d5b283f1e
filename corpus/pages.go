package corpus

import (
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reportbot/reportbot/hanzi"
)

// PageAt returns the 1-based page of r on which the text at rune offset
// off (a Passage's Start) lies, or 0 when r has no pages (not a PDF).
func (r Report) PageAt(off int) int {
	if len(r.Pages) == 0 {
		return 0
	}
	i, found := slices.BinarySearch(r.Pages, off)
	if found {
		// the last page starting here: pages before it had no paragraph of their own
		for i+1 < len(r.Pages) && r.Pages[i+1] == off {
			i++
		}
		return i + 1
	}
	return max(i, 1)
}

// Scanned reports whether the text at rune offset off comes from a page
// read by OCR, which can misread figures.
func (r Report) Scanned(off int) bool {
	return len(r.OCRPages) > 0 && slices.Contains(r.OCRPages, r.PageAt(off))
}

// pageStarts returns the rune offset in the cleaned text (clean's paras
// joined by "\n") at which each of pages pages starts: the start of the
// first paragraph that starts on it, or of the next one for a page that
// only continues a paragraph. Cleaning keeps paragraphs in order and
// their text nearly verbatim (it joins some, drops some at the ends and
// joins spaced digits), so each cleaned paragraph is matched to the first
// raw paragraph, from the last one matched on, that it starts like.
func pageStarts(raw []pagePara, paras []string, pages int) []int {
	if pages == 0 {
		return nil
	}
	page := make([]int, len(paras)) // page each cleaned paragraph starts on
	j := 0
	for k, p := range paras {
		key := prefixRunes(p, 12)
		for m := j; m < len(raw) && m < j+200; m++ {
			r := prefixRunes(joinSpacedDigits(hanzi.FoldWidthDigits(raw[m].text)), 12)
			if strings.HasPrefix(key, r) || strings.HasPrefix(r, key) {
				j = m
				break
			}
		}
		if j < len(raw) {
			page[k] = raw[j].page
		}
		if k > 0 {
			page[k] = max(page[k], page[k-1])
		}
	}
	starts := make([]int, pages)
	off, k := 0, 0
	offs := make([]int, len(paras)) // rune offset of each paragraph
	for i, p := range paras {
		offs[i] = off
		off += utf8.RuneCountInString(p) + 1
	}
	for pg := 1; pg <= pages; pg++ {
		for k < len(paras) && page[k] < pg {
			k++
		}
		if k < len(paras) {
			starts[pg-1] = offs[k]
		} else {
			starts[pg-1] = max(off-1, 0)
		}
	}
	return starts
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Equal reports whether r and o are the same report, field by field
// (Report holds slices, so == does not compile).
func (r Report) Equal(o Report) bool {
	return reflect.DeepEqual(r, o)
}
