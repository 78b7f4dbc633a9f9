package report

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The fixed synthetic dataset: the week 2026-11-16 .. 2026-11-22 (UTC), its
// previous week, and a 28-day Globex baseline on x. Every right answer in
// report_test.go is worked out by hand from this list.
var (
	winStart = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	winEnd   = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) // the last day
	fixNow   = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
)

const fixtureConfig = `
[earshot]
timezone = "UTC"

[[brand]]
name = "Acme"
own = true
domains = ["acme.example"]

[[brand]]
name = "Globex"
domains = ["globex.example"]

[[brand]]
name = "Initech"

[[topic]]
name = "outage"
query = "outage"

[[goal]]
metric = "sov"
target = 60
deadline = "2026-12-31"

[[goal]]
name = "support under 2h"
metric = "response_time"
target_time = "2h"
deadline = "2026-12-31"
`

func fixtureCfg(t testing.TB, extra string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(fixtureConfig+extra), "fixture.toml", func(string) string { return "" })
	if err != nil {
		t.Fatalf("fixture config: %v", err)
	}
	return c
}

type fix struct {
	ms []store.Mention
	n  int
}

// add appends a mention; day is days after winStart (negative = before).
func (f *fix) add(network string, day int, hour float64, label string, eng int64, brands ...string) *store.Mention {
	f.n++
	m := store.Mention{
		ID: fmt.Sprintf("%s:%d", network, f.n), Network: network, Source: network, NativeID: fmt.Sprint(f.n),
		URL: fmt.Sprintf("https://%s.example/p/%d", network, f.n), Kind: store.KindMention, Author: fmt.Sprintf("u%d", f.n%7),
		Published: winStart.AddDate(0, 0, day).Add(time.Duration(hour * float64(time.Hour))), Lang: "en",
		Text: "words about " + network, EngagementTotal: eng, Brands: brands, SentimentLabel: label,
	}
	switch label {
	case "positive":
		m.Sentiment = 0.5
	case "negative":
		m.Sentiment = -0.5
	}
	f.ms = append(f.ms, m)
	return &f.ms[len(f.ms)-1]
}

func (f *fix) reply(network string, to *store.Mention, after time.Duration, eng int64, brand string) {
	f.n++
	f.ms = append(f.ms, store.Mention{
		ID: fmt.Sprintf("%s:%d", network, f.n), Network: network, NativeID: fmt.Sprint(f.n), Kind: store.KindOwned,
		URL: "https://" + network + ".example/r", Author: brand + "_support", Published: to.Published.Add(after),
		Text: "sorry, we are on it", EngagementTotal: eng, Brands: []string{brand}, ReplyTo: to.ID, SentimentLabel: "neutral",
	})
}

func fixtureMentions() []store.Mention {
	f := &fix{}
	// Window, reddit: Acme 6 (4 pos, 1 neg, 1 neu; 10 engagement each),
	// Globex 3 (1 pos, 2 neg; 20 each), Initech 1 neutral.
	a1 := f.add("reddit", 1, 10, "negative", 10, "Acme")
	f.add("reddit", 0, 9, "positive", 10, "Acme").Links = []string{"https://www.acme.example/x"}
	f.add("reddit", 0, 11, "positive", 10, "Acme").Links = []string{"https://shop.acme.example/y"}
	f.add("reddit", 3, 9, "positive", 10, "Acme")
	f.add("reddit", 4, 9, "positive", 10, "Acme")
	a2 := f.add("reddit", 2, 9, "neutral", 10, "Acme")
	f.add("reddit", 1, 8, "positive", 20, "Globex")
	f.add("reddit", 1, 9, "negative", 20, "Globex")
	f.add("reddit", 5, 9, "negative", 20, "Globex")
	f.add("reddit", 6, 9, "neutral", 0, "Initech")
	f.reply("reddit", a1, 150*time.Minute, 3, "Acme") // 2.5 h
	f.reply("reddit", a2, time.Hour, 5, "Acme")       // 1 h
	// Window, x: Acme 2 (pos, neg; 5 each), Globex 6 on 11-18 (3 pos, 1 neg, 2 neu; 5 each).
	f.add("x", 0, 12, "positive", 5, "Acme")
	f.add("x", 5, 12, "negative", 5, "Acme")
	for i, l := range []string{"positive", "positive", "positive", "negative", "neutral", "neutral"} {
		m := f.add("x", 2, float64(8+i), l, 5, "Globex")
		if i == 3 {
			f.reply("x", m, 6*time.Hour, 0, "Globex")
		}
		if i == 0 {
			m.Links = []string{"https://acme.example/compare"}
		}
	}
	// Window, hackernews: 12 topic-only mentions and Acme 3 neutral (1 each).
	for i := 0; i < 12; i++ {
		m := f.add("hackernews", i%4, float64(i), "", 2)
		m.Topics, m.Text = []string{"outage"}, "big outage today"
	}
	for i := 0; i < 3; i++ {
		f.add("hackernews", i, 15, "neutral", 1, "Acme")
	}
	// Previous week, reddit: Acme 4, Globex 4 (all on 11-10), Initech 2.
	for i := 0; i < 4; i++ {
		f.add("reddit", -1-i, 9, "positive", 1, "Acme")
		f.add("reddit", -6, float64(9+i), "negative", 1, "Globex")
	}
	f.add("reddit", -3, 9, "neutral", 1, "Initech")
	f.add("reddit", -4, 9, "neutral", 1, "Initech")
	// Collection began 84 days before the window on every network: one
	// mention naming no brand or topic, outside the report's history.
	for _, n := range []string{"reddit", "x", "hackernews"} {
		f.add(n, -84, 0, "", 0)
	}
	// Globex on x: one neutral mention a day for the 28 days before the window.
	for d := -28; d < 0; d++ {
		f.add("x", d, 20, "neutral", 1, "Globex")
	}
	return f.ms
}

// fixtureStore commits the dataset into a real store on disk.
func fixtureStore(t testing.TB, ms []store.Mention) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true, Clock: func() time.Time { return fixNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Commit("fixture", ms, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func buildT(t testing.TB, src Source, req Request) *Report {
	t.Helper()
	r, err := Build(context.Background(), src, req)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return r
}
