package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minProseShare is the smallest share of a cleaned report's text, in runes,
// that must be in sentences (paragraphs holding 。！？, their ASCII forms, or
// a full stop after a word) for the file to count as a report; a file below
// it is skipped with ErrNoText. Navigation pages (menus, link lists,
// breadcrumbs, pagination, footers) have no sentences, or a stray notice
// among many links.
//
// Chosen on the reports we have: sentences are at least 93% of every report
// of the national corpus (69 reports, the 93% are resolutions of two
// paragraphs) and 97% of the provincial one (31), 62% of corpus/testdata
// (a short JSONL line with its headings) and about 50% of the smallest test
// reports (one heading per sentence), and 0% of a navigation-only page. A
// quarter keeps short excerpts whose headings weigh more, and a report page
// whose sidebar survived cleaning unless the sidebar is three times longer
// than the report.
const minProseShare = 0.25

// noTextError returns an error wrapping ErrNoText when too little of paras
// is sentences (see minProseShare), else nil. paras is not empty.
func noTextError(paras []string) error {
	lens := make([]int, len(paras))
	all := 0
	for i, p := range paras {
		lens[i] = runeLen(p)
		all += lens[i]
	}
	// The paragraphs are read only until enough of the text is found to
	// be sentences: in a report, the first quarter or so (isProse was 1.8
	// of the 10 CPU-seconds of reading reportbench's 1M corpus).
	var prose, sentences int
	for i, p := range paras {
		if float64(prose) >= minProseShare*float64(all) {
			return nil
		}
		if isProse(p) {
			prose += lens[i]
			sentences++
		}
	}
	if float64(prose) >= minProseShare*float64(all) {
		return nil
	}
	if sentences == 0 {
		return fmt.Errorf("%w: no sentence in %s", ErrNoText, plural(len(paras), "paragraph"))
	}
	return fmt.Errorf("%w: sentences are %d%% of the text, want at least %.0f%%",
		ErrNoText, prose*100/all, minProseShare*100)
}

// plural returns "1 paragraph", "2 paragraphs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// isProse reports a paragraph of report text: it holds a sentence end
// (。！？!?, or an ASCII full stop after a word as Latin-script text and some
// web copies write it) and is not
// web-page cruft such as a browser warning.
func isProse(p string) bool {
	if isCruftLine(p) || isLicence(p) {
		return false
	}
	return hasFullStop(p) || hasLatinStop(p)
}

// hasLatinStop reports an ASCII '.' that ends a sentence: after a letter
// or a digit, before a space or at the end of p, and not the dot of a list
// number at its start ("1. 首页"). "2.5", "www.gov.cn" and "No.3" do not
// count.
func hasLatinStop(p string) bool {
	prev := utf8.RuneError
	for i, r := range p {
		if r == '.' && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) && strings.ContainsFunc(p[:i], notDigit) {
			next, _ := utf8.DecodeRuneInString(p[i+1:])
			if i+1 == len(p) || unicode.IsSpace(next) {
				return true
			}
		}
		prev = r
	}
	return false
}

func notDigit(r rune) bool { return !unicode.IsDigit(r) }
