package digest

import (
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/report"
)

// A top mention's title, excerpt and author reach the e-mail without bidi
// overrides or invisible characters (query.Display).
func TestTopViewNeutralisesInvisibleCharacters(t *testing.T) {
	v := topView(report.NewLocale("en"), "Acme", "positive", report.TopMention{ID: "x:1", Network: "hackernews", URL: "https://news.example/1",
		Title: "Acme \u202Egnp.exe\u202C", Excerpt: "zero\u200Bwidth \u2066text\u2069", Author: "\u202Enimda", Published: "2026-11-20T09:00:00Z"})
	for _, s := range []string{v.Title, v.Excerpt, v.Author} {
		if strings.ContainsAny(s, "\u202E\u202C\u200B\u2066\u2069") {
			t.Errorf("invisible character left in %q", s)
		}
	}
	if v.Author != "nimda" || v.Title != "Acme gnp.exe" || v.Excerpt != "zerowidth text" {
		t.Errorf("view = %+v", v)
	}
}
