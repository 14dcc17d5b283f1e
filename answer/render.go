package answer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// ScanNotice marks a citation of a passage read by OCR from a scanned
// page, whose characters and figures may be misread.
const ScanNotice = "OCR of a scanned page: check the scan"

// FormatCitation renders a citation's location on one line: report title,
// year, section path, page (PDF), paragraph number, a notice for a
// passage read by OCR and, when known, the report's URL.
func FormatCitation(c Citation) string {
	var b strings.Builder
	b.WriteString(c.ReportTitle)
	if c.Year != 0 && !strings.Contains(c.ReportTitle, fmt.Sprint(c.Year)) {
		fmt.Fprintf(&b, " (%d)", c.Year)
	} else if c.Year == 0 {
		b.WriteString(" (year unknown)")
	}
	if len(c.Section) > 0 {
		b.WriteString(" · ")
		b.WriteString(strings.Join(c.Section, " › "))
	}
	if c.Page > 0 {
		fmt.Fprintf(&b, " · p. %d", c.Page)
	}
	fmt.Fprintf(&b, " · ¶%d", c.Paragraph)
	if c.Scanned {
		b.WriteString(" · " + ScanNotice)
	}
	if c.URL != "" {
		b.WriteString(" · " + c.URL)
	}
	return b.String()
}

// Text renders an answer as plain text with a numbered source list,
// for terminals and logs.
func Text(a *Answer) string {
	var b strings.Builder
	if a.Table != nil {
		b.WriteString(TableText(a.Table)) // the rows of Text, aligned
	} else {
		b.WriteString(a.Text)
		b.WriteString("\n")
	}
	if a.Notice != "" {
		b.WriteString("(" + a.Notice + ")\n")
	}
	list, head := a.Citations, "Sources:"
	if a.NotFound {
		list, head = a.Closest, "Closest passages:"
	}
	if len(list) > 0 {
		b.WriteString("\n" + head + "\n")
	}
	for _, c := range list {
		fmt.Fprintf(&b, "[%d] %s\n    “%s”\n", c.N, FormatCitation(c), c.Quote)
	}
	return b.String()
}

// Trace explains how an answer was found, for the asker: the
// analysed and rewritten query, the filters, the retrieved passages with
// their scores, and the best scored evidence windows.
func Trace(a *Answer) string {
	var b strings.Builder
	q := a.Query
	fmt.Fprintf(&b, "Question: %s\nLanguage: %s · mode: %s", a.Question, q.Lang, a.Mode)
	if a.Grounding != nil {
		fmt.Fprintf(&b, " (%s)", a.Grounding.Model)
	}
	b.WriteString("\n")
	if a.Rewrite != "" {
		fmt.Fprintf(&b, "Rewritten query: %s\n", a.Rewrite)
	}
	var filters []string
	if len(q.Years) > 0 {
		filters = append(filters, fmt.Sprintf("years %v", q.Years))
	}
	if q.Kind != "" {
		filters = append(filters, string(q.Kind))
	}
	if q.Want.Unit != "" {
		filters = append(filters, "unit "+q.Want.Unit)
	} else if q.Want.Quantity {
		filters = append(filters, "a number")
	}
	if q.Want.Counted != "" {
		filters = append(filters, "counting "+q.Want.Counted)
	}
	if q.Want.Person {
		filters = append(filters, "a person")
	}
	if len(filters) > 0 {
		fmt.Fprintf(&b, "Looking for: %s\n", strings.Join(filters, ", "))
	}
	if len(q.Expansions) > 0 {
		words := make([]string, 0, len(q.Expansions))
		for w := range q.Expansions {
			words = append(words, w)
		}
		slices.Sort(words)
		var parts []string
		for _, w := range words {
			parts = append(parts, w+"→"+strings.Join(q.Expansions[w], "/"))
		}
		fmt.Fprintf(&b, "Translated: %s\n", strings.Join(parts, " "))
	}
	if len(q.Missing) > 0 {
		fmt.Fprintf(&b, "Not in any report: %s\n", strings.Join(q.Missing, ", "))
	}
	if g := a.Grounding; g != nil && (g.Retried || g.FellBack || g.ProviderError || len(g.RemovedCitations) > 0) {
		fmt.Fprintf(&b, "Checks: removed citations %v, unsupported numbers %v, cited other years %v, cited the other period %v, retried %v, fell back %v, provider error %v\n",
			g.RemovedCitations, g.Unsupported, g.OtherYears, g.OtherPeriod, g.Retried, g.FellBack, g.ProviderError)
	}
	if a.VectorSearch != "" {
		fmt.Fprintf(&b, "Vector search: %s\n", vectorSearchLabel(a.VectorSearch))
	}
	b.WriteString("\nRetrieved (rerank · fused · vector rank · keyword rank · period weight):\n")
	for i, h := range a.Hits {
		fmt.Fprintf(&b, "%d. %.2f · %.4f · v%d · k%d · ×%.2f  %s ¶%d: %s\n", i+1, h.Rerank, h.Score, h.VectorRank, h.LexicalRank,
			h.PeriodWeight, h.Report.Title, h.Passage.Paragraph, query.TruncateRunes(h.Passage.Text, 40))
	}
	if len(a.Trace) > 0 {
		b.WriteString("\nBest evidence (score · coverage · type ok):\n")
		for _, t := range a.Trace {
			fmt.Fprintf(&b, "- %.2f · %.2f · %v  %s\n", t.Score, t.Coverage, t.TypeOK, query.TruncateRunes(t.Text, 60))
		}
	}
	return b.String()
}

// vectorSearchLabel names a vector search for people.
func vectorSearchLabel(name string) string {
	switch name {
	case string(index.VectorSearchChromem):
		return "chromem-go"
	case string(index.VectorSearchInt8):
		return "int8 matrix (quantized)"
	case "shared":
		return "the shared store's hybrid search"
	}
	return name
}

// CitationMarker matches [1], [1, 2], [1][2] style markers (also with
// full-width brackets), capturing the numbers.
var CitationMarker = regexp.MustCompile(`[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]`)
