package index

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unsafe"

	"github.com/reportbot/reportbot/corpus"
)

// appendEmbedText appends EmbedText(r, p) to dst: what indexing hashes
// for the embed key and tokenizes for the lexical index, written into a
// buffer that each goroutine reuses instead of a new string per passage
// and use (a million passages made four gigabytes of them).
// TestAppendEmbedText holds it to EmbedText.
func appendEmbedText(dst []byte, r corpus.Report, p corpus.Passage) []byte {
	dst = append(dst, r.Title...)
	if r.Year != 0 {
		year := strconv.AppendInt(dst[len(dst):], int64(r.Year), 10) // scratch past the end
		if !strings.Contains(r.Title, string(year)) {
			dst = append(dst, " ("...)
			dst = strconv.AppendInt(dst, int64(r.Year), 10)
			dst = append(dst, ')')
		}
	}
	for _, h := range p.HeadingPath {
		dst = append(dst, " › "...)
		dst = append(dst, h...)
	}
	dst = append(dst, '\n')
	return append(dst, p.Text...)
}

// appendEmbedKey is embedKey(r, p), with buf as scratch space (returned
// for reuse).
func appendEmbedKey(buf []byte, r corpus.Report, p corpus.Passage) (string, []byte) {
	buf = appendEmbedText(buf[:0], r, p)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:12]), buf
}

// batchTexts returns the embed texts of the passages want[batch], written
// one after the other into buf (returned for reuse): they are valid until
// buf is written again, for an embedder that keeps no reference to them
// (embed.IntoEmbedder).
func batchTexts(buf []byte, want []Passage, batch []int, reports map[string]corpus.Report) ([]string, []byte) {
	buf = buf[:0]
	ends := make([]int, len(batch))
	for k, i := range batch {
		buf = appendEmbedText(buf, reports[want[i].ReportID], want[i].Passage)
		ends[k] = len(buf)
	}
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	texts := make([]string, len(batch))
	from := 0
	for k, end := range ends {
		texts[k], from = all[from:end], end
	}
	return texts, buf
}
