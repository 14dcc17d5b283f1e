package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/eval"
)

// runStatus runs reportbot with args as main does: it returns stdout, all
// of stderr (run's, then exitStatus's) and the exit status.
func runStatus(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	out, errOut, err := runCmd(t, args...)
	var b strings.Builder
	status = exitStatus(err, &b)
	return out, errOut + b.String(), status
}

func overviewText() string {
	var b strings.Builder
	overview(&b)
	return b.String()
}

func TestHelpOverview(t *testing.T) {
	t.Parallel()
	want := overviewText()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"-help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			out, stderr, status := runStatus(t, args...)
			if out != want || stderr != "" || status != 0 {
				t.Errorf("reportbot %q: status %d, stdout:\n%s\nstderr:\n%s\nwant status 0 and the overview on stdout", args, status, out, stderr)
			}
		})
	}
	for _, c := range commands {
		listed := strings.Contains(want, "\n  "+c.name+" ")
		if listed == c.hidden {
			t.Errorf("overview lists %s: %v, want %v:\n%s", c.name, listed, !c.hidden, want)
		}
	}
}

// TestCommandHelp checks that `reportbot help CMD` and `reportbot CMD -h`
// (--help, -help, and -h after other arguments) print the same help on
// stdout and exit 0: a one-line summary, a usage line, then the flags.
func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			want, stderr, status := runStatus(t, "help", c.name)
			if status != 0 || stderr != "" {
				t.Fatalf("reportbot help %s: status %d, stderr %q; want 0 and nothing", c.name, status, stderr)
			}
			lines := strings.Split(want, "\n")
			summary := strings.ToUpper(c.help.summary[:1]) + c.help.summary[1:] + "."
			if len(lines) < 3 || lines[0] != summary || lines[1] != "" || !strings.HasPrefix(lines[2], "usage: ") {
				t.Errorf("reportbot help %s:\n%s\nwant %q, a blank line, then usage: ...", c.name, want, summary)
			}
			if hasFlags := strings.Contains(want, "\nFlags:\n"); hasFlags != (c.name != "version" && c.name != "help" && c.name != "bench") {
				t.Errorf("reportbot help %s: has flags %v:\n%s", c.name, hasFlags, want)
			}
			if c.name == "help" {
				return // help -h is help's help too, and `help help -h` as well
			}
			for _, args := range [][]string{{"-h"}, {"--help"}, {"-help"}, {"some", "--help", "--json"}} {
				out, stderr, status := runStatus(t, append([]string{c.name}, args...)...)
				if out != want || stderr != "" || status != 0 {
					t.Errorf("reportbot %s %q: status %d, stderr %q, stdout:\n%s\nwant status 0 and the output of help %s:\n%s", c.name, args, status, stderr, out, c.name, want)
				}
			}
		})
	}
	for _, c := range []struct{ args, same []string }{
		{[]string{"-h", "ask"}, []string{"ask", "-h"}},
		{[]string{"help", "help"}, []string{"help", "-h"}},
		{[]string{"ask", "2018年新增就业目标是多少?", "--json", "-h"}, []string{"ask", "-h"}},
	} {
		got, _, status := runStatus(t, c.args...)
		want, _, _ := runStatus(t, c.same...)
		if got != want || status != 0 {
			t.Errorf("reportbot %q: status %d:\n%s\nwant 0 and the output of %q:\n%s", c.args, status, got, c.same, want)
		}
	}
}

