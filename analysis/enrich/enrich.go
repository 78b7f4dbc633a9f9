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
	AnalyzeBrands(text string, c sentiment.Context, brands []sentiment.BrandTerms) (sentiment.Result, []sentiment.BrandResult)
	Version() string
}

// Enricher sets Lang, Sentiment, SentimentLabel, BrandSentiment and
// SentimentModel on mentions.
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
	var bs []sentiment.BrandTerms
	for _, b := range m.Brands {
		c.Brands = append(c.Brands, b)
		bs = append(bs, sentiment.BrandTerms{Name: b, Terms: e.terms[b]})
	}
	text := m.Text
	if m.Title != "" && !strings.Contains(m.Text, m.Title) {
		text = m.Title + "\n" + m.Text
	}
	r, per := e.scorer.AnalyzeBrands(text, c, bs)
	switch {
	case r.Lang != "":
		m.Lang = r.Lang
	default:
		m.Lang = declared(m.Lang)
	}
	m.Sentiment, m.SentimentLabel = r.Score, r.Label
	m.SentimentModel = e.scorer.Version()
	m.BrandSentiment = nil
	for _, b := range per {
		// Only the brands read differently from the post are stored.
		if b.Label != r.Label || b.Score != r.Score {
			if m.BrandSentiment == nil {
				m.BrandSentiment = map[string]store.BrandSentiment{}
			}
			m.BrandSentiment[b.Brand] = store.BrandSentiment{Score: b.Score, Label: b.Label}
		}
	}
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
