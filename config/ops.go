package config

import (
	"fmt"
	"net"
)

// Ops is the ops: section, the operations endpoint of serve: /healthz and
// /metrics.
type Ops struct {
	// Listen is the address of the /healthz and /metrics server, e.g.
	// 127.0.0.1:9464; empty turns it off.
	Listen string `yaml:"listen"`
}

func (o Ops) validate() error {
	if o.Listen == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(o.Listen); err != nil || port == "" {
		return fmt.Errorf("ops.listen is %q: use host:port, e.g. 127.0.0.1:9464 (keep it on a local or internal address), or \"\" to turn it off", o.Listen)
	}
	return nil
}
