package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/reportbot/reportbot/internal/safetext"
)

// jsonlRecord is one line of a JSONL corpus. Other fields are ignored.
type jsonlRecord struct {
	Title   string          `json:"title"`
	URL     string          `json:"url"`
	Content *string         `json:"content"`
	Year    json.RawMessage `json:"year"`
}

// jsonl loads the reports of the JSONL file p, one per non-blank line. A
// line that is not a JSON object with a string content, or has a bad year,
// is a Problem; the other lines still load. Lines are decoded and cleaned
// on GOMAXPROCS goroutines and added in order.
func (l *loader) jsonl(p, text string) {
	stem := slug(l.rel(p))
	lines := strings.Split(text, "\n")
	inOrder(len(lines), runtime.GOMAXPROCS(0), jsonlWindow, func(i int) jsonlLine {
		line := strings.TrimSpace(lines[i])
		if line == "" {
			return jsonlLine{blank: true}
		}
		rec, year, err := parseJSONLine(line)
		if err != nil {
			return jsonlLine{err: err}
		}
		// The title and URL are printed on one line each: no line
		// breaks, escape sequences or bidirectional controls.
		rec.Title, rec.URL = strings.TrimSpace(safetext.Line(rec.Title)), strings.TrimSpace(safetext.Line(rec.URL))
		return jsonlLine{rec: rec, year: year, c: prepare(clean(*rec.Content, rec.Title))}
	}, func(i int, x jsonlLine) {
		if x.blank {
			return
		}
		src := p + ":" + strconv.Itoa(i+1)
		if x.err != nil {
			l.problem(src, x.err)
			return
		}
		rec, c := x.rec, x.c
		r := Report{
			Title:         firstNonEmpty(strings.TrimSpace(rec.Title), c.title),
			Publisher:     c.publisher,
			PublishDate:   c.date,
			Source:        src,
			URL:           strings.TrimSpace(rec.URL),
			TitleFromText: true,
		}
		if r.Title == "" {
			r.Title, r.TitleFromText = path0(stem)+" "+strconv.Itoa(i+1), false
		}
		r.Year = firstYear(r.TitleFromText, r.Title, c.title, x.year)
		sum := sha256.Sum256([]byte(rec.Title + rec.URL))
		l.addPrepared(r, c, stem+"-"+hex.EncodeToString(sum[:])[:8], "")
	})
}

// jsonlWindow is how many lines of a JSONL file are decoded and cleaned
// ahead of the one being added: a few per goroutine keep the goroutines
// busy when one line is a long report, and bound the cleaned text held at
// once to a few reports (a report of the national corpus is 50 KB). Not
// tuned: loading is a tenth of indexing's CPU time at 100k passages.
const jsonlWindow = 16

// jsonlLine is one line of a JSONL file, decoded and cleaned.
type jsonlLine struct {
	blank bool
	err   error
	rec   jsonlRecord
	year  int
	c     prepared
}

// path0 returns the last element of a slash-separated ID.
func path0(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// parseJSONLine decodes one JSONL line and its year.
func parseJSONLine(line string) (jsonlRecord, int, error) {
	var rec jsonlRecord
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		return rec, 0, fmt.Errorf("%w: %w", ErrJSONL, err)
	}
	if rec.Content == nil {
		return rec, 0, fmt.Errorf("%w: no \"content\" string", ErrJSONL)
	}
	year, err := jsonYear(rec.Year)
	if err != nil {
		return rec, 0, fmt.Errorf("%w: %w", ErrJSONL, err)
	}
	return rec, year, nil
}

// jsonYear decodes a year given as a number, a string ("2018", "2018年"),
// null or "" (unknown).
func jsonYear(raw json.RawMessage) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("year: %w", err)
		}
		if strings.TrimSpace(s) == "" {
			return 0, nil
		}
	} else {
		s = string(raw)
	}
	return parseYear(s)
}
