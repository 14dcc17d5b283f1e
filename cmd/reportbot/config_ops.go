package main

import (
	"fmt"
	"net"
)

// opsConfig is the operations endpoint of serve: /healthz and /metrics.
type opsConfig struct {
	// Listen is the address of the /healthz and /metrics server, e.g.
	// 127.0.0.1:9464; empty turns it off.
	Listen string `yaml:"listen"`
}

func (c config) validateOps() error {
	if c.Ops.Listen == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(c.Ops.Listen); err != nil || port == "" {
		return fmt.Errorf("ops.listen is %q: use host:port, e.g. 127.0.0.1:9464 (keep it on a local or internal address), or \"\" to turn it off", c.Ops.Listen)
	}
	return nil
}
