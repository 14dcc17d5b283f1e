package sharedtest

import (
	"testing"

	"github.com/reportbot/reportbot/index"
)

func TestMemConforms(t *testing.T) {
	t.Parallel()
	Run(t, func(*testing.T) index.SharedStore { return NewMem() })
}
