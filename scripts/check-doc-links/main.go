// Command check-doc-links checks the links of the repository's front page
// and reference pages: every relative link in README.md and docs/*.md must
// point to an existing file or folder, and every #anchor to a heading of
// the page it names (GitHub's heading ids). Links to other sites are not
// followed. It prints each broken link as file:line: message and exits 1
// when there is one.
//
//	go run ./scripts/check-doc-links [-root DIR]
//
// Its test runs it over the repository, so `go test ./...` fails on a
// broken link.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	problems, err := check(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-doc-links:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// pages lists the Markdown files whose links are checked, relative to root.
func pages(root string) ([]string, error) {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	files := []string{filepath.Join(root, "README.md")}
	return append(files, docs...), nil
}

// check returns every broken relative link of the pages under root, as
// "file:line: message" with file relative to root.
func check(root string) ([]string, error) {
	files, err := pages(root)
	if err != nil {
		return nil, err
	}
	anchors := map[string]map[string]bool{} // by cleaned path
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := anchors[path]; ok {
			return a, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		a := headingIDs(string(data))
		anchors[path] = a
		return a, nil
	}
	var problems []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read page: %w", err)
		}
		rel, _ := filepath.Rel(root, file)
		for _, l := range links(string(data)) {
			target, anchor, _ := strings.Cut(l.target, "#")
			path := file
			if target != "" {
				path = filepath.Join(filepath.Dir(file), filepath.FromSlash(target))
				if _, err := os.Stat(path); err != nil {
					problems = append(problems, fmt.Sprintf("%s:%d: %s: no such file", rel, l.line, l.target))
					continue
				}
			}
			if anchor == "" || !strings.HasSuffix(path, ".md") {
				continue
			}
			ids, err := anchorsOf(filepath.Clean(path))
			if err != nil {
				return nil, fmt.Errorf("read linked page: %w", err)
			}
			if !ids[anchor] {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: no heading with id %q", rel, l.line, l.target, anchor))
			}
		}
	}
	return problems, nil
}

type link struct {
	target string
	line   int
}

var (
	inlineLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	codeSpan   = regexp.MustCompile("`[^`]*`")
)

// links returns the relative link targets of a Markdown text, outside
// fenced code blocks and code spans.
func links(text string) []link {
	var out []link
	fenced := false
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		line = codeSpan.ReplaceAllString(line, "``")
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			t := m[1]
			if strings.Contains(t, "://") || strings.HasPrefix(t, "mailto:") {
				continue
			}
			out = append(out, link{target: t, line: i + 1})
		}
	}
	return out
}

// headingIDs returns the ids GitHub gives the headings of a Markdown text.
func headingIDs(text string) map[string]bool {
	ids := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimLeft(line, "#")
		if len(title) == len(line) || len(line)-len(title) > 6 || (title != "" && title[0] != ' ') {
			continue
		}
		id := slug(title)
		if n := seen[id]; n > 0 {
			seen[id]++
			id = fmt.Sprintf("%s-%d", id, n)
		} else {
			seen[id] = 1
		}
		ids[id] = true
	}
	return ids
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// slug is GitHub's heading id: the heading's text (links reduced to their
// text) lower-cased, with every character other than a letter, digit,
// space, hyphen or underscore removed and spaces turned into hyphens.
func slug(title string) string {
	title = mdLink.ReplaceAllString(strings.TrimSpace(title), "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
