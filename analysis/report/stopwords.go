package report

import (
	"strings"

	"github.com/earshot/earshot/analysis/keywords"
)

// filler are words that say nothing about a brand in chat, on top of the
// English and Korean stopwords analysis/keywords uses.
var filler = func() map[string]bool {
	m := map[string]bool{}
	// re, ll, ve: what is left of "we're", "you'll", "they've" once the
	// tokenizer splits at the apostrophe.
	for _, w := range strings.Fields(`also cant could didnt doesnt don't dont even get got i'm im isnt it's ive ll many much one re really still ve vs versus via wont would ㅋㅋ ㅎㅎ ㅠㅠ`) {
		m[w] = true
	}
	return m
}()

func isStopword(w string) bool { return keywords.IsStopword(w) || filler[w] }
