package alerts

import (
	"math"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/store"
)

// TestSeasonalHandComputed checks the baseline against hand arithmetic:
// counts 4, 6, 5, 5 → mean 5, sample σ = √(2/3) = 0.8165, spread =
// max(0.8165, √5 + 1 = 3.2361) = 3.2361, threshold at 3σ = 14.708.
func TestSeasonalHandComputed(t *testing.T) {
	b := seasonal([]int64{4, 6, 5, 5}, 3)
	if b.Weeks != 4 || b.Mean != 5 || math.Abs(b.StdDev-0.8165) > 1e-4 || math.Abs(b.Spread()-3.2361) > 1e-4 || math.Abs(b.Threshold-14.7082) > 1e-4 {
		t.Fatalf("baseline %+v spread %v", b, b.Spread())
	}
	for _, c := range []struct {
		count int64
		b     Baseline
		min   int
		want  bool
	}{
		{15, b, 10, true},
		{14, b, 10, false},                       // under the threshold
		{15, b, 16, false},                       // under min_count
		{50, seasonal([]int64{5}, 3), 1, false},  // one week is not a baseline
		{3, seasonal([]int64{0, 0}, 3), 1, true}, // spread floor √0 + 1: threshold 3
		{2, seasonal([]int64{0, 0}, 3), 1, false},
	} {
		if got := fires(c.count, c.b, c.min); got != c.want {
			t.Errorf("fires(%d, %+v, %d) = %v", c.count, c.b, c.min, got)
		}
	}
	if b2 := seasonal([]int64{10, 30, 10, 30}, 2); math.Abs(b2.StdDev-11.547) > 1e-3 || math.Abs(b2.Threshold-(20+2*11.547)) > 1e-3 {
		t.Errorf("wide baseline %+v", b2)
	}
	if !subsided(8, b) || subsided(9, b) { // mean + spread = 8.236
		t.Error("subsided uses mean + spread")
	}
}

const spikeRule = `
[[alert]]
name = "acme-spike"
kind = "spike"
sigma = 3
min_count = 10
ended = true
channels = ["hook"]
`

func TestSpikeFiresAndQuietTwinDoesNot(t *testing.T) {
	for _, c := range []struct {
		name  string
		burst int
		want  int
	}{{"spike", 20, 1}, {"quiet twin", 9, 0}} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, spikeRule)
			f.history("Acme", "hackernews", t0, []int{4, 6, 5, 5}, "")
			f.burst("Acme", "hackernews", t0, c.burst, "")
			f.flush()
			got := f.hook.got()
			if len(got) != c.want {
				t.Fatalf("%d webhook deliveries, want %d", len(got), c.want)
			}
			if c.want == 0 {
				return
			}
			a := got[0].Alerts[0]
			if a.Kind != "spike" || a.Brand != "Acme" || *a.Count != int64(c.burst) || *a.Mean != 5 || a.Weeks != 4 || math.Abs(*a.Threshold-14.708) > 1e-3 {
				t.Errorf("alert %+v", a)
			}
			if len(a.Posts) == 0 || a.Posts[0].URL == "" || a.Search == "" || a.Report == "" {
				t.Errorf("not explained: posts %+v search %q report %q", a.Posts, a.Search, a.Report)
			}
			if f.hook.badSig != 0 {
				t.Error("bad signature")
			}
			// More mentions in the same episode do not fire again.
			f.burst("Acme", "hackernews", t0, 5, "")
			f.flush()
			if n, h := len(f.hook.got()), len(f.list()); n != 1 || h != 1 {
				t.Errorf("%d deliveries and %d history entries after more of the same spike, want 1 and 1", n, h)
			}
			// Two hours later the window is empty: the spike ended.
			f.clk.Set(t0.Add(2 * time.Hour))
			f.maintain()
			f.flush()
			got = f.hook.got()
			if len(got) != 2 || got[1].Alerts[0].State != notify.StateEnded {
				t.Errorf("no ended notice: %d deliveries", len(got))
			}
		})
	}
}

