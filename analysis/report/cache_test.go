package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The cache against a fresh Build, change kind by change kind, on a real
// store on disk (fixture_test.go's week 2026-11-16 .. 11-22; its history
// starts 2026-08-31, its reply grace ends 2026-11-26 00:00 UTC).

// serve asks c for req and compares it, byte for byte, with a fresh Build
// of req (Meta.Generated aside: a served report says when it was built);
// built is whether the cache had to build. The request is exact: a
// stale report is never served (cache_stale_test.go tests that policy).
func serve(t *testing.T, c *Cache, st *store.Store, req Request, wantBuilt bool) *Report {
	t.Helper()
	req.Exact = true
	got, built, err := c.report(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if req.Config == nil {
		req.Config = c.o.Config()
	}
	fresh := buildT(t, st, req)
	fresh.Meta.Generated = got.Meta.Generated
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(fresh)
	if !bytes.Equal(a, b) {
		t.Errorf("served report differs from a fresh build:\n served %.400s\n fresh  %.400s", diffAt(a, b), diffAt(b, a))
	}
	if built != wantBuilt {
		t.Errorf("built = %v, want %v", built, wantBuilt)
	}
	return got
}

// diffAt is a from a little before its first difference with b.
func diffAt(a, b []byte) []byte {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(i-80, 0):]
}

func commitT(t *testing.T, st *store.Store, ms ...store.Mention) {
	t.Helper()
	res, err := st.Commit("late", ms, nil)
	if err != nil || res.Added != len(ms) {
		t.Fatalf("commit: %+v %v", res, err)
	}
}

var lateN int

// late is a mention of Acme on reddit published at t.
func late(t time.Time, label string) store.Mention {
	lateN++
	return store.Mention{ID: fmt.Sprintf("late:%d", lateN), Network: "reddit", Source: "reddit", Kind: store.KindMention,
		URL: fmt.Sprintf("https://reddit.example/late/%d", lateN), Author: fmt.Sprintf("late%d", lateN), Published: t,
		Fetched: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), Lang: "en", Text: "late words about acme", EngagementTotal: 7, Brands: []string{"Acme"}, SentimentLabel: label}
}

// ownedPost makes m a post of the brand's own account.
func ownedPost(m store.Mention) store.Mention {
	m.Kind, m.Author = store.KindOwned, "acme_official"
	return m
}

func TestCacheInvalidation(t *testing.T) {
	ms := fixtureMentions()
	st := fixtureStore(t, ms)
	cfg := fixtureCfg(t, "")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) // Thursday: the grace ended at midnight
	c := NewCache(st, st, CacheOptions{Config: func() *config.Config { return cfg }})
	week := Request{Period: "week", Now: now}
	serve(t, c, st, week, true)
	serve(t, c, st, week, false) // nothing changed

	steps := []struct {
		name  string
		ms    []store.Mention
		built bool
	}{
		{"a late mention inside the window (its last day)", []store.Mention{late(time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), "negative")}, true},
		{"a late mention in the previous period", []store.Mention{late(time.Date(2026, 11, 9, 8, 0, 0, 0, time.UTC), "positive")}, true},
		{"a mention on the first day of the history", []store.Mention{late(time.Date(2026, 8, 31, 0, 30, 0, 0, time.UTC), "positive")}, true},
		{"a stranger's mention in the reply grace (owned replies only count there)", []store.Mention{late(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), "negative")}, false},
		{"a stranger's mention in the first hour after the window", []store.Mention{late(time.Date(2026, 11, 23, 0, 30, 0, 0, time.UTC), "negative")}, false},
		{"an owned post the day after the reply grace", []store.Mention{ownedPost(late(time.Date(2026, 11, 26, 0, 30, 0, 0, time.UTC), "neutral"))}, false},
		{"today's mention, after the reply grace", []store.Mention{late(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), "positive")}, false},
		{"a mention long before the history", []store.Mention{late(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), "positive")}, false},
		{"a mention the day before the history", []store.Mention{late(time.Date(2026, 8, 30, 23, 0, 0, 0, time.UTC), "positive")}, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			commitT(t, st, s.ms...)
			serve(t, c, st, week, s.built)
			serve(t, c, st, week, false)
		})
	}
	t.Run("an owned reply inside the grace (its last hour)", func(t *testing.T) {
		// the late mention of the window's last day, answered 71.5 h later
		parent, ok, err := st.Get(steps[0].ms[0].ID)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		f := &fix{n: 9000}
		f.reply("reddit", &parent, time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC).Sub(parent.Published), 2, "Acme")
		before := serve(t, c, st, week, false)
		commitT(t, st, f.ms...)
		after := serve(t, c, st, week, true)
		before.Meta.Watermark, before.Meta.Generated = after.Meta.Watermark, after.Meta.Generated
		a, _ := json.Marshal(before)
		b, _ := json.Marshal(after)
		if bytes.Equal(a, b) {
			t.Error("the reply in the grace changed nothing: the step tests nothing")
		}
	})
	t.Run("a sentiment re-score", func(t *testing.T) {
		_, _, err := st.Rescore(context.Background(), "v-test", 0, 100000, func(m *store.Mention) {
			if m.SentimentLabel == "neutral" {
				m.SentimentLabel, m.SentimentModel = "positive", "v-test"
			}
			m.SentimentModel = "v-test"
		})
		if err != nil {
			t.Fatal(err)
		}
		serve(t, c, st, week, true)
	})
	t.Run("a retention prune", func(t *testing.T) {
		if _, err := st.Prune(context.Background(), time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		serve(t, c, st, week, true)
		serve(t, c, st, week, false)
	})
	t.Run("a config reload", func(t *testing.T) {
		cfg = fixtureCfg(t, "\n[[topic]]\nname = \"late\"\nquery = \"late\"\n")
		serve(t, c, st, week, true)
		serve(t, c, st, week, false)
	})
	t.Run("the clock crossing into a new week", func(t *testing.T) {
		serve(t, c, st, Request{Period: "week", Now: time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC)}, false)
		serve(t, c, st, Request{Period: "week", Now: time.Date(2026, 11, 30, 0, 1, 0, 0, time.UTC)}, true)
	})
	t.Run("the clock crossing the end of a week in progress", func(t *testing.T) {
		cur := Request{Period: "week", End: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Now: now, Networks: []string{"reddit"}}
		if r := serve(t, c, st, cur, true); !hasNote(r, "partial") {
			t.Error("a week in progress is not marked partial")
		}
		cur.Now = time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
		serve(t, c, st, cur, false)
		cur.Now = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		if r := serve(t, c, st, cur, true); hasNote(r, "partial") {
			t.Error("a finished week is still marked partial")
		}
	})
	t.Run("the clock crossing into a new day", func(t *testing.T) {
		day := Request{Period: "day", Now: time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)}
		serve(t, c, st, day, true)
		day.Now = day.Now.Add(2 * time.Hour)
		serve(t, c, st, day, true)
	})
	if s := c.Stats(); s.Builds == 0 || s.Hits == 0 || s.Stale == 0 {
		t.Errorf("stats %+v: every kind should have happened", s)
	}
}

