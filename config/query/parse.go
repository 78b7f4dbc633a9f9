package query

import "errors"

// Parse parses a query. PLACEHOLDER: replaced by the matcher engineer.
func Parse(s string) (Node, error) { return nil, errors.New("query: not implemented yet") }

// SyntaxError is a malformed query; Pos is the byte offset in the input.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }
