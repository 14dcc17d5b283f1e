//go:build !unix

package index

import "os"

// mapFile is not available here: the caller reads the sections instead.
func mapFile(*os.File, int64) ([]byte, func(), error) { return nil, nil, errNoMap }
