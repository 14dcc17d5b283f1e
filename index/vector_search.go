package index

import (
	"context"
	"fmt"
	"strconv"
)

// VectorSearch selects what answers the vector half of an embedded index's
// hybrid search. Both search the same vectors, which the index file keeps
// at int8 precision: chromem-go holds them (as float32) in a collection
// with each passage's text and metadata and compares the query with every
// one; the int8 matrix scans them column by column, about 80 times faster
// at 100k passages. (Against the embedder's unquantized vectors, the
// matrix's top 50 holds 98.7% of the exact top 50; see README,
// Performance.)
type VectorSearch string

// Vector searches.
const (
	// VectorSearchAuto uses chromem-go below QuantizedFrom passages and the
	// int8 matrix from there on. It is the default.
	VectorSearchAuto VectorSearch = "auto"
	// VectorSearchChromem always queries the chromem-go collection.
	VectorSearchChromem VectorSearch = "chromem"
	// VectorSearchInt8 always scans the int8 matrix.
	VectorSearchInt8 VectorSearch = "int8"
)

// QuantizedFrom is the number of passages from which VectorSearchAuto
// scans the int8 matrix: chromem-go's exhaustive float32 query takes about
// 17 ms at 10k passages and 195 ms at 100k on a 2-core machine, the matrix
// 0.4 ms and 2.5 ms.
const QuantizedFrom = 50_000

// ParseVectorSearch reads a VectorSearch from its name; "" is auto.
func ParseVectorSearch(s string) (VectorSearch, error) {
	switch v := VectorSearch(s); v {
	case "":
		return VectorSearchAuto, nil
	case VectorSearchAuto, VectorSearchChromem, VectorSearchInt8:
		return v, nil
	}
	return "", fmt.Errorf("vector search %q: use auto, chromem or int8", s)
}

// SetVectorSearch selects what answers vector queries (the default is
// VectorSearchAuto). It must not be called concurrently with searches.
func (ix *Index) SetVectorSearch(v VectorSearch) { ix.search = v }

// VectorBackend is the search that answers this index's vector queries now:
// VectorSearchChromem or VectorSearchInt8 (never auto).
func (ix *Index) VectorBackend() VectorSearch {
	switch ix.search {
	case VectorSearchChromem, VectorSearchInt8:
		return ix.search
	}
	if ix.Len() >= QuantizedFrom {
		return VectorSearchInt8
	}
	return VectorSearchChromem
}

// metaReportID is the metadata key of a passage's report ID.
const metaReportID = "report_id"

// passageMetadata is what the chromem-go collection keeps with a passage's
// vector, usable in chromem-go's where filters.
func passageMetadata(p Passage) map[string]string {
	m := map[string]string{metaReportID: p.ReportID, "paragraph": strconv.Itoa(p.Paragraph)}
	if p.Period.Year != 0 {
		m["period_year"] = strconv.Itoa(p.Period.Year)
	}
	if p.Period.Kind != "" {
		m["period_kind"] = string(p.Period.Kind)
	}
	return m
}

// PrepareSearch builds now what the first search would otherwise build:
// the chromem-go collection, when it answers this index's vector queries
// (about 0.1 s at 7,000 passages). A long-running process calls it before
// taking questions; a one-question process need not.
func (ix *Index) PrepareSearch(ctx context.Context) error {
	return ix.backend.prepare(ctx, ix)
}

// VectorSearchName is what Answer.VectorSearch reports for this index.
func (ix *Index) VectorSearchName() string { return ix.backend.name(ix) }
