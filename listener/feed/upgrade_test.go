package feed

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
	"github.com/rs/zerolog"
)

// everything matches: the test is about identity, not matching.
type matchAll struct{}

func (matchAll) Match(match.Input) match.Result { return match.Result{Brands: []string{"Acme"}} }

// A store written by the previous version (mentions under bare guids,
// "rss:1140700", and its cursor of bare keys) is upgraded: the next polls
// store nothing twice, and what was stored keeps its id.
func TestUpgradeStoreKeepsIDs(t *testing.T) {
	srv := files(t, nil)
	u := srv.URL + "/collide_ko.xml"
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// what the previous version stored: 30 mentions keyed rss:<guid>
	var old []store.Mention
	var seen []string
	for i := 0; i < 30; i++ {
		guid := itoa(1140700 + i)
		seen = append(seen, guid)
		old = append(old, store.Mention{ID: "rss:" + guid, Network: "rss", Source: "news", NativeID: guid,
			URL: "https://news.example.kr/article/" + guid, Title: "아크미 배터리 소식", Kind: store.KindMention,
			Published: now.Add(-time.Hour), Fetched: now.Add(-time.Hour), Brands: []string{"Acme"}})
	}
	cur, _ := json.Marshal(map[string]any{"feeds": map[string]any{u: map[string]any{"seen": seen}}})
	if _, err := st.Commit("news", old, cur); err != nil {
		t.Fatal(err)
	}
	p := ingest.Pipeline{Matcher: matchAll{}, Sink: st, Clock: clock}
	src := New(Config{Name: "news", URLs: []string{u}, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	for poll := range 2 {
		res, err := p.Ingest(context.Background(), src, time.Minute)
		if err != nil || !res.Committed || res.Added != 0 {
			t.Fatalf("poll %d after upgrade: %+v, %v", poll, res, err)
		}
	}
	if m, ok, err := st.Get("rss:1140700"); err != nil || !ok || !strings.HasPrefix(m.URL, "https://news.example.kr/") {
		t.Fatalf("old id lost: %v %v", ok, err)
	}
	if _, ok, _ := st.Get("rss:news.example.kr#1140700"); ok {
		t.Fatal("the upgraded item was stored a second time under its new id")
	}
	// A source without that cursor (renamed, or its cursor lost) finds
	// the items under their old ids in the store and stores nothing.
	res, err := p.Ingest(context.Background(), New(Config{Name: "fresh", URLs: []string{u}, Lookback: 30 * 24 * time.Hour}, fetcher(), clock), time.Minute)
	if err != nil || res.Added != 0 || res.Dropped != 30 {
		t.Fatalf("fresh source: %+v, %v", res, err)
	}
	// The English blog sharing those guids is another publisher: stored.
	res, err = p.Ingest(context.Background(), New(Config{Name: "blog", URLs: []string{srv.URL + "/collide_en.xml"}, Lookback: 30 * 24 * time.Hour}, fetcher(), clock), time.Minute)
	if err != nil || res.Added != 10 {
		t.Fatalf("other publisher: %+v, %v", res, err)
	}
}