func hasNote(r *Report, key string) bool {
	for _, n := range r.Meta.NoteList {
		if n.Key == key {
			return true
		}
	}
	return false
}

// A source's coverage changing (a backfill lowering where its collection
// began) rebuilds: the report marks networks partly collected by it.
func TestCacheCoverageChange(t *testing.T) {
	ms := fixtureMentions()
	var xs []store.Mention
	for _, m := range ms {
		if m.Network == "x" && !m.Published.Before(winStart) {
			m.Fetched = m.Published
			xs = append(xs, m)
		}
	}
	st := fixtureStore(t, xs)
	cfg := fixtureCfg(t, "")
	c := NewCache(st, st, CacheOptions{Config: func() *config.Config { return cfg }})
	req := Request{Period: "week", Now: fixNow}
	before := serve(t, c, st, req, true)
	serve(t, c, st, req, false)
	if _, err := st.CommitPoll("x", nil, []byte("cursor"), store.SourceCoverage{Network: "x",
		Began: winStart.AddDate(0, 0, -100), Lookback: 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	after := serve(t, c, st, req, true)
	a, _ := json.Marshal(before)
	b, _ := json.Marshal(after)
	if bytes.Equal(a, b) {
		t.Error("the coverage change changed nothing: the test tests nothing")
	}
}

// The cache keeps CacheSize reports, the least recently used going first.
func TestCacheBounded(t *testing.T) {
	st := fixtureStore(t, fixtureMentions())
	cfg := fixtureCfg(t, "")
	c := NewCache(st, st, CacheOptions{Config: func() *config.Config { return cfg }})
	day := func(i int) Request {
		return Request{Period: "day", End: winStart.AddDate(0, 0, i), Now: fixNow}
	}
	for i := range CacheSize + 2 {
		serve(t, c, st, day(i), true)
	}
	if len(c.entries) != CacheSize {
		t.Errorf("%d entries, want %d", len(c.entries), CacheSize)
	}
	serve(t, c, st, day(CacheSize+1), false) // the most recent stays
	serve(t, c, st, day(0), true)            // the oldest went
}

// docs/report.md states the cache's size.
func TestCacheSizeDoc(t *testing.T) {
	raw, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(raw)), " ")
	if want := fmt.Sprintf("keeps the last %d reports it built", CacheSize); !strings.Contains(doc, want) {
		t.Errorf("%s does not say %q", reportDoc, want)
	}
}
