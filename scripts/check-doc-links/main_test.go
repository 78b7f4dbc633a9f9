package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRepositoryLinks is the check itself, run over this repository.
func TestRepositoryLinks(t *testing.T) {
	problems, err := check(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestCheckFindsBrokenLinks(t *testing.T) {
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
	write("README.md", "# Front\n"+
		"[ok](docs/a.md) [ok anchor](docs/a.md#get-apisearch) [gone](docs/gone.md)\n"+
		"[bad anchor](docs/a.md#nowhere) [site](https://example.com/x.md) [self](#front)\n"+
		"```\n[in code](nothing.md)\n```\n`[span](nothing.md)` [dir](docs/)\n")
	write("docs/a.md", "# A\n## `GET /api/search`\n[back](../README.md#missing) [src](../src/x.go)\n")
	got, err := check(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"README.md:2: docs/gone.md: no such file",
		`README.md:3: docs/a.md#nowhere: no heading with id "nowhere"`,
		`docs/a.md:3: ../README.md#missing: no heading with id "missing"`,
		"docs/a.md:3: ../src/x.go: no such file",
	}
	if !slices.Equal(got, want) {
		t.Errorf("check:\n got %q\nwant %q", got, want)
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Soak: ingest while searching", "soak-ingest-while-searching"},
		{"`[[sentiment.override]]`", "sentimentoverride"},
		{"`GET /api/search`", "get-apisearch"},
		{"`earshot-bench`", "earshot-bench"},
		{"The [report](report.md) page", "the-report-page"},
		{"한국어 형태소", "한국어-형태소"},
	} {
		if got := slug(c.in); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	ids := headingIDs("# Figures\n## Figures\n```\n# not a heading\n```\n#nospace\n")
	if !ids["figures"] || !ids["figures-1"] || ids["not-a-heading"] || ids["nospace"] || len(ids) != 2 {
		t.Errorf("headingIDs = %v", ids)
	}
}
