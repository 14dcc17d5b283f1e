package index

import (
	"os"
	"testing"

	"github.com/reportbot/reportbot/embed"
)

func BenchmarkZZLex1M(b *testing.B) {
	dir := os.Getenv("ZZPROF")
	if dir == "" {
		b.Skip()
	}
	emb, _ := embed.NewHash(512)
	ix, err := Open(dir, emb)
	if err != nil {
		b.Fatal(err)
	}
	qs := []string{"2018年国内生产总值增长目标是多少?", "2018年扎实推进乡村振兴有哪些安排?", "2006年安排中央财政赤字目标是多少?", "城镇新增就业多少万人"}
	for _, q := range qs {
		ix.lex.Search(queryTerms(q), 50)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range qs {
			ix.lex.Search(queryTerms(q), 50)
		}
	}
}
