package query

import (
	"slices"
	"testing"
)

func TestURLsIn(t *testing.T) {
	text := "see https://acme.example/blog/first-post, [docs](http://x.example/a?b=1) and `https://c.example/z` or <a href=\"https://d.example/q\">"
	got := URLsIn(text, -1)
	want := []string{"https://acme.example/blog/first-post,", "http://x.example/a?b=1", "https://c.example/z", "https://d.example/q"}
	if !slices.Equal(got, want) {
		t.Fatalf("URLsIn = %q, want %q", got, want)
	}
	if got := URLsIn(text, 2); len(got) != 2 {
		t.Fatalf("URLsIn limit 2 = %d URLs", len(got))
	}
}

func TestWithoutURLs(t *testing.T) {
	got := Words("", WithoutURLs("Acme recall https://acme.example/blog/first-post today"))
	want := []string{"acme", "recall", "today"}
	if !slices.Equal(got, want) {
		t.Fatalf("words without URLs = %q, want %q", got, want)
	}
}
