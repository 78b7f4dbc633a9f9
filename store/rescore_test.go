package store

import (
	"context"
	"reflect"
	"testing"
)

// rescoreFixture's scorer: mention 2 ("acme and globex both fail") now
// reads Acme negative and Globex positive; every other mention flips
// positive ↔ negative.
func rescoreV2(m *Mention) {
	m.SentimentModel = "v2"
	switch m.SentimentLabel {
	case "positive":
		m.SentimentLabel, m.Sentiment = "negative", -m.Sentiment
	case "negative":
		m.SentimentLabel, m.Sentiment = "positive", -m.Sentiment
	}
	if m.ID == "hackernews:2" {
		m.SentimentLabel, m.Sentiment = "neutral", 0
		m.BrandSentiment = map[string]BrandSentiment{"Acme": {Score: -0.5, Label: "negative"}, "Globex": {Score: 0.5, Label: "positive"}}
	}
}

func TestRescoreRollupsFollow(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, rollupFixture()...)
	ctx := context.Background()
	// Two batches of 2: the first leaves work, the second finishes.
	res, next, err := s.Rescore(ctx, "v2", 0, 2, rescoreV2)
	if err != nil || res.Scanned != 2 || res.Rescored != 2 || res.Done {
		t.Fatalf("first batch: %+v, %v", res, err)
	}
	res, _, err = s.Rescore(ctx, "v2", next, 2, rescoreV2)
	if err != nil || res.Rescored != 2 || !res.Done {
		t.Fatalf("second batch: %+v, %v", res, err)
	}
	// Hand-computed: hour 12 on hackernews, mentions 1 (Acme, positive 0.5 →
	// negative -0.5) and 2 (Acme+Globex, negative -0.75 → neutral 0;
	// Acme negative -0.5, Globex positive 0.5).
	cells := cellsOf(t, s)
	for key, want := range map[string][4]float64{ // pos, neu, neg, sum
		"12|hackernews||mention":       {0, 1, 1, -0.5},
		"12|hackernews|Acme|mention":   {0, 0, 2, -1},
		"12|hackernews|Globex|mention": {1, 0, 0, 0.5},
	} {
		c := cells[key]
		if got := [4]float64{float64(c.Positive), float64(c.Neutral), float64(c.Negative), c.SentimentSum}; got != want {
			t.Errorf("cell %s: pos/neu/neg/sum %v, want %v (all cells %v)", key, got, want, cells)
		}
	}
	m, _, err := s.Get("hackernews:2")
	if err != nil || m.SentimentModel != "v2" || m.BrandSentiment["Globex"].Label != "positive" {
		t.Fatalf("stored mention after rescore: %+v, %v", m, err)
	}
	// Nothing left: a second pass changes nothing.
	if res, _, err := s.Rescore(ctx, "v2", 0, 10, rescoreV2); err != nil || res.Rescored != 0 || !res.Done {
		t.Fatalf("second pass: %+v, %v", res, err)
	}
	// A rebuild from the log gives the same rollups, and pruning
	// everything leaves no sentiment behind.
	inc := dumpRollups(t, s)
	if err := s.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if reb := dumpRollups(t, s); !reflect.DeepEqual(inc, reb) {
		t.Fatalf("rebuild differs from rescoring:\nrescored %v\nrebuild  %v", inc, reb)
	}
	if _, err := s.Prune(ctx, t0.Add(48*60*60*1e9)); err != nil {
		t.Fatal(err)
	}
	for k, c := range cellsOf(t, s) {
		if c.Positive != 0 || c.Negative != 0 || c.Neutral != 0 || c.SentimentSum > 1e-9 || c.SentimentSum < -1e-9 {
			t.Errorf("cell %s after pruning everything: %+v", k, c)
		}
	}
}

// A fact with per-brand sentiment survives encoding; one without is
// byte-identical to the format before per-brand sentiment.
func TestFactBrandSentimentRoundTrip(t *testing.T) {
	ms := rollupFixture()
	plain := factOf(&ms[1], 7, parentInfo{})
	if plain.BrandSentiment != nil {
		t.Fatalf("no brand sentiment, fact has %v", plain.BrandSentiment)
	}
	ms[1].BrandSentiment = map[string]BrandSentiment{"Globex": {Score: 0.5, Label: "positive"}, "Acme": {Score: ms[1].Sentiment, Label: ms[1].SentimentLabel}, "Other": {Score: 1, Label: "positive"}}
	f := factOf(&ms[1], 7, parentInfo{})
	if len(f.BrandSentiment) != 1 { // Acme is the mention's own, Other not a brand of it
		t.Fatalf("fact brand sentiment %v, want Globex only", f.BrandSentiment)
	}
	key := timeKey(f.Published, 7)
	g, err := decodeFact(key, f.encode())
	if err != nil || !reflect.DeepEqual(g.BrandSentiment, f.BrandSentiment) {
		t.Fatalf("decoded %v, %v; want %v", g.BrandSentiment, err, f.BrandSentiment)
	}
	if sc, l := g.SentimentFor("Globex"); sc != 0.5 || l != "positive" {
		t.Errorf("SentimentFor(Globex) = %v %s", sc, l)
	}
	if sc, l := g.SentimentFor("Acme"); sc != ms[1].Sentiment || l != ms[1].SentimentLabel {
		t.Errorf("SentimentFor(Acme) = %v %s", sc, l)
	}
	if p := plain.encode(); len(p) >= len(f.encode()) {
		t.Errorf("plain fact %d bytes, with brand sentiment %d", len(p), len(f.encode()))
	}
}

// A search for a brand and a label filters on the brand's own label, and
// follows a re-scoring.
func TestSearchBrandSentiment(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := rollupFixture()
	ms[1].SentimentLabel, ms[1].Sentiment = "neutral", 0 // "acme and globex both fail"
	ms[1].BrandSentiment = map[string]BrandSentiment{"Acme": {Score: -0.5, Label: "negative"}, "Globex": {Score: 0.5, Label: "positive"}}
	commitT(t, s, ms...)
	syncT(t, s)
	check := func(when string, brands, labels []string, want string) {
		t.Helper()
		if got := sortedIDs(find(t, s, SearchRequest{Brands: brands, Sentiments: labels})); got != want {
			t.Errorf("%s: brands %v labels %v → %q, want %q", when, brands, labels, got, want)
		}
	}
	check("stored", []string{"Acme"}, []string{"negative"}, "2")
	check("stored", []string{"Globex"}, []string{"positive"}, "2")
	check("stored", []string{"Globex"}, []string{"negative", "neutral"}, "")
	check("stored", []string{"Acme"}, []string{"positive"}, "1")
	check("stored", nil, []string{"neutral"}, "2,3") // no brand: the post's label
	if _, _, err := s.Rescore(context.Background(), "v2", 0, 10, rescoreV2); err != nil {
		t.Fatal(err)
	}
	syncT(t, s)
	check("rescored", []string{"Acme"}, []string{"negative"}, "1,2") // 1 flipped to negative
	check("rescored", []string{"Acme"}, []string{"positive"}, "")
}
