package answer

import "github.com/reportbot/reportbot/fact"

// Figure is a number found in text; see fact.Figure.
type Figure = fact.Figure

// Figures returns the numbers in s; see fact.Figures.
func Figures(s string) []Figure { return fact.Figures(s) }

// CloseEnough reports whether a and b are the same figure up to rounding
// error; see fact.CloseEnough.
func CloseEnough(a, b float64) bool { return fact.CloseEnough(a, b) }
