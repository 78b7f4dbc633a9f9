package main

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestCommandsDocumented holds docs/cli.md to the command list: every
// command of earshot-bench has a row there and every row names a command.
func TestCommandsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	var code, docs []string
	for _, c := range commands {
		code = append(code, c.name)
	}
	for _, m := range regexp.MustCompile("(?m)^\\| `earshot-bench ([a-z][a-z-]*)").FindAllStringSubmatch(string(doc), -1) {
		docs = append(docs, m[1])
	}
	slices.Sort(code)
	slices.Sort(docs)
	docs = slices.Compact(docs)
	if !slices.Equal(docs, code) {
		t.Errorf("docs/cli.md documents earshot-bench commands %q, the binary has %q", docs, code)
	}
}
