// Command check-mutants checks that every row of scripts/mutants.tsv still
// applies: its original text occurs exactly once in its file, the
// replacement differs, and the package directory exists. It reads the
// table as scripts/mutate.sh does (bash `read` with IFS=tab: runs of tabs
// are one separator, leading and trailing tabs are dropped), so a row that
// would print "not-applied" there fails here, in the ordinary test run,
// long before anyone runs the half-hour mutation check.
//
// usage: go run ./scripts/check-mutants [repository root]
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// row is one mutant of the table.
type row struct {
	line                      int
	name, pkg, file, from, to string
}

// parse splits the table into rows the way mutate.sh's read does.
func parse(text string) ([]row, []string) {
	var rows []row
	var problems []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == '\t' })
		if len(f) < 5 {
			problems = append(problems, fmt.Sprintf("mutants.tsv:%d: %d fields, want name, package, file, original, replacement [, -run]", n, len(f)))
			continue
		}
		rows = append(rows, row{line: n, name: f[0], pkg: f[1], file: f[2], from: f[3], to: f[4]})
	}
	return rows, problems
}

// check returns what is wrong with the table under root.
func check(root string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(root, "scripts", "mutants.tsv"))
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	rows, problems := parse(string(b))
	seen := map[string]int{}
	for _, r := range rows {
		at := fmt.Sprintf("mutants.tsv:%d %s", r.line, r.name)
		if prev, ok := seen[r.name]; ok {
			problems = append(problems, fmt.Sprintf("%s: name already used on line %d", at, prev))
		}
		seen[r.name] = r.line
		if fi, err := os.Stat(filepath.Join(root, r.pkg)); err != nil || !fi.IsDir() {
			problems = append(problems, fmt.Sprintf("%s: package %s is not a directory", at, r.pkg))
		}
		src, err := os.ReadFile(filepath.Join(root, r.file))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", at, err))
			continue
		}
		if n := strings.Count(string(src), r.from); n != 1 {
			problems = append(problems, fmt.Sprintf("%s: original found %d times in %s (want 1): the code moved; update the row", at, n, r.file))
		}
		if r.from == r.to {
			problems = append(problems, fmt.Sprintf("%s: replacement equals the original", at))
		}
	}
	return problems, nil
}

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	problems, err := check(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-mutants:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}
