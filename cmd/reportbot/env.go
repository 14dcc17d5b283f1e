package main

import (
	"errors"
	"io"
)

// errUsage reports a usage error whose message was already printed.
var errUsage = errors.New("usage")

// environment is what every command gets from run.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}
