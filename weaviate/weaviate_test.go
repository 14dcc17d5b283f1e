package weaviate

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/index"
)

func TestFusionRanks(t *testing.T) {
	t.Parallel()
	// As Weaviate v1.35 writes it.
	explain := "\nHybrid (Result Set vector,hybridVector) Document 6f2c contributed 0.0078125 to the score\n" +
		"Hybrid (Result Set keyword,bm25) Document 6f2c contributed 0.008064516 to the score"
	lex, vec := fusionRanks(explain, 0.5, 0.5)
	if lex != 3 || vec != 5 {
		t.Errorf("fusionRanks = %d, %d; want 3, 5", lex, vec)
	}
	if lex, vec := fusionRanks("", 0.5, 0.5); lex != 0 || vec != 0 {
		t.Errorf("fusionRanks of nothing = %d, %d; want 0, 0", lex, vec)
	}
}

// TestPassagePropsRoundTrip checks that a passage survives the trip through
// Weaviate properties (as JSON numbers and arrays come back), its text cut
// back out of content whatever the header and the text hold.
func TestPassagePropsRoundTrip(t *testing.T) {
	t.Parallel()
	base := index.Passage{Passage: corpus.Passage{ID: "p1", ReportID: "r1", Paragraph: 4, Part: 2, Parts: 3,
		HeadingPath: []string{"二、2021年主要任务", "(一)稳就业"}, Period: corpus.Period{Year: 2021, Kind: corpus.PeriodTarget},
		Start: 10, End: 40, Text: "新增就业6万人以上。"}, EmbedKey: "abc"}
	tests := []struct {
		name, title, text string
		headings          []string
	}{
		{"plain", "某市2021年政府工作报告", base.Text, base.HeadingPath},
		{"text with newlines", "某市2021年政府工作报告", "第一行。\n第二行。\n", base.HeadingPath},
		{"newline in the title", "某市\n政府工作报告", base.Text, base.HeadingPath},
		{"empty text", "某市2021年政府工作报告", "", base.HeadingPath},
		{"no headings", "", base.Text, nil},
	}
	for _, tt := range tests {
		r := corpus.Report{ID: "r1", Title: tt.title, Year: 2021}
		p := base
		p.Text, p.HeadingPath = tt.text, tt.headings
		props := passageProps(r, p)
		if props[propContent] != index.EmbedText(r, p.Passage) {
			t.Errorf("%s: content = %q, want the embedded text", tt.name, props[propContent])
		}
		b, err := json.Marshal(props)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		got, rep := passageFromProps(back)
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%s: passage round trip:\n got %+v\nwant %+v", tt.name, got, p)
		}
		if rep.ID != r.ID || rep.Title != r.Title || rep.Year != r.Year {
			t.Errorf("%s: report fields: got %+v", tt.name, rep)
		}
	}
	id, again := PassageUUID("p1"), PassageUUID(strings.Clone("p1"))
	if u, err := uuid.Parse(id); err != nil || u.Version() != 5 || id != again || id == PassageUUID("p2") {
		t.Errorf("PassageUUID(p1) = %q, %q (err %v): want one name-based UUID per passage ID", id, again, err)
	}
}

