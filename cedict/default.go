package cedict

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"sync"
)

// cedictGz is the CC-CEDICT release described in the package documentation,
// gzipped, as written by scripts/fetch-cedict.sh.
//
//go:embed data/cedict.u8.gz
var cedictGz []byte

var defaultDict = sync.OnceValues(parseEmbedded)

// Default returns the dictionary embedded in the package (CC-CEDICT
// 2023-08-09, see the package documentation). The first call parses it,
// which takes a few hundred milliseconds and keeps some tens of megabytes;
// later calls return the same *Dict, or the same error.
func Default() (*Dict, error) {
	return defaultDict()
}

// parseEmbedded decompresses and parses the embedded dictionary. It
// decompresses in a second goroutine, so that on a multi-core machine
// decompression and parsing overlap.
func parseEmbedded() (*Dict, error) {
	zr, err := gzip.NewReader(bytes.NewReader(cedictGz))
	if err != nil {
		return nil, fmt.Errorf("open embedded cc-cedict: %w", err)
	}
	ra := newReadAhead(zr, 256<<10, 8)
	d, err := Parse(ra)
	ra.Close()
	if err != nil {
		return nil, fmt.Errorf("parse embedded cc-cedict: %w", err)
	}
	if d.Stats().Senses == 0 {
		return nil, errors.New("parse embedded cc-cedict: no entries")
	}
	return d, nil
}
