package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/earshot/earshot/config"
)

// coverageScenario commits, by hand-computed steps (t0 = 2025-03-01 12:00
// UTC, d = a day):
//
//   - hn (hackernews, lookback 14d) first polls at t0 and stores a mention
//     fetched then: covered from t0 − 14d; its second poll (t0 + 1h, 0)
//     changes nothing.
//   - hn-ko (hackernews, lookback 72h), added later, first polls at t0 + 5d
//     and stores nothing: covered from t0 + 2d, known only from the poll;
//     its mention of t0 + 6d leaves it.
//   - x1 (x, lookback 14d capped at x's 7d history) first polls at t0 + 1d:
//     from t0 − 6d.
//   - feeds (rss: no history) first polls at t0: from t0.
//   - import (reddit) stores through plain Commit a mention fetched at
//     t0 − 1h and one without a fetch time published t0 − 2h: from t0 − 2h.
func coverageScenario(t *testing.T, s *Store) map[string]SourceCoverage {
	t.Helper()
	day := 24 * time.Hour
	row := func(n string) config.Network { r, _ := config.LookupNetwork(n); return r }
	poll := func(source, network string, at time.Time, lookback time.Duration, ms ...Mention) {
		t.Helper()
		for i := range ms {
			ms[i].Source, ms[i].Network, ms[i].Fetched = source, network, at
		}
		if _, err := s.CommitPoll(source, ms, []byte("c"), SourceCoverage{Network: network, Began: at, Lookback: lookback}); err != nil {
			t.Fatal(err)
		}
	}
	hnLookback := row(config.NetworkHackerNews).Backfill(14 * day)
	poll("hn", "hackernews", t0, hnLookback, mk("1", "", "acme", -72, "Acme"))
	poll("hn", "hackernews", t0.Add(time.Hour), 0, mk("2", "", "acme", 0, "Acme"))
	poll("hn-ko", "hackernews", t0.Add(5*day), row(config.NetworkHackerNews).Backfill(72*time.Hour))
	m3 := mk("3", "", "acme", 140, "Acme")
	poll("hn-ko", "hackernews", t0.Add(6*day), 0, m3)
	poll("x1", "x", t0.Add(day), row(config.NetworkX).Backfill(14*day))
	poll("feeds", "rss", t0, row(config.NetworkRSS).Backfill(14*day))
	a, b := mk("4", "", "acme", -5, "Acme"), mk("5", "", "acme", -2, "Acme")
	a.ID, a.Network, a.Source, a.Fetched = "reddit:4", "reddit", "import", t0.Add(-time.Hour)
	b.ID, b.Network, b.Source, b.Fetched = "reddit:5", "reddit", "import", time.Time{}
	if _, err := s.Commit("import", []Mention{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	return map[string]SourceCoverage{
		"hn":     {Network: "hackernews", Began: t0, Lookback: 14 * day},
		"hn-ko":  {Network: "hackernews", Began: t0.Add(5 * day), Lookback: 72 * time.Hour},
		"x1":     {Network: "x", Began: t0.Add(day), Lookback: 7 * day},
		"feeds":  {Network: "rss", Began: t0},
		"import": {Network: "reddit", Began: t0.Add(-2 * time.Hour)},
	}
}

func coverageT(t *testing.T, s *Store) map[string]SourceCoverage {
	t.Helper()
	got, err := s.Coverage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCollectionPerSource: each source's record, the same after a rebuild
// (rebuild == incremental), and the network rule over them.
func TestCollectionPerSource(t *testing.T) {
	s := openT(t, t.TempDir())
	want := coverageScenario(t, s)
	if got := coverageT(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("incremental coverage\n got %v\nwant %v", got, want)
	}
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := coverageT(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("rebuilt coverage\n got %v\nwant %v", got, want)
	}
	day := 24 * time.Hour
	src := func(name, network string) config.Source { return config.Source{Name: name, Network: network} }
	both := []config.Source{src("hn", "hackernews"), src("hn-ko", "hackernews"), src("x1", "x"), src("feeds", "rss"), src("bs", "bluesky")}
	for _, c := range []struct {
		name, network string
		sources       []config.Source
		want          time.Time // zero: never collected in full
	}{
		{"two sources: the later one's", "hackernews", both, t0.Add(2 * day)},
		{"hn-ko removed from the config", "hackernews", []config.Source{src("hn", "hackernews")}, t0.Add(-14 * day)},
		{"history capped at 7d", "x", both, t0.Add(-6 * day)},
		{"no history", "rss", both, t0},
		{"no configured source: the recorded ones", "reddit", both, t0.Add(-2 * time.Hour)},
		{"configured, never polled", "bluesky", both, time.Time{}},
		{"one configured source not polled yet", "hackernews", append(both, src("hn-new", "hackernews")), time.Time{}},
		{"no configuration: every recorded source", "hackernews", nil, t0.Add(2 * day)},
		{"nothing at all", "mastodon", nil, time.Time{}},
	} {
		from, ok := CoveredFrom(want, c.network, c.sources)
		if ok != !c.want.IsZero() || !from.Equal(c.want) {
			t.Errorf("%s: covered from %v (%v), want %v", c.name, from, ok, c.want)
		}
	}
}

// TestCollectionUpgrade: a data dir without coverage records (written
// before them) gets one per source from its log on the rebuild: the
// earliest fetch time, reaching back nothing (the lookback is unknown).
func TestCollectionUpgrade(t *testing.T) {
	s := openT(t, t.TempDir())
	coverageScenario(t, s)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketCollection); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketCollection)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := map[string]SourceCoverage{
		"hn":     {Network: "hackernews", Began: t0},
		"hn-ko":  {Network: "hackernews", Began: t0.Add(6 * 24 * time.Hour)},
		"import": {Network: "reddit", Began: t0.Add(-2 * time.Hour)},
	}
	if got := coverageT(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("coverage from the log\n got %v\nwant %v", got, want)
	}
}

// TestCollectionInOutbox: alerts read the network rule inside the commit,
// over every recorded source; "" is the earliest network.
func TestCollectionInOutbox(t *testing.T) {
	s := openT(t, t.TempDir())
	var hn, all time.Time
	s.SetCommitHook(func(tx *OutboxTx, _ []Mention) error {
		hn, all = tx.CollectionBegan("hackernews"), tx.CollectionBegan("")
		return nil
	}, nil)
	coverageScenario(t, s)
	if want := t0.Add(2 * 24 * time.Hour); !hn.Equal(want) {
		t.Errorf("hackernews in the outbox: %v, want %v", hn, want)
	}
	if want := t0.Add(-6 * 24 * time.Hour); !all.Equal(want) {
		t.Errorf("earliest network in the outbox: %v, want %v (x)", all, want)
	}
}

// A completed poll saves a cursor: CommitPoll refuses one without.
func TestCollectionPollNeedsCursor(t *testing.T) {
	s := openT(t, t.TempDir())
	if _, err := s.CommitPoll("hn", nil, nil, SourceCoverage{Network: "hackernews", Began: t0}); err == nil {
		t.Fatal("CommitPoll without a cursor succeeded")
	}
	if got := coverageT(t, s); len(got) != 0 {
		t.Errorf("coverage recorded without a poll: %v", got)
	}
}
