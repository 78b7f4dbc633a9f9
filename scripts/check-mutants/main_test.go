package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryMutantsApply is the check itself, over this repository.
func TestRepositoryMutantsApply(t *testing.T) {
	problems, err := check(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestCheckFindsStaleRows(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p/a.go", "package p\n\nfunc f(x int) bool {\n\treturn x < 2\n}\n\nvar a, b = 1, 1\n")
	write("scripts/mutants.tsv", strings.Join([]string{
		"# comment",
		"ok\t./p\tp/a.go\t\treturn x < 2\t\treturn x <= 2\tTestF",
		"gone\t./p\tp/a.go\treturn x > 2\treturn x >= 2",
		"twice\t./p\tp/a.go\t1\t2",
		"same\t./p\tp/a.go\tx < 2\tx < 2",
		"nopkg\t./q\tp/a.go\tfunc f\tfunc g",
		"ok\t./p\tp/a.go\tpackage p\tpackage q",
		"short\t./p\tp/a.go",
	}, "\n")+"\n")
	problems, err := check(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"mutants.tsv:8: 3 fields",
		"mutants.tsv:3 gone: original found 0 times",
		"mutants.tsv:4 twice: original found 2 times",
		"mutants.tsv:5 same: replacement equals the original",
		"mutants.tsv:6 nopkg: package ./q is not a directory",
		"mutants.tsv:7 ok: name already used on line 2",
	}
	if len(problems) != len(want) {
		t.Fatalf("problems = %q, want %d", problems, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i, problems[i], w)
		}
	}
}

// TestDocsStateTheTableSize: docs/testing.md says how many mutants the
// table has; that number is the table's.
func TestDocsStateTheTableSize(t *testing.T) {
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "scripts", "mutants.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := parse(string(b))
	doc, err := os.ReadFile(filepath.Join(root, "docs", "testing.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("every mutant (%d;", len(rows))
	if !strings.Contains(string(doc), want) {
		t.Errorf("docs/testing.md does not say %q: update the mutate.sh line there", want)
	}
}
