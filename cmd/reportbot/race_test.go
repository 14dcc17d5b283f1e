//go:build race

package main

// raceEnabled reports a -race build, whose shadow memory makes a process's
// resident memory no measure of the program's.
const raceEnabled = true