// TestUsageErrors checks that mistakes in the command line exit with
// status 2 and print one line saying what is wrong and one pointing to the
// help, nothing on stdout.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	const (
		hint    = "Run 'reportbot help' for usage."
		askHint = "Run 'reportbot help ask' for usage."
	)
	tests := []struct {
		args       []string
		line, hint string
	}{
		{[]string{"nosuch"}, `reportbot: unknown command "nosuch"`, hint},
		{[]string{"--json", "ask"}, "reportbot: unknown flag --json (flags come after the command)", hint},
		{[]string{"help", "nosuch"}, `reportbot help: unknown command "nosuch"`, hint},
		{[]string{"help", "ask", "eval"}, "reportbot help: give one command, not 2", hint},
		{[]string{"help", "--jsn"}, "reportbot help: unknown flag --jsn", hint},
		{[]string{"ask"}, "reportbot ask: missing question", askHint},
		{[]string{"ask", "--json"}, "reportbot ask: missing question", askHint},
		{[]string{"ask", "--jsn", "q"}, "reportbot ask: unknown flag --jsn", askHint},
		{[]string{"ask", "q", "-jsn"}, "reportbot ask: unknown flag -jsn", askHint},
		{[]string{"ask", "q", "--jsn=true"}, "reportbot ask: unknown flag --jsn", askHint},
		{[]string{"ask", "q", "--config"}, "reportbot ask: flag needs an argument: -config", askHint},
		{[]string{"ask", "--json=maybe", "q"}, `reportbot ask: invalid boolean value "maybe" for -json: parse error`, askHint},
		{[]string{"ask", "   "}, "reportbot ask: the question is empty", askHint},
		{[]string{"ask", strings.Repeat("问", 1001)}, "reportbot ask: the question is longer than 1000 characters", askHint},
		{[]string{"eval"}, "reportbot eval: give one of --questions FILE, --derive N and --set QUESTIONS[:CORPUS]", "Run 'reportbot help eval' for usage."},
		{[]string{"eval", "--questions", "q.jsonl", "--derive", "3"}, "reportbot eval: give one of --questions FILE, --derive N and --set QUESTIONS[:CORPUS]", "Run 'reportbot help eval' for usage."},
		{[]string{"eval", "--derive", "x"}, `reportbot eval: invalid value "x" for flag -derive: parse error`, "Run 'reportbot help eval' for usage."},
		{[]string{"eval", "--derive", "3", "extra"}, `reportbot eval: unexpected argument "extra"`, "Run 'reportbot help eval' for usage."},
		{[]string{"index", "extra"}, `reportbot index: unexpected argument "extra"`, "Run 'reportbot help index' for usage."},
		{[]string{"reports", "--data", "d", "extra"}, `reportbot reports: unexpected argument "extra"`, "Run 'reportbot help reports' for usage."},
		{[]string{"serve", "extra"}, `reportbot serve: unexpected argument "extra"`, "Run 'reportbot help serve' for usage."},
		{[]string{"version", "extra"}, `reportbot version: unexpected argument "extra"`, "Run 'reportbot help version' for usage."},
		{[]string{"--version", "--json"}, "reportbot version: unknown flag --json", "Run 'reportbot help version' for usage."},
		{[]string{"bench"}, "reportbot bench: moved to its own command: go run ./cmd/reportbench [flags]", "Run 'reportbot help bench' for usage."},
		{[]string{"bench", "--sizes", "1000"}, "reportbot bench: moved to its own command: go run ./cmd/reportbench [flags]", "Run 'reportbot help bench' for usage."},
	}
	for _, tt := range tests {
		t.Run(argsName(tt.args), func(t *testing.T) {
			t.Parallel()
			out, stderr, status := runStatus(t, tt.args...)
			if want := tt.line + "\n" + tt.hint + "\n"; stderr != want || out != "" || status != 2 {
				t.Errorf("reportbot %q: status %d, stdout %q, stderr:\n%s\nwant status 2, no stdout, stderr:\n%s", tt.args, status, out, stderr, want)
			}
		})
	}
}

func TestNoCommand(t *testing.T) {
	t.Parallel()
	out, stderr, status := runStatus(t)
	if out != "" || stderr != overviewText() || status != 2 {
		t.Errorf("reportbot: status %d, stdout %q, stderr:\n%s\nwant status 2 and the overview on stderr", status, out, stderr)
	}
}

