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
	"slices"
	"strconv"
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
	env    []string
}

// Start starts nodes weaviate-server processes (binary bin) on free loopback
// ports, with env (NAME=value settings of scripts/weaviate.sh) added to
// their environment, and stops them when the test ends. Node logs are
// printed when the test fails.
func Start(t testing.TB, bin string, nodes int, env ...string) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := Launch(ctx, bin, nodes, t.TempDir, env)
	if c != nil {
		t.Cleanup(func() {
			if t.Failed() {
				c.dumpLogs(t)
			}
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := c.Stop(sctx); err != nil {
				t.Errorf("stop weaviate: %v", err)
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Launch starts nodes weaviate-server processes (binary bin) on free
// loopback ports, in a directory made by mkdir, with env ("KEY=value",
// e.g. WEAVIATE_ASYNC_INDEXING=true, see scripts/weaviate.sh) added to the
// script's environment. The caller stops them with Stop, also when Launch
// returns an error with a non-nil Cluster; should this process exit
// without, the nodes stop soon after it (WEAVIATE_STOP_WITH). The bench
// uses it outside tests.
func Launch(ctx context.Context, bin string, nodes int, mkdir func() string, env []string) (*Cluster, error) {
	script, err := findScript()
	if err != nil {
		return nil, err
	}
	env = append(slices.Clone(env), fmt.Sprintf("WEAVIATE_STOP_WITH=%d", os.Getpid()))
	c := &Cluster{bin: bin, script: script, env: env}
	var out string
	for try := 1; ; try++ {
		c.Dir = mkdir()
		base, ferr := freeBase(10 * nodes)
		if ferr != nil {
			return nil, ferr
		}
		out, err = c.run(ctx, "start", c.Dir, fmt.Sprint(nodes), fmt.Sprint(base))
		if err == nil || try == 3 || !strings.Contains(out, "address already in use") {
			break
		}
		// Another process bound one of the ports between freeBase and
		// the server's start: stop what started and take other ports.
		if sout, serr := c.run(ctx, "stop", c.Dir); serr != nil {
			return nil, fmt.Errorf("stop weaviate after a failed start: %w\n%s", serr, sout)
		}
	}
	if err != nil {
		return c, fmt.Errorf("start %d weaviate node(s): %w\n%s", nodes, err, out)
	}
	c.URLs = strings.Fields(out)
	if len(c.URLs) != nodes {
		return c, fmt.Errorf("weaviate.sh start printed %q, want %d URLs", out, nodes)
	}
	return c, nil
}

// GRPCHosts are the nodes' gRPC endpoints ("127.0.0.1:port"), node 0
// first: scripts/weaviate.sh puts each node's gRPC port one above its HTTP
// port.
func (c *Cluster) GRPCHosts() []string {
	out := make([]string, 0, len(c.URLs))
	for _, u := range c.URLs {
		host, port, _ := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://"))
		p, _ := strconv.Atoi(port)
		out = append(out, net.JoinHostPort(host, strconv.Itoa(p+1)))
	}
	return out
}

// Stop stops every node (SIGTERM, then SIGKILL after 30 s).
func (c *Cluster) Stop(ctx context.Context) error {
	if out, err := c.run(ctx, "stop", c.Dir); err != nil {
		return fmt.Errorf("stop weaviate: %w\n%s", err, out)
	}
	return nil
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
	cmd.Env = append(append(os.Environ(), "WEAVIATE_BIN="+c.bin), c.env...)
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

// CPU is the CPU time (user and system) the running nodes have used so far,
// from /proc (Linux only): on a shared machine it says what the work cost,
// where wall time says how much CPU the other work left.
func (c *Cluster) CPU() (time.Duration, error) {
	pids, _ := filepath.Glob(filepath.Join(c.Dir, "node*.pid"))
	var total time.Duration
	for _, f := range pids {
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		d, err := ProcCPU(pid)
		if err != nil {
			return 0, err
		}
		total += d
	}
	return total, nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times (100 on every
// Linux architecture Go supports).
const clockTicks = 100

// ProcCPU is the CPU time (user and system) process pid has used, from
// /proc/PID/stat (Linux only).
func ProcCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: fields count from its ')'.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(fields[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}
