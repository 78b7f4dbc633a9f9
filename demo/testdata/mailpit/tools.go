//go:build tools

// Package mailpit only pins github.com/axllent/mailpit for `go build`.
package mailpit

import _ "github.com/axllent/mailpit"
