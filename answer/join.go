package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var digitsRun = regexp.MustCompile(`\d+`)

// Join makes one answer of the answers to the parts of a question
// (query.SplitParts): each part's question, then its answer, its citation
// markers renumbered to follow the previous parts'. The joined answer is
// "not found" only when every part is.
func Join(question string, parts []*Answer) *Answer {
	if len(parts) == 1 {
		return parts[0]
	}
	j := &Answer{Question: question, Query: parts[0].Query, NotFound: true, Mode: parts[0].Mode, VectorSearch: parts[0].VectorSearch}
	var b strings.Builder
	seen := map[string]bool{}
	for i, p := range parts {
		offset := len(j.Citations)
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "(%d) %s\n%s", i+1, p.Question, renumber(p.Text, offset))
		for _, c := range p.Citations {
			c.N += offset
			j.Citations = append(j.Citations, c)
		}
		if !p.NotFound {
			j.NotFound = false
		}
		if p.Mode != "extractive" {
			j.Mode = p.Mode
		}
		if p.Notice != "" {
			AddNotice(j, p.Notice)
		}
		j.Facts = append(j.Facts, p.Facts...)
		j.Trace = append(j.Trace, p.Trace...)
		for _, h := range p.Hits {
			if !seen[h.Passage.ID] {
				seen[h.Passage.ID] = true
				j.Hits = append(j.Hits, h)
			}
		}
		j.Timings.Retrieve += p.Timings.Retrieve
		j.Timings.Answer += p.Timings.Answer
		j.Timings.Total += p.Timings.Total
		if p.Grounding != nil && j.Grounding == nil {
			j.Grounding = p.Grounding
		}
	}
	j.Text = b.String()
	if j.NotFound {
		for _, p := range parts {
			j.Closest = append(j.Closest, p.Closest...)
		}
		for i := range j.Closest {
			j.Closest[i].N = i + 1
		}
	}
	return j
}

// renumber adds offset to every citation marker of text ([1] → [3]).
func renumber(text string, offset int) string {
	if offset == 0 {
		return text
	}
	return CitationMarker.ReplaceAllStringFunc(text, func(m string) string {
		return digitsRun.ReplaceAllStringFunc(m, func(d string) string {
			n, err := strconv.Atoi(d)
			if err != nil {
				return d
			}
			return strconv.Itoa(n + offset)
		})
	})
}
