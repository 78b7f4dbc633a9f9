package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/report"
)

// TestCommandsDocumented holds docs/cli.md to the command list: every
// command of earshot has a row there and every row names a command.
func TestCommandsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	var code []string
	for _, c := range commands() {
		code = append(code, c.name)
	}
	if got := documentedCommands(string(doc), "earshot"); !slices.Equal(got, sortedSet(code)) {
		t.Errorf("docs/cli.md documents earshot commands %q, the binary has %q", got, sortedSet(code))
	}
}

// documentedCommands returns, sorted and without repeats, the commands of
// binary named at the start of a table row: | `binary command ...`.
func documentedCommands(doc, binary string) []string {
	row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(binary) + " ([a-z][a-z-]*)")
	var names []string
	for _, m := range row.FindAllStringSubmatch(doc, -1) {
		names = append(names, m[1])
	}
	return sortedSet(names)
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

func TestDocumentedCommands(t *testing.T) {
	doc := "| `earshot run -config F` | x |\n| `earshot run` | again |\n| `earshot-bench soak` | y |\n" +
		"text `earshot demo` in prose\n| `earshot digest -send` | z |\n"
	if got, want := documentedCommands(doc, "earshot"), []string{"digest", "run"}; !slices.Equal(got, want) {
		t.Errorf("earshot: %q, want %q", got, want)
	}
	if got, want := documentedCommands(doc, "earshot-bench"), []string{"soak"}; !slices.Equal(got, want) {
		t.Errorf("earshot-bench: %q, want %q", got, want)
	}
}

// docs/cli.md's report row lists the periods of report.Periods (the
// -period help text is built from the same list).
func TestReportPeriodsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^\\| `earshot report [^`]*\\[-period ([^\\]]+)\\]").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/cli.md: no [-period …] in the earshot report row")
	}
	if got := strings.Split(string(m[1]), `\|`); !slices.Equal(got, report.Periods) {
		t.Errorf("docs/cli.md lists periods %q, report.Periods is %q", got, report.Periods)
	}
}