func TestExitStatus(t *testing.T) {
	t.Parallel()
	ask := &usageError{cmd: "ask", err: errors.New("missing question")}
	tests := []struct {
		name   string
		err    error
		status int
		stderr string
	}{
		{"nil", nil, 0, ""},
		{"runtime", errors.New("config: open x.yaml: no such file"), 1, "reportbot: config: open x.yaml: no such file\n"},
		{"canceled", fmt.Errorf("index: %w", context.Canceled), 1, "reportbot: index: context canceled\n"},
		{"usage", ask, 2, "reportbot ask: missing question\nRun 'reportbot help ask' for usage.\n"},
		{"wrapped usage", fmt.Errorf("outer: %w", ask), 2, "reportbot ask: missing question\nRun 'reportbot help ask' for usage.\n"},
		{"reportbot usage", usageErrorf("", "unknown command %q", "x"), 2, "reportbot: unknown command \"x\"\nRun 'reportbot help' for usage.\n"},
		{"help usage", usageErrorf("help", "unknown command %q", "x"), 2, "reportbot help: unknown command \"x\"\nRun 'reportbot help' for usage.\n"},
		{"no command", &usageError{err: errNoCommand}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			if status := exitStatus(tt.err, &b); status != tt.status || b.String() != tt.stderr {
				t.Errorf("exitStatus(%v) = %d, stderr %q; want %d, %q", tt.err, status, b.String(), tt.status, tt.stderr)
			}
		})
	}
	if !errors.Is(ask, ask.err) {
		t.Error("a usage error does not unwrap to its cause")
	}
}

// TestExitStatusChild runs reportbot's main in a child process and checks
// the real exit statuses.
func TestExitStatusChild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		args   []string
		status int
		stdout string // a line of stdout
		stderr string // a line of stderr
	}{
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"ask", "-h"}, 0, "usage: reportbot ask [flags] question", ""},
		{[]string{"version"}, 0, "go:       " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, ""},
		{nil, 2, "", "Commands:"},
		{[]string{"nosuch"}, 2, "", "Run 'reportbot help' for usage."},
		{[]string{"ask", "--jsn", "q"}, 2, "", "reportbot ask: unknown flag --jsn"},
		{[]string{"bench"}, 2, "", "reportbot bench: moved to its own command: go run ./cmd/reportbench [flags]"},
		{[]string{"ask", "--config", filepath.Join(dir, "none.yaml"), "q"}, 1, "", "reportbot: config: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], tt.args...)
			cmd.Env = append(os.Environ(), childEnv+"=1", "XDG_CACHE_HOME="+dir)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			status := 0
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tt.status || !hasLine(stdout.String(), tt.stdout) || !hasLine(stderr.String(), tt.stderr) {
				t.Errorf("reportbot %q: exit status %d, stdout:\n%s\nstderr:\n%s\nwant status %d, stdout line %q, stderr line %q",
					tt.args, status, stdout.String(), stderr.String(), tt.status, tt.stdout, tt.stderr)
			}
		})
	}
}

// argsName names a subtest after its arguments, cut to 40 characters.
func argsName(args []string) string {
	r := []rune(strings.Join(args, " "))
	return string(r[:min(len(r), 40)])
}

// hasLine reports whether s has line as one of its lines, or s is empty
// when line is.
func hasLine(s, line string) bool {
	if line == "" {
		return s == ""
	}
	return slices.Contains(strings.Split(s, "\n"), line)
}