func TestSpikeNeedsHistory(t *testing.T) {
	f := newFixture(t, spikeRule)
	// Collection began 10 days ago: under min_history (14d), and only one
	// collected week.
	f.commit(mention("Acme", "hackernews", t0.Add(-10*24*time.Hour), ""))
	f.burst("Acme", "hackernews", t0, 40, "")
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("a young install fired %d alerts", n)
	}
}

func TestNegativeSurge(t *testing.T) {
	rule := `
[[alert]]
name = "complaints"
kind = "negative_surge"
sigma = 3
min_count = 6
min_share = 0.4
channels = ["hook"]
`
	for _, c := range []struct {
		name       string
		neg, other int
		want       int
	}{{"surge", 10, 5, 1}, {"quiet twin: same negatives, mostly positive", 10, 40, 0}, {"quiet twin: few", 4, 0, 0}} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, rule)
			f.history("Acme", "hackernews", t0, []int{1, 0, 1, 0}, "negative")
			f.history("Acme", "hackernews", t0, []int{20, 20, 20, 20}, "positive")
			f.commit(append(burst("Acme", "hackernews", t0, c.neg, "negative"), burst("Acme", "hackernews", t0, c.other, "positive")...)...)
			f.flush()
			got := f.hook.got()
			if len(got) != c.want {
				t.Fatalf("%d deliveries, want %d", len(got), c.want)
			}
			if c.want == 1 {
				a := got[0].Alerts[0]
				if *a.Count != int64(c.neg) || math.Abs(*a.Share-float64(c.neg)/float64(c.neg+c.other)) > 1e-9 {
					t.Errorf("alert count %d share %v", *a.Count, *a.Share)
				}
			}
		})
	}
}

const queryRule = `
[[alert]]
name = "recalls"
kind = "query"
query = "recall OR lawsuit OR 리콜 OR 소송"
min_followers = 100
cooldown = "1h"
channels = ["hook", "slack"]
`

func TestQueryRule(t *testing.T) {
	f := newFixture(t, queryRule)
	hit := mention("Acme", "x", t0.Add(-time.Minute), "")
	hit.Text, hit.AuthorFollowers = "Acme 보조배터리 리콜 소식", 500
	small := mention("Acme", "x", t0.Add(-time.Minute), "")
	small.Text, small.AuthorFollowers = "recall!", 10 // under min_followers
	other := mention("Acme", "x", t0.Add(-time.Minute), "")
	other.Text, other.AuthorFollowers = "love the new colour", 5000
	old := mention("Acme", "x", t0.Add(-72*time.Hour), "")
	old.Text, old.AuthorFollowers = "lawsuit filed", 5000 // a backfill: not fresh
	f.commit(small, other, old)
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("quiet twins fired %d", n)
	}
	f.commit(hit)
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || got[0].Alerts[0].Posts[0].ID != hit.ID {
		t.Fatalf("deliveries %+v", got)
	}
	if f.slack.calls != 1 || !contains(string(f.slack.raw[0]), `"blocks"`) || !contains(string(f.slack.raw[0]), "리콜") {
		t.Fatalf("slack got %d: %s", f.slack.calls, f.slack.raw)
	}
	// A second match within the cooldown is suppressed, held and counted.
	second := mention("Acme", "x", t0.Add(-time.Minute), "")
	second.Text, second.AuthorFollowers = "another lawsuit", 500
	f.commit(second)
	f.flush()
	if n := len(f.hook.got()); n != 1 {
		t.Fatalf("cooldown let %d through", n)
	}
	l := f.list()
	if l[0].Status != StatusSuppressed || l[0].Alert.Held != 1 || l[0].Deliveries["hook"].Reason != "cooldown" {
		t.Fatalf("suppressed record %+v", l[0])
	}
	// After the cooldown the next one goes out and says one was held.
	f.clk.Set(t0.Add(61 * time.Minute))
	third := mention("Acme", "x", t0.Add(60*time.Minute), "")
	third.Text, third.AuthorFollowers = "recall expanded", 500
	f.commit(third)
	f.flush()
	got = f.hook.got()
	if len(got) != 2 || got[1].Alerts[0].Held != 1 || !contains(got[1].Text, "1 similar alerts were held back") {
		t.Fatalf("after cooldown: %+v", got)
	}
}

