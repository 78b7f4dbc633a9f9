package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Weekly shares compare the same networks in every plotted week (issue 18).
// Hand-computed (UTC): hackernews covered from 10-26 (first poll 11-16
// with a 21-day lookback), mastodon from 11-16 00:00 (first poll then, no
// lookback). Mentions:
//
//	week      hackernews        mastodon
//	11-02     Acme 1, Globex 3  —
//	11-09     Acme 2, Globex 2  —
//	11-16     Acme 3, Globex 1  Globex 10 (collected this week only)
//
// The share networks are hackernews alone (the only one collected in all
// 3 weeks with a mention; 10-26 has none): Acme 25%, 50%, 75%; Globex 75%,
// 50%, 25%. Over every network the last week would read Acme 3 ÷ 14 =
// 21.4%, against earlier weeks of Hacker News alone. Filtered to mastodon:
// one week, Globex 100%.
func TestTrendSharesOverNetworksCollectedEveryWeek(t *testing.T) {
	s, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true, Clock: func() time.Time { return fixNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	f := &fix{}
	put := func(network string, day, n int, brand string) {
		for i := range n {
			f.add(network, day, 8+float64(i)/10, "neutral", 1, brand)
		}
	}
	put("hackernews", -14, 1, "Acme")
	put("hackernews", -13, 3, "Globex")
	put("hackernews", -7, 2, "Acme")
	put("hackernews", -6, 2, "Globex")
	put("hackernews", 1, 3, "Acme")
	put("hackernews", 2, 1, "Globex")
	put("mastodon", 3, 10, "Globex")
	for _, n := range []struct {
		source, network string
		lookback        time.Duration
	}{{"hn", "hackernews", 21 * 24 * time.Hour}, {"rd", "mastodon", 0}} {
		var ms []store.Mention
		for _, m := range f.ms {
			if m.Network == n.network {
				m.Source, m.Fetched = n.source, winStart
				ms = append(ms, m)
			}
		}
		cov := store.SourceCoverage{Network: n.network, Began: winStart, Lookback: n.lookback}
		if _, err := s.CommitPoll(n.source, ms, []byte("c"), cov); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fixtureCfg(t, `
[[source]]
name = "hn"
network = "hackernews"
lookback = "21d"

[[source]]
name = "rd"
network = "mastodon"
base_url = "https://mastodon.social"
`)
	shares := func(r *Report, brand string) string {
		for _, bt := range r.Trend.Brands {
			if bt.Brand == brand {
				var out []string
				for _, p := range bt.WeeklySOV[len(bt.WeeklySOV)-r.Trend.ShareWeeks:] {
					if p == nil {
						out = append(out, "null")
					} else {
						out = append(out, fmt.Sprintf("%.1f", *p))
					}
				}
				return strings.Join(out, " ")
			}
		}
		return "no brand"
	}
	r := buildT(t, s, Request{Config: cfg, End: winEnd, Now: fixNow})
	if got := strings.Join(r.Trend.ShareNetworks, ","); got != "hackernews" || r.Trend.ShareWeeks != 3 {
		t.Fatalf("share networks %q over %d weeks, want hackernews over 3", got, r.Trend.ShareWeeks)
	}
	if a, g := shares(r, "Acme"), shares(r, "Globex"); a != "25.0 50.0 75.0" || g != "75.0 50.0 25.0" {
		t.Errorf("Acme %s, Globex %s; want 25 50 75 and 75 50 25", a, g)
	}
	for _, bt := range r.Trend.Brands {
		if n := len(bt.WeeklySOV); n != len(r.Trend.Weeks) || bt.WeeklySOV[n-4] != nil {
			t.Errorf("%s: %d weekly shares for %d weeks, week 10-26 %v (want null)", bt.Brand, n, len(r.Trend.Weeks), bt.WeeklySOV[n-4])
		}
	}
	rd := buildT(t, s, Request{Config: cfg, End: winEnd, Now: fixNow, Networks: []string{"mastodon"}})
	if got := strings.Join(rd.Trend.ShareNetworks, ","); got != "mastodon" || rd.Trend.ShareWeeks != 1 || shares(rd, "Globex") != "100.0" {
		t.Errorf("mastodon only: %q over %d weeks, Globex %s; want mastodon over 1, 100.0", got, rd.Trend.ShareWeeks, shares(rd, "Globex"))
	}
}
