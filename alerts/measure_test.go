package alerts

import (
	"context"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// memFacts is an in-memory factReader over facts sorted by time: the
// replay below runs the engine's own evaluate on it without a store.
type memFacts struct {
	facts []*store.Fact
	began time.Time
}

func (m *memFacts) Facts(from, to time.Time, fn func(*store.Fact) error) error {
	i := sort.Search(len(m.facts), func(i int) bool { return !m.facts[i].Published.Before(from) })
	for ; i < len(m.facts) && m.facts[i].Published.Before(to); i++ {
		if err := fn(m.facts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (m *memFacts) CollectionBegan(string) time.Time { return m.began }

// Generated-year replay: the volume and step the docs state.
const (
	replayMentions = 500_000 // ≈57 an hour over 52 weeks, 10 brands
	replayStep     = 10 * time.Minute
)

// falseAlertsPerWeek replays bench/gen's seeded year (seed 1; no spikes
// are injected, so every alert is false) through the default spike and
// negative_surge rules of every brand, evaluated every replayStep as
// commits would, counting episodes as the engine does (fire once, end when
// subsided). It returns alerts per week and the weeks replayed.
func falseAlertsPerWeek(t testing.TB) (float64, float64) {
	g := gen.New(gen.Options{Seed: 1, Mentions: replayMentions})
	byBrand := map[string]*memFacts{}
	var first, last time.Time
	for {
		m, ok := g.Next()
		if !ok {
			break
		}
		if first.IsZero() {
			first = m.Published
		}
		last = m.Published
		f := &store.Fact{ID: m.ID, Published: m.Published.UTC(), Network: m.Network, Kind: m.Kind, Label: m.SentimentLabel,
			Brands: m.Brands, Engagement: m.EngagementTotal}
		for _, b := range m.Brands {
			if byBrand[b] == nil {
				byBrand[b] = &memFacts{began: first}
			}
			byBrand[b].facts = append(byBrand[b].facts, f)
		}
	}
	var rules []*rule
	for _, kind := range []string{config.AlertSpike, config.AlertNegativeSurge} {
		doc := "[[brand]]\nname = \"Brand0\"\nown = true\n[[alert_channel]]\nname = \"c\"\ntype = \"webhook\"\nurl = \"https://x.example\"\nsecret_env = \"S\"\n" +
			"[[alert]]\nname = \"r\"\nchannels = [\"c\"]\nkind = \"" + kind + "\"\n"
		cfg, err := config.Parse([]byte(doc), "defaults.toml", func(string) string { return "s" })
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, &rule{Alert: cfg.Alerts[0]})
	}
	alerts := 0
	for _, facts := range byBrand {
		slices.SortFunc(facts.facts, func(a, b *store.Fact) int { return a.Published.Compare(b.Published) })
		brand := ""
		for b := range byBrand {
			if byBrand[b] == facts {
				brand = b
			}
		}
		for _, r := range rules {
			active := false
			for now := first.Add(replayStep); now.Before(last); now = now.Add(replayStep) {
				ev, err := evaluate(facts, r, brand, "", now)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case !active && ev.Fires(r):
					active = true
					alerts++
					if os.Getenv("ALERTS_DEBUG") != "" {
						t.Logf("%s %s %s value %d mean %.1f sd %.1f th %.1f share %.2f", brand, r.Kind, now.Format(time.DateTime), ev.Value, ev.Base.Mean, ev.Base.StdDev, ev.Base.Threshold, ev.Share)
					}
				case active && subsided(ev.Value, ev.Base):
					active = false
				}
			}
		}
	}
	weeks := last.Sub(first).Hours() / (7 * 24)
	return float64(alerts) / weeks, weeks
}

// TestFalseAlertsPerWeekDocumented replays the generated year and requires
// docs/alerts.md to state the figure it measures.
func TestFalseAlertsPerWeekDocumented(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a generated year (a few seconds)")
	}
	perWeek, weeks := falseAlertsPerWeek(t)
	t.Logf("false alerts: %.2f a week over %.1f weeks (10 brands × spike + negative_surge, default thresholds)", perWeek, weeks)
	doc, err := os.ReadFile("../docs/alerts.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`false alerts per week: \*\*([0-9.]+)\*\*`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/alerts.md does not state \"false alerts per week: **N**\"")
	}
	stated, _ := strconv.ParseFloat(string(m[1]), 64)
	if math.Abs(stated-perWeek) > 0.005 {
		t.Errorf("docs/alerts.md states %.2f false alerts per week; the replay measures %.2f", stated, perWeek)
	}
}

// BenchmarkCommitToWebhook measures the time from a Commit that stores a
// mention a query rule matches to the webhook receiver's receipt
// (in-process, real bbolt, httptest receiver), and reports its p50 and p95
// next to those of the bare Commit (the baseline, same run).
func BenchmarkCommitToWebhook(b *testing.B) {
	f := newFixtureB(b)
	got := make(chan time.Time, 1)
	f.hook.onBody = func() { got <- time.Now() }
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = f.e.Run(ctx) })
	defer func() { cancel(); wg.Wait() }()
	var lat, commit []time.Duration
	b.ResetTimer()
	for i := range b.N {
		f.clk.Set(t0.Add(time.Duration(i) * time.Second))
		m := hit(f.clk.Now())
		start := time.Now()
		if _, err := f.st.Commit("bench", []store.Mention{m}, nil); err != nil {
			b.Fatal(err)
		}
		commit = append(commit, time.Since(start))
		lat = append(lat, (<-got).Sub(start))
	}
	b.StopTimer()
	b.ReportMetric(pct(lat, 0.5), "p50-ms")
	b.ReportMetric(pct(lat, 0.95), "p95-ms")
	b.ReportMetric(pct(commit, 0.95), "commit-p95-ms")
	b.ReportMetric(pct(lat, 0.95)/pct(commit, 0.95), "p95-ratio-to-commit")
}

func pct(ds []time.Duration, p float64) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(math.Ceil(p*float64(len(s))))-1)]) / 1e6
}

func newFixtureB(b *testing.B) *fixture {
	f := &fixture{dir: b.TempDir(), clk: &clock{t: t0}}
	f.hook = newReceiver(b, hookSecret)
	doc := baseConfig(f.hook.srv.URL) + "\n[[alert]]\nname = \"recalls\"\nkind = \"query\"\nquery = \"recall\"\ncooldown = \"0s\"\nchannels = [\"fast\"]\n" +
		"[[alert_channel]]\nname = \"fast\"\ntype = \"webhook\"\nurl = \"" + f.hook.srv.URL + "\"\nsecret_env = \"HOOK_SECRET\"\ndaily_cap = 1000000\n"
	cfg, err := config.Parse([]byte(doc), "bench.toml", func(k string) string {
		return map[string]string{"HOOK_SECRET": hookSecret, "SLACK_URL": "https://hooks.slack.example/x"}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(f.dir, store.Options{Clock: f.clk.Now, Logger: zerolog.Nop()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	f.st = st
	if f.e, err = New(Options{Store: st, Clock: f.clk.Now, Logger: zerolog.Nop(), Deps: Deps{DataDir: f.dir}}); err != nil {
		b.Fatal(err)
	}
	if err := f.e.SetConfig(cfg); err != nil {
		b.Fatal(err)
	}
	return f
}