// TestParseArgs checks interspersed flags: flags may follow positional
// arguments, and "--" ends them.
func TestParseArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		pos    []string
		config string
		json   bool
		n      int
		err    string
	}{
		{args: []string{"q", "--json"}, pos: []string{"q"}, json: true},
		{args: []string{"2018年", "新增就业", "--json", "目标是多少?"}, pos: []string{"2018年", "新增就业", "目标是多少?"}, json: true},
		{args: []string{"--config", "c.yaml", "a", "--json", "b", "-n", "3"}, pos: []string{"a", "b"}, config: "c.yaml", json: true, n: 3},
		{args: []string{"a", "--config=c.yaml", "-n=4"}, pos: []string{"a"}, config: "c.yaml", n: 4},
		{args: []string{"--", "-x question"}, pos: []string{"-x question"}},
		{args: []string{"--json", "--", "a", "--json=false", "--"}, pos: []string{"a", "--json=false", "--"}, json: true},
		{args: []string{"--config", "--", "q", "--json"}, pos: []string{"q"}, config: "--", json: true},
		{args: []string{"-", "q"}, pos: []string{"-", "q"}},
		{args: []string{"--json=false", "q"}, pos: []string{"q"}},
		{args: []string{"--json", "true"}, pos: []string{"true"}, json: true}, // a bool flag takes no separate value
		{args: nil, pos: nil},
		{args: []string{"q", "--jsn"}, err: "unknown flag --jsn"},
		{args: []string{"-jsn=1", "--jsn"}, err: "unknown flag -jsn"},
		{args: []string{"q", "--config"}, err: "flag needs an argument: -config"},
		{args: []string{"-n", "x", "q"}, err: `invalid value "x" for flag -n: parse error`},
		{args: []string{"---json"}, err: "bad flag syntax: ---json"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			fs := newFlagSet("cmd", commandHelp{summary: "test", usage: []string{"cmd"}})
			config := fs.String("config", "", "")
			asJSON := fs.Bool("json", false, "")
			n := fs.Int("n", 0, "")
			var stdout, stderr bytes.Buffer
			pos, err := parseArgs(&environment{stdout: &stdout, stderr: &stderr}, fs, tt.args)
			var ue *usageError
			switch {
			case tt.err != "":
				if !errors.As(err, &ue) || ue.cmd != "cmd" || ue.err.Error() != tt.err {
					t.Errorf("parseArgs(%q) error %v, want usage error of cmd %q", tt.args, err, tt.err)
				}
			case err != nil:
				t.Errorf("parseArgs(%q): %v", tt.args, err)
			case !slices.Equal(pos, tt.pos) || *config != tt.config || *asJSON != tt.json || *n != tt.n:
				t.Errorf("parseArgs(%q) = %q, config %q, json %v, n %d; want %q, %q, %v, %d",
					tt.args, pos, *config, *asJSON, *n, tt.pos, tt.config, tt.json, tt.n)
			}
			if stdout.Len()+stderr.Len() > 0 {
				t.Errorf("parseArgs(%q) printed %q %q", tt.args, stdout.String(), stderr.String())
			}
		})
	}
}