func TestCompetitorRules(t *testing.T) {
	rules := `
[[alert]]
name = "globex-posts"
kind = "competitor"
channels = ["hook"]

[[alert]]
name = "globex-spike"
kind = "competitor"
brand = "Globex"
trigger = "spike"
sigma = 3
min_count = 10
channels = ["hook"]
`
	f := newFixture(t, rules)
	own := mention("Acme", "x", t0.Add(-time.Minute), "")
	own.Kind = store.KindOwned // the own brand's post: quiet twin
	f.commit(own)
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("own post fired %d", n)
	}
	post := mention("Globex", "x", t0.Add(-time.Minute), "")
	post.Kind = store.KindOwned
	f.commit(post)
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || got[0].Alerts[0].Rule != "globex-posts" || got[0].Alerts[0].Brand != "Globex" {
		t.Fatalf("competitor post: %+v", got)
	}
	f.history("Globex", "x", t0, []int{2, 3, 2, 3}, "")
	f.burst("Globex", "x", t0, 6, "") // quiet twin: under min_count
	f.flush()
	if n := len(f.hook.got()); n != 1 {
		t.Fatalf("small rise fired: %d", n)
	}
	f.burst("Globex", "x", t0, 10, "")
	f.flush()
	got = f.hook.got()
	if len(got) != 2 || got[1].Alerts[0].Rule != "globex-spike" || !contains(got[1].Subject, "Competitor spike") {
		t.Fatalf("competitor spike: %+v", got)
	}
}

func TestSourceRule(t *testing.T) {
	rules := `
[[alert]]
name = "feeds-down"
kind = "source"
failing_for = "30m"
silent_for = "6h"
channels = ["hook"]
`
	f := newFixture(t, rules)
	var states []SourceState
	f.e.opts.Sources = func() []SourceState { return states }
	states = []SourceState{
		{Name: "hn", Network: "hackernews", Started: t0.Add(-time.Hour), LastStored: t0.Add(-time.Minute)},
		{Name: "feeds", Network: "rss", Started: t0.Add(-time.Hour), LastStored: t0.Add(-time.Minute), FailingSince: t0.Add(-20 * time.Minute), LastError: "HTTP 503"},
	}
	f.maintain()
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("healthy and briefly failing sources fired %d", n)
	}
	f.clk.Set(t0.Add(15 * time.Minute)) // failing for 35m now
	f.maintain()
	f.maintain() // the same episode does not fire twice
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || got[0].Alerts[0].Source != "feeds" || !contains(got[0].Alerts[0].Problem, "HTTP 503") {
		t.Fatalf("failing source: %+v", got)
	}
	f.clk.Set(t0.Add(7 * time.Hour)) // hn silent for 7h; feeds still failing (same episode)
	f.maintain()
	f.flush()
	got = f.hook.got()
	if len(got) != 2 || got[1].Alerts[0].Source != "hn" || !contains(got[1].Alerts[0].Problem, "silent") {
		t.Fatalf("silent source: %+v", got)
	}
}

// Weeks before collection began are left out of the baseline, never
// counted as zero: collection began 15 days ago, so only 2 of the 4 weeks
// count (mean 10, not 5).
func TestSpikeBaselineOnlyCollectedWeeks(t *testing.T) {
	f := newFixture(t, `
[[alert]]
name = "acme-spike"
kind = "spike"
sigma = 1
min_count = 10
channels = ["hook"]
`)
	ms := []store.Mention{mention("Acme", "hackernews", t0.Add(-15*24*time.Hour), "")}
	for k := 1; k <= 2; k++ {
		ms = append(ms, burst("Acme", "hackernews", t0.Add(-time.Duration(k)*week), 10, "")...)
	}
	f.commit(ms...)
	f.burst("Acme", "hackernews", t0, 12, "") // under 10 + 1 × (√10 + 1) = 14.16
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("fired against a baseline padded with uncollected weeks: %d", n)
	}
	f.burst("Acme", "hackernews", t0, 4, "")
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || got[0].Alerts[0].Weeks != 2 || *got[0].Alerts[0].Mean != 10 {
		t.Fatalf("deliveries %+v", got)
	}
}
