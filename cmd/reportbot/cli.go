package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is a mistake in the command line: an unknown command or flag,
// a missing or extra argument, a bad flag value. main prints it on one line
// with a hint to the command's help and exits with status 2; other errors
// exit with status 1.
type usageError struct {
	cmd string // the command used wrongly, "ask"; "" for reportbot itself
	err error
}

func (e *usageError) Error() string {
	if e.cmd == "" {
		return e.err.Error()
	}
	return e.cmd + ": " + e.err.Error()
}

func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns a usage error of command cmd.
func usageErrorf(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, err: fmt.Errorf(format, args...)}
}

// errNoCommand is the usage error of reportbot run without a command, after
// run printed the overview on stderr.
var errNoCommand = errors.New("no command")

// exitStatus prints err on stderr and returns the exit status for it: 0 for
// nil; 2 for a usage error, printed as one line and a hint to the help; 1
// for any other error.
func exitStatus(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errNoCommand):
		return 2 // the overview is on stderr already
	case errors.As(err, &ue):
		help := "reportbot help"
		if ue.cmd == "" {
			fmt.Fprintln(stderr, "reportbot:", ue)
		} else {
			fmt.Fprintln(stderr, "reportbot", ue)
			if ue.cmd != "help" {
				help += " " + ue.cmd
			}
		}
		fmt.Fprintf(stderr, "Run '%s' for usage.\n", help)
		return 2
	default:
		fmt.Fprintln(stderr, "reportbot:", err)
		return 1
	}
}

// commandHelp is what `reportbot help CMD` and `reportbot CMD -h` print
// before the flags.
type commandHelp struct {
	summary string   // what the command does, lower case, for the overview; the help's first line
	usage   []string // usage lines, without "usage: "
	details string   // optional paragraphs after the usage
}

// newFlagSet returns the flag set of command name; its Usage prints h and
// the flags to the flag set's output. Parse it with parseArgs.
func newFlagSet(name string, h commandHelp) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseArgs reports errors, and prints help on stdout
	fs.Usage = func() { printHelp(fs.Output(), fs, h) }
	return fs
}

// printHelp prints a command's help: its summary as a sentence, the usage
// lines, the details, then the flags of fs if it has any.
func printHelp(w io.Writer, fs *flag.FlagSet, h commandHelp) {
	fmt.Fprintf(w, "%s%s.\n\n", strings.ToUpper(h.summary[:1]), h.summary[1:])
	for i, u := range h.usage {
		prefix := "usage: "
		if i > 0 {
			prefix = "       "
		}
		fmt.Fprintln(w, prefix+u)
	}
	if h.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(h.details))
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// showHelp prints the help of fs's command on stdout and returns
// flag.ErrHelp, which run turns into success.
func showHelp(env *environment, fs *flag.FlagSet) error {
	fs.SetOutput(env.stdout)
	fs.Usage()
	return flag.ErrHelp
}

// isHelpFlag reports whether arg asks for help, as the flag package
// understands it.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// parseArgs parses args with fs and returns the positional arguments.
// Flags and positional arguments may come in any order, as in
// `reportbot ask "question" --json`; "--" ends the flags, so
// `reportbot ask -- "-x"` asks "-x". -h prints the command's help on
// stdout and returns flag.ErrHelp. Mistakes are usage errors.
func parseArgs(env *environment, fs *flag.FlagSet, args []string) ([]string, error) {
	flags, pos := splitArgs(fs, args)
	err := fs.Parse(flags)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, showHelp(env, fs)
	case err != nil:
		return nil, &usageError{cmd: fs.Name(), err: flagError(err, flags)}
	}
	// splitArgs hands Parse only flags and their values, so fs.Args() is
	// empty; keep whatever it left all the same.
	return append(fs.Args(), pos...), nil
}

// splitArgs separates the flags of args, with the values of those that take
// one, from the positional arguments, the way the flag package tells them
// apart: a flag starts with "-" and is longer than "-", a non-boolean flag
// of fs given without "=" takes the next argument as its value, and "--"
// ends the flags. Unknown flags go with the flags, for Parse to reject.
func splitArgs(fs *flag.FlagSet, args []string) (flags, pos []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(pos, args[i+1:]...)
		case len(a) < 2 || a[0] != '-':
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, pos
}

// takesValue reports whether the flag argument arg ("--config") is a
// non-boolean flag of fs without "=value", which takes the next argument as
// its value.
func takesValue(fs *flag.FlagSet, arg string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// flagError rewrites the flag package's "flag provided but not defined:
// -jsn" as "unknown flag --jsn", spelt as it was given in flags.
func flagError(err error, flags []string) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	spelt := "-" + name
	for _, a := range flags {
		if n, _, _ := strings.Cut(a, "="); n == "-"+name || n == "--"+name {
			spelt = n
			break
		}
	}
	return fmt.Errorf("unknown flag %s", spelt)
}

// noArgs returns a usage error when a command that takes no positional
// arguments got some.
func noArgs(fs *flag.FlagSet, pos []string) error {
	if len(pos) > 0 {
		return usageErrorf(fs.Name(), "unexpected argument %q", pos[0])
	}
	return nil
}
