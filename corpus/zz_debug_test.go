package corpus

import (
	"fmt"
	"testing"
)

func TestZZDebug(t *testing.T) {
	rs, ps, err := LoadFile(t.Context(), "testdata/formats/scan-page.pdf", LoadOptions{OCR: true})
	fmt.Println(err, ps)
	for _, r := range rs {
		fmt.Println(r.Title, r.Pages, r.OCRPages)
		fmt.Println(r.Text)
	}
}
