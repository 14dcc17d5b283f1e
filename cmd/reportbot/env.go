package main

import (
	"encoding/json"
	"io"
)

// environment is what every command gets from run.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// lookupEnv is getenv in the shape of os.LookupEnv, which the config's
// secret lookups take; an empty variable counts as unset.
func (e *environment) lookupEnv(name string) (string, bool) {
	v := e.getenv(name)
	return v, v != ""
}

// writeJSON prints v as indented JSON with Chinese and "<>&" kept readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
