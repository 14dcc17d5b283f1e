package corpus

import "embed"

// bundled holds the seed reports shipped with the binary.
//
//go:embed reports
var bundled embed.FS

// Default returns the bundled reports embedded from corpus/reports/, loaded
// with default options. Problems list bundled files that could not be used.
func Default() ([]Report, []Problem, error) {
	return Load(bundled, "reports", LoadOptions{})
}
