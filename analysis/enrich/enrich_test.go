package enrich

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

func TestEnrich(t *testing.T) {
	cfg := config.Sentiment{Overrides: []config.Override{{Term: "sick", Score: 2.5, Brands: []string{"Sick Games"}}}}
	a, err := sentiment.New(sentiment.Options{Overrides: Overrides(cfg), Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	e := New(a, []config.Brand{{Name: "Joy", Terms: []string{"조이"}}, {Name: "Sick Games"}, {Name: "Acme", Terms: []string{"아크미"}}})
	cases := []struct {
		name   string
		m      store.Mention
		lang   string
		label  string
		signOK func(float64) bool
	}{
		{"brand name carries no sentiment", store.Mention{Text: "Joy released version 2 today.", Brands: []string{"Joy"}}, "en", "neutral", func(s float64) bool { return s > -0.2 && s < 0.2 }},
		{"override scoped to its brand", store.Mention{Text: "the new Sick Games level is sick", Brands: []string{"Sick Games"}}, "en", "positive", func(s float64) bool { return s > 0 }},
		{"override not applied elsewhere", store.Mention{Text: "I feel sick after the Acme update", Brands: []string{"Acme"}}, "en", "negative", func(s float64) bool { return s < 0 }},
		{"korean", store.Mention{Text: "아크미 배터리 진짜 최고다 ㅋㅋ 완전 만족", Brands: []string{"Acme"}}, "ko", "positive", func(s float64) bool { return s > 0 }},
		{"korean negative", store.Mention{Text: "아크미 고객센터 핵노잼 최악이다 ㅡㅡ", Brands: []string{"Acme"}}, "ko", "negative", func(s float64) bool { return s < 0 }},
		{"declared language without letters", store.Mention{Text: "👍 👍", Lang: "ja"}, "other", "", nil},
	}
	for _, c := range cases {
		m := c.m
		e.Enrich(&m)
		if m.Lang != c.lang {
			t.Errorf("%s: lang %q, want %q", c.name, m.Lang, c.lang)
		}
		if c.label != "" && m.SentimentLabel != c.label {
			t.Errorf("%s: label %q (%.3f), want %q", c.name, m.SentimentLabel, m.Sentiment, c.label)
		}
		if c.signOK != nil && !c.signOK(m.Sentiment) {
			t.Errorf("%s: score %.3f", c.name, m.Sentiment)
		}
		if m.SentimentModel != a.Version() || m.BrandSentiment != nil {
			t.Errorf("%s: model %q, brand sentiment %v; want %q and none (one brand)", c.name, m.SentimentModel, m.BrandSentiment, a.Version())
		}
	}
	// Two brands read apart: each gets its own label, stored where it
	// differs from the post's.
	m := store.Mention{Text: "switched from Acme to Joy, so much better", Brands: []string{"Acme", "Joy"}}
	e.Enrich(&m)
	for b, want := range map[string]string{"Acme": "negative", "Joy": "positive"} {
		if _, got := m.SentimentFor(b); got != want {
			t.Errorf("switch: %s %q, want %q (post %q, per brand %v)", b, got, want, m.SentimentLabel, m.BrandSentiment)
		}
	}
	m = store.Mention{Text: "아크미보다 조이가 훨씬 나음", Brands: []string{"Acme", "Joy"}}
	e.Enrich(&m)
	for b, want := range map[string]string{"Acme": "negative", "Joy": "positive"} {
		if _, got := m.SentimentFor(b); got != want {
			t.Errorf("보다: %s %q, want %q (per brand %v)", b, got, want, m.BrandSentiment)
		}
	}
}
