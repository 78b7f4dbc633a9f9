package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Mentions scored before model versions (or by older models) are
// re-scored with the config's brands: versions, labels and per-brand
// labels follow.
func TestRescoreOldMentions(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	old := []store.Mention{
		{ID: "hn:1", Network: "hackernews", Source: "hn", NativeID: "1", Kind: store.KindMention, Published: at, Fetched: at,
			Text: "switched from Acme to Globex, so much better", Brands: []string{"Acme", "Globex"}, SentimentLabel: "positive", Sentiment: 0.7},
		{ID: "hn:2", Network: "hackernews", Source: "hn", NativeID: "2", Kind: store.KindMention, Published: at, Fetched: at,
			Text: "Acme API is down again?? 502s everywhere", Brands: []string{"Acme"}, SentimentLabel: "neutral", SentimentModel: "m0-old"},
	}
	if _, err := st.Commit("hn", old, nil); err != nil {
		t.Fatal(err)
	}
	d := &Daemon{store: st, log: zerolog.Nop(), cfg: &config.Config{Brands: []config.Brand{{Name: "Acme"}, {Name: "Globex"}}}}
	d.rescore(context.Background())
	an, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m1, _, _ := st.Get("hn:1")
	m2, _, _ := st.Get("hn:2")
	if m1.SentimentModel != an.Version() || m2.SentimentModel != an.Version() {
		t.Fatalf("versions %q, %q; want %q", m1.SentimentModel, m2.SentimentModel, an.Version())
	}
	if _, l := m1.SentimentFor("Acme"); l != "negative" {
		t.Errorf("Acme in a switch to Globex: %q (%+v)", l, m1.BrandSentiment)
	}
	if _, l := m1.SentimentFor("Globex"); l != "positive" {
		t.Errorf("Globex in a switch from Acme: %q (%+v)", l, m1.BrandSentiment)
	}
	if m2.SentimentLabel != "negative" {
		t.Errorf("outage re-scored %q", m2.SentimentLabel)
	}
}
