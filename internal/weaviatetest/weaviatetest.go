// Package weaviatetest runs real weaviate-server processes on loopback for
// integration tests, through scripts/weaviate.sh (the same recipe as the
// README and CI), the way net/http/httptest runs HTTP servers.
package weaviatetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BinEnv names the environment variable that points integration tests at a
// weaviate-server binary (scripts/weaviate.sh install builds it; .ci/run
// sets it).
const BinEnv = "REPORTBOT_WEAVIATE_BIN"

// Bin returns the weaviate-server binary named by BinEnv, or skips the test
// when it is unset or in -short mode. Only tests call it.
func Bin(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(BinEnv)
	if bin == "" {
		t.Skip("set " + BinEnv + " to a weaviate-server binary (scripts/weaviate.sh install) to run")
	}
	if testing.Short() {
		t.Skip("integration test: not in -short mode")
	}
	return bin
}

// Cluster is a set of weaviate-server nodes started in one directory.
type Cluster struct {
	// URLs are the nodes' HTTP endpoints, node 0 first.
	URLs []string
	// Dir holds the nodes' data, logs and pid files.
	Dir    string
	bin    string
	script string
}

// Start starts nodes weaviate-server processes (binary bin) on free loopback
// ports and stops them when the test ends. Node logs are printed when the
// test fails.
func Start(t testing.TB, bin string, nodes int) *Cluster {
	t.Helper()
	script, err := findScript()
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{bin: bin, script: script}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out string
	for try := 1; ; try++ {
		c.Dir = t.TempDir()
		base, ferr := freeBase(10 * nodes)
		if ferr != nil {
			t.Fatal(ferr)
		}
		out, err = c.run(ctx, "start", c.Dir, fmt.Sprint(nodes), fmt.Sprint(base))
		if err == nil || try == 3 || !strings.Contains(out, "address already in use") {
			break
		}
		// Another process bound one of the ports between freeBase and
		// the server's start: stop what started and take other ports.
		t.Logf("weaviate start (try %d): a port was taken meanwhile; retrying on other ports", try)
		if sout, serr := c.run(ctx, "stop", c.Dir); serr != nil {
			t.Fatalf("stop weaviate after a failed start: %v\n%s", serr, sout)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			c.dumpLogs(t)
		}
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if out, err := c.run(sctx, "stop", c.Dir); err != nil {
			t.Errorf("stop weaviate: %v\n%s", err, out)
		}
	})
	if err != nil {
		t.Fatalf("start %d weaviate node(s): %v\n%s", nodes, err, out)
	}
	c.URLs = strings.Fields(out)
	if len(c.URLs) != nodes {
		t.Fatalf("weaviate.sh start printed %q, want %d URLs", out, nodes)
	}
	return c
}

// Kill kills node i with SIGKILL, as a crash would.
func (c *Cluster) Kill(i int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := c.run(ctx, "kill", c.Dir, fmt.Sprint(i))
	if err != nil {
		return fmt.Errorf("kill node %d: %w: %s", i, err, out)
	}
	return nil
}

func (c *Cluster) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "bash", append([]string{c.script}, args...)...)
	cmd.Env = append(os.Environ(), "WEAVIATE_BIN="+c.bin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

func (c *Cluster) dumpLogs(t testing.TB) {
	logs, _ := filepath.Glob(filepath.Join(c.Dir, "node*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		t.Logf("--- %s (tail)\n%s", l, b)
	}
}

// findScript locates scripts/weaviate.sh from the working directory up to
// the module root.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "scripts", "weaviate.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("scripts/weaviate.sh not found above the working directory")
		}
		dir = parent
	}
}

// freeBase finds a port p such that p .. p+n-1 are all free on every
// interface (weaviate's gRPC listener binds them all), p+n-1 < 32768.
func freeBase(n int) (int, error) {
	for range 50 {
		// Below the kernel's ephemeral range (32768 and up), so that no
		// connection or httptest server of a test running meanwhile can be
		// given one of these ports.
		base := 20000 + 10*rand.IntN(1200)
		ok := true
		var ls []net.Listener
		for p := base; p < base+n && ok; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
			if err != nil {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if ok {
			return base, nil
		}
	}
	return 0, errors.New("no free port range found")
}
