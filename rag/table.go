package rag

import (
	"slices"
	"time"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/index"
	"github.com/reportbot/reportbot/query"
)

// askTable answers a question asking for several figures of one indicator
// at once (query.Tabulate: a series of years, a comparison of places, a
// target against its result) with a table built from the facts
// (answer.ComposeTable), and reports whether it did. The table is the
// answer in either mode: its rows are the facts themselves, each cited,
// which a model could only restate. When the facts give no row, the
// question is answered as any other.
func (e *Engine) askTable(a *answer.Answer, q query.Query, hits []index.Hit, opt query.AskOptions, start, retrieved time.Time) bool {
	ask := query.Tabulate(q)
	if ask.Shape == query.NoTable {
		return false
	}
	filter := e.placeFilter(q)
	if ask.Shape == query.PlacesTable && ask.AllPlaces {
		filter = index.Filter{} // every place's report may give a row
	}
	in := answer.TableInput{
		Ask:     ask,
		Cands:   e.ix.FactsAbout(q.IndicatorIDs(), filter),
		Hits:    hits,
		Places:  e.places.get(e.ix),
		Reports: slices.Collect(e.ix.AllReports()),
	}
	if !answer.ComposeTable(a, in) {
		return false
	}
	if opt.OnDelta != nil {
		opt.OnDelta(a.Text)
	}
	a.Timings = answer.Timings{Retrieve: retrieved.Sub(start), Answer: time.Since(retrieved), Total: time.Since(start)}
	e.log.Debug("answered with a table", "shape", ask.Shape, "rows", len(a.Table.Rows), "latency", a.Timings.Total)
	return true
}