// TestAskFlagsAfterQuestion asks with flags after the question, an unquoted
// question of several words, and a question that starts with "-" after
// "--".
func TestAskFlagsAfterQuestion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		question string
	}{
		{[]string{"2018年新增就业", "目标是多少?", "--json"}, "2018年新增就业 目标是多少?"},
		{[]string{"--json", "--", "--why", "2018年新增就业目标是多少?"}, "--why 2018年新增就业目标是多少?"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			out, stderr, err := runCmd(t, append([]string{"ask"}, tt.args...)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			var a answer.Answer
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("ask %q printed no JSON: %v\n%s", tt.args, err, out)
			}
			if a.Question != tt.question || !strings.Contains(a.Text, "3.4万") {
				t.Errorf("ask %q: question %q, answer %q; want question %q answered with 3.4万", tt.args, a.Question, a.Text, tt.question)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	out, stderr, status := runStatus(t, "version")
	bi, _ := debug.ReadBuildInfo()
	if want := versionText(bi); out != want || stderr != "" || status != 0 {
		t.Errorf("reportbot version: status %d, stderr %q, stdout:\n%s\nwant status 0 and:\n%s", status, stderr, out, want)
	}
	if alias, _, _ := runStatus(t, "--version"); alias != out {
		t.Errorf("reportbot --version:\n%s\nwant the output of reportbot version:\n%s", alias, out)
	}
	goLine := "go:       " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "reportbot unknown\ncommit:   unknown\nmodified: unknown\n" + goLine},
		{"go run", &debug.BuildInfo{GoVersion: runtime.Version(), Main: debug.Module{Version: "(devel)"}},
			"reportbot (devel)\ncommit:   unknown\nmodified: unknown\n" + goLine},
		{"modified checkout", &debug.BuildInfo{GoVersion: runtime.Version(), Main: debug.Module{Version: "v0.0.0-20261206162025-1d70dcc526c4+dirty"},
			Settings: settings("vcs", "git", "vcs.revision", "1d70dcc526c470adfe4aa6f8c76aca492adde9a6", "vcs.time", "2026-12-06T16:20:25Z", "vcs.modified", "true")},
			"reportbot v0.0.0-20261206162025-1d70dcc526c4+dirty\ncommit:   1d70dcc526c470adfe4aa6f8c76aca492adde9a6\ntime:     2026-12-06T16:20:25Z\nmodified: yes (the tree had uncommitted changes)\n" + goLine},
		{"clean checkout", &debug.BuildInfo{GoVersion: runtime.Version(), Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "abc", "vcs.modified", "false")},
			"reportbot (devel)\ncommit:   abc\nmodified: no\n" + goLine},
	}
	for _, tt := range tests {
		if got := versionText(tt.bi); got != tt.want {
			t.Errorf("%s: versionText:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

// evalTable prints rep as eval's table and returns its cells by row name and
// column name.
func evalTable(t *testing.T, rep eval.Report) map[string]map[string]string {
	t.Helper()
	var b strings.Builder
	if err := printEval(&b, rep, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	header := strings.Fields(lines[0])
	cells := map[string]map[string]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != len(header) {
			break // the grounding line
		}
		cells[f[0]] = map[string]string{}
		for i, h := range header {
			cells[f[0]][h] = f[i]
		}
	}
	return cells
}

// TestEvalTableUndefined checks that a metric with no questions to measure
// it on prints as "-" in the table, not as 0.
func TestEvalTableUndefined(t *testing.T) {
	t.Parallel()
	rep := eval.Report{
		Overall: eval.Metrics{Questions: 3, Answerable: 2, Unanswerable: 1, Hit1: 1, Hit5: 1, MRR10: 1, AnswerAccuracy: 0.5, CitationAccuracy: 0.5, RefusalAccuracy: 1, LatencyP50: 2, LatencyP95: 3},
		ByLang: map[string]eval.Metrics{
			"en": {Questions: 1, Unanswerable: 1, RefusalAccuracy: 1, LatencyP50: 2, LatencyP95: 2},
			"zh": {Questions: 2, Answerable: 2, Hit1: 1, Hit5: 1, MRR10: 1, AnswerAccuracy: 0.5, CitationAccuracy: 0.5, LatencyP50: 2, LatencyP95: 3},
			"xx": {},
		},
	}
	cells := evalTable(t, rep)
	tests := []struct{ row, col, want string }{
		{"all", "refusal", "1.000"},
		{"all", "hit@1", "1.000"},
		{"all", "answer", "0.500"},
		{"en", "hit@1", "-"},
		{"en", "hit@5", "-"},
		{"en", "mrr@10", "-"},
		{"en", "answer", "-"},
		{"en", "citation", "-"},
		{"en", "refusal", "1.000"},
		{"en", "false_ref", "0"},
		{"zh", "refusal", "-"},
		{"zh", "citation", "0.500"},
		{"xx", "n", "0"},
		{"xx", "p50_ms", "-"},
		{"xx", "p95_ms", "-"},
	}
	for _, tt := range tests {
		if got := cells[tt.row][tt.col]; got != tt.want {
			t.Errorf("row %s, column %s: %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
}

// TestEvalDeriveTable runs eval --derive, whose questions are all
// answerable: refusal accuracy has nothing to measure.
func TestEvalDeriveTable(t *testing.T) {
	t.Parallel()
	out, stderr, err := runCmd(t, "eval", "--derive", "3")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	header := strings.Fields(strings.SplitN(out, "\n", 2)[0])
	refusal := slices.Index(header, "refusal")
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if f := strings.Fields(l); len(f) == len(header) && f[refusal] != "-" {
			t.Errorf("eval --derive 3: refusal %q, want -:\n%s", f[refusal], out)
		}
	}
}
