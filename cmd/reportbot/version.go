package main

import (
	"cmp"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

var versionHelp = commandHelp{
	summary: "print the version, the VCS commit and the Go version reportbot was built with",
	usage:   []string{"reportbot version", "reportbot --version"},
	details: `The version is the module's: "(devel)" for a binary built with go build or
go run in a checkout. The commit, its time and whether the tree had
uncommitted changes come from the build's VCS stamp (go build inside a git
checkout); "unknown" when the binary has none.`,
}

func cmdVersion(env *environment, args []string) error {
	fs := newFlagSet("version", versionHelp)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	bi, _ := debug.ReadBuildInfo()
	_, err = fmt.Fprint(env.stdout, versionText(bi))
	return err
}

// versionText describes the build bi (nil when the binary has no build
// information): module version, VCS commit, commit time, whether the tree
// was modified, and the Go version and platform.
func versionText(bi *debug.BuildInfo) string {
	version, goVersion := "", runtime.Version()
	vcs := map[string]string{}
	if bi != nil {
		version = bi.Main.Version
		goVersion = cmp.Or(bi.GoVersion, goVersion)
		for _, s := range bi.Settings {
			vcs[s.Key] = s.Value
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "reportbot %s\n", cmp.Or(version, "unknown"))
	fmt.Fprintf(&b, "commit:   %s\n", cmp.Or(vcs["vcs.revision"], "unknown"))
	if t := vcs["vcs.time"]; t != "" {
		fmt.Fprintf(&b, "time:     %s\n", t)
	}
	modified := "unknown"
	switch vcs["vcs.modified"] {
	case "true":
		modified = "yes (the tree had uncommitted changes)"
	case "false":
		modified = "no"
	}
	fmt.Fprintf(&b, "modified: %s\n", modified)
	fmt.Fprintf(&b, "go:       %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
