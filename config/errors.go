package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Error is one problem found in a configuration file. Line and Col are
// 1-based (Col counts bytes, like the Go compiler and go-toml); zero means
// unknown. Key is the path of the offending key, such as "source[1].every"
// (array indexes are 0-based), or "" for document-level problems.
type Error struct {
	File      string
	Line, Col int
	Key       string
	Msg       string
}

// Error formats e as "file:line:col: key: msg", leaving out unknown parts.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(":")
		if e.Col > 0 {
			b.WriteString(strconv.Itoa(e.Col))
			b.WriteString(":")
		}
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one configuration, sorted by position.
// Parse and Load return it (never an empty one) when validation fails.
type Errors []*Error

// Error prints one line per problem.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each *Error to errors.As and errors.Is.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors caps how many errors are reported; a hostile or badly broken
// file could otherwise produce one per line.
const maxErrors = 100

// collector accumulates errors, resolving key paths to positions.
type collector struct {
	file string
	ix   *index
	errs Errors
	bad  map[string]bool // key paths that failed to decode
}

// fail records a decoding error at path and remembers the path, so that
// validation does not pile a second, misleading error onto a zero value.
func (c *collector) fail(path string, format string, args ...any) {
	c.bad[path] = true
	c.add(path, c.ix.lookup(path), format, args...)
}

// failed reports whether path or one of its parents failed to decode.
func (c *collector) failed(path string) bool {
	for ; path != ""; path = parentKey(path) {
		if c.bad[path] {
			return true
		}
	}
	return false
}

// at records an error located at the key path (or its nearest known parent),
// unless the path or a parent already failed to decode: a value that could
// not be decoded is zero, and complaining about that zero would mislead.
func (c *collector) at(path string, format string, args ...any) {
	if c.failed(path) {
		return
	}
	c.add(path, c.ix.lookup(path), format, args...)
}

// add records an error at an explicit position.
func (c *collector) add(path string, p position, format string, args ...any) {
	c.errs = append(c.errs, &Error{
		File: c.file, Line: p.line, Col: p.col, Key: path,
		Msg: fmt.Sprintf(format, args...),
	})
}

// result returns the collected errors sorted by position (unpositioned last),
// or nil when there are none.
func (c *collector) result() error {
	if len(c.errs) == 0 {
		return nil
	}
	sort.SliceStable(c.errs, func(i, j int) bool {
		a, b := c.errs[i], c.errs[j]
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	if len(c.errs) > maxErrors {
		rest := len(c.errs) - maxErrors
		c.errs = append(c.errs[:maxErrors], &Error{File: c.file, Msg: fmt.Sprintf("and %d more errors", rest)})
	}
	return c.errs
}