// TestPassageClassIndexes: only content is BM25-searchable, only the
// filtered properties have roaring sets, and text is stored once (format 3).
func TestPassageClassIndexes(t *testing.T) {
	t.Parallel()
	st, err := NewStore(Options{URLs: []string{"http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	wantFilterable := map[string]bool{propReportID: true, propPeriodYear: true, propPeriodKind: true}
	for _, p := range st.passageClass().Properties {
		if p.Name == "text" {
			t.Errorf("property text: the passage text is stored once, in content")
		}
		if got := p.IndexSearchable != nil && *p.IndexSearchable; got != (p.Name == propContent) {
			t.Errorf("%s: indexSearchable = %v", p.Name, got)
		}
		if got := p.IndexFilterable != nil && *p.IndexFilterable; got != wantFilterable[p.Name] {
			t.Errorf("%s: indexFilterable = %v, want %v", p.Name, got, wantFilterable[p.Name])
		}
		if p.IndexRangeFilters != nil && *p.IndexRangeFilters {
			t.Errorf("%s: indexRangeFilters on", p.Name)
		}
	}
}

// TestCheckFormat: collections of a newer layout, or older than this
// reportbot reads, are refused with the command to run (issue 15, item
// 10); those written before formats were recorded read as format 1.
func TestCheckFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		stored, min, cur int
		want             error
		command          string
	}{
		{"before formats were recorded", 0, 1, 2, nil, ""},
		{"format 1", 1, 1, 2, nil, ""},
		{"current", 2, 1, 2, nil, ""},
		{"newer", 3, 1, 2, index.ErrNewerFormat, "upgrade reportbot, or run `reportbot index --rebuild`"},
		{"older than read", 1, 2, 3, ErrOlderFormat, "run `reportbot index`"},
		{"unrecorded, older than read", 0, 2, 3, ErrOlderFormat, "run `reportbot index`"},
		{"format 2 (text stored twice, every index) today", 2, minCollectionFormat, CollectionFormat, ErrOlderFormat, "run `reportbot index`"},
		{"current today", CollectionFormat, minCollectionFormat, CollectionFormat, nil, ""},
	}
	for _, tt := range tests {
		err := checkFormat("ReportbotPassages", tt.stored, tt.min, tt.cur)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) || !strings.Contains(fmt.Sprint(err), tt.command) {
			t.Errorf("%s: checkFormat = %v, want %v saying %q", tt.name, err, tt.want, tt.command)
		}
	}
	if CollectionFormat < minCollectionFormat {
		t.Errorf("CollectionFormat %d below minCollectionFormat %d", CollectionFormat, minCollectionFormat)
	}
}

// TestVectorIndexConfig: the vector index type and its settings as
// Weaviate reads them (the HNSW graph compressed to 8 bits unless the
// options or the HNSW settings say otherwise; a flat index exact), and an
// unknown type or compression refused by NewStore.
func TestVectorIndexConfig(t *testing.T) {
	t.Parallel()
	rq8 := map[string]any{"enabled": true, "bits": 8}
	tests := []struct {
		index, compression string
		hnsw               map[string]any
		wantType           string
		want               map[string]any
	}{
		{"", "", map[string]any{"efConstruction": 64}, VectorIndexHNSW,
			map[string]any{"distance": "cosine", "efConstruction": 64, "rq": rq8}},
		{"", CompressionNone, nil, VectorIndexHNSW, map[string]any{"distance": "cosine", "skipDefaultQuantization": true}},
		{"", CompressionRQ8, map[string]any{"bq": map[string]any{"enabled": true}}, VectorIndexHNSW,
			map[string]any{"distance": "cosine", "bq": map[string]any{"enabled": true}}},
		{"", CompressionNone, map[string]any{"rq": map[string]any{"enabled": true, "bits": 1}}, VectorIndexHNSW,
			map[string]any{"distance": "cosine", "rq": map[string]any{"enabled": true, "bits": 1}}},
		{VectorIndexFlat, "", nil, VectorIndexFlat, map[string]any{"distance": "cosine"}},
		{VectorIndexDynamic, "", map[string]any{"efConstruction": 64}, VectorIndexDynamic, map[string]any{"distance": "cosine", "threshold": DynamicThreshold,
			"hnsw": map[string]any{"distance": "cosine", "efConstruction": 64, "rq": rq8}, "flat": map[string]any{"distance": "cosine"}}},
	}
	for _, tt := range tests {
		st, err := NewStore(Options{URLs: []string{"http://127.0.0.1:1"}, VectorIndex: tt.index, Compression: tt.compression, HNSW: tt.hnsw})
		if err != nil {
			t.Fatal(err)
		}
		c := st.passageClass()
		if c.VectorIndexType != tt.wantType || !reflect.DeepEqual(c.VectorIndexConfig, tt.want) {
			t.Errorf("VectorIndex %q, Compression %q, HNSW %v: got %s %v, want %s %v", tt.index, tt.compression, tt.hnsw,
				c.VectorIndexType, c.VectorIndexConfig, tt.wantType, tt.want)
		}
	}
	for _, o := range []Options{{VectorIndex: "ivf"}, {Compression: "pq"}} {
		o.URLs = []string{"http://127.0.0.1:1"}
		bad := o.VectorIndex + o.Compression
		if _, err := NewStore(o); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%+v: got %v, want an error naming %s", o, err, bad)
		}
	}
}
