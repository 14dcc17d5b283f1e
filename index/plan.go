package index

import (
	"github.com/reportbot/reportbot/corpus"
)

// splitReports splits reports into passages, each with its embed key, in
// report order, on up to workers goroutines (see forChunks).
func splitReports(reports []corpus.Report, split corpus.SplitOptions, workers int) []Passage {
	parts := make([][]Passage, len(reports))
	forChunks(len(reports), 1, workers, func(i, _, _ int) {
		r := reports[i]
		ps := corpus.Split(r, split)
		r.Text = "" // the embed key reads the metadata only
		out := make([]Passage, len(ps))
		var buf []byte
		for k, p := range ps {
			var key string
			key, buf = appendEmbedKey(buf, r, p)
			out[k] = Passage{Passage: p, EmbedKey: key}
		}
		parts[i] = out
	})
	n := 0
	for _, ps := range parts {
		n += len(ps)
	}
	want := make([]Passage, 0, n)
	for i, ps := range parts {
		want = append(want, ps...)
		parts[i] = nil
	}
	return want
}
