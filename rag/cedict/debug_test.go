package cedict

import (
	"fmt"
	"testing"
	"time"
)

func TestDebugDump(t *testing.T) {
	start := time.Now()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("parse", time.Since(start), d.Stats())
	for _, w := range []string{"employment", "target", "tech", "technology", "enterprise", "elderly", "head", "government", "district", "expected", "grow", "village", "kindergarten", "sewage", "foreign capital", "canteen", "foreign investment", "sewage treatment"} {
		c := d.Lookup(w)
		fmt.Printf("== %s (%d)\n", w, len(c))
		for i, x := range c {
			if i == 10 {
				break
			}
			fmt.Printf("  %.1f %s %v | %s\n", x.Match, x.Simplified, comp(d, x.Simplified), x.Gloss)
		}
	}
}

func comp(d *Dict, s string) []int32 {
	for _, h := range d.heads {
		if d.str(h.simplified) == s {
			return []int32{h.compounds, h.rarestChar}
		}
	}
	return nil
}
