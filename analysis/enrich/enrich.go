// Package enrich adds what Earshot derives from a mention's text at ingest:
// its language and its sentiment, scored with the brands' own names masked
// and the user's industry overrides applied.
package enrich

import (
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Scorer is the sentiment analyser; *sentiment.Analyzer implements it.
type Scorer interface {
	Analyze(text string, c sentiment.Context) sentiment.Result
}

// Enricher sets Lang, Sentiment and SentimentLabel on mentions.
type Enricher struct {
	scorer Scorer
	terms  map[string][]string // brand name -> its name and aliases
}

// New returns an Enricher for the configured brands.
func New(s Scorer, brands []config.Brand) *Enricher {
	e := &Enricher{scorer: s, terms: map[string][]string{}}
	for _, b := range brands {
		e.terms[b.Name] = b.AllTerms()
	}
	return e
}

// Enrich scores m in place. The language is detected from the text; a
// language the network declared is used only when the text has no letters
// to judge by.
func (e *Enricher) Enrich(m *store.Mention) {
	var c sentiment.Context
	for _, b := range m.Brands {
		c.Brands = append(c.Brands, b)
		c.Terms = append(c.Terms, e.terms[b]...)
	}
	text := m.Text
	if m.Title != "" && !strings.Contains(m.Text, m.Title) {
		text = m.Title + "\n" + m.Text
	}
	r := e.scorer.Analyze(text, c)
	switch {
	case r.Lang != "":
		m.Lang = r.Lang
	default:
		m.Lang = declared(m.Lang)
	}
	m.Sentiment, m.SentimentLabel = r.Score, r.Label
}

// declared maps a network's language tag ("en-US", "ko", "ja") onto
// Earshot's three values.
func declared(tag string) string {
	tag = strings.ToLower(tag)
	switch {
	case tag == "":
		return ""
	case tag == "en" || strings.HasPrefix(tag, "en-"):
		return "en"
	case tag == "ko" || strings.HasPrefix(tag, "ko-"):
		return "ko"
	}
	return "other"
}

// Overrides converts the config's sentiment rules for the analyser.
func Overrides(s config.Sentiment) []sentiment.Override {
	out := make([]sentiment.Override, 0, len(s.Overrides))
	for _, o := range s.Overrides {
		out = append(out, sentiment.Override{Term: o.Term, Score: o.Score, Brands: o.Brands})
	}
	return out
}
