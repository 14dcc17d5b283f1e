// Package reportbot holds the module-wide tests (import layering). The
// program is cmd/reportbot; the packages are described in
// docs/architecture.md.
package reportbot
