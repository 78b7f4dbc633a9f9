package digest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

func fp(v float64) *float64 { return &v }

// fixtureReport is a fixed synthetic week: Acme (own) against Globex and
// Initech, with Korean posts, terms, topics and goals.
func fixtureReport(networks []string) *report.Report {
	all := report.NetworkVoices{Network: "all", Category: 1240, CategoryPrev: 1100, Mentions: 1240, Leader: "Globex",
		Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 430, MentionsPrev: 400, MentionsChange: fp(7.5), SOV: 34.7, SOVPrev: fp(36.4), SOVChange: fp(-1.7),
				NetSentiment: fp(0.21), NetPrev: fp(0.33), Interactions: new(int64(5120))},
			{Brand: "Globex", Mentions: 610, MentionsPrev: 520, MentionsChange: fp(17.31), SOV: 49.2, SOVPrev: fp(47.3), SOVChange: fp(1.9),
				NetSentiment: fp(-0.05), NetPrev: fp(0.02), Interactions: new(int64(8800))},
			{Brand: "Initech", Mentions: 200, MentionsPrev: 180, MentionsChange: fp(11.11), SOV: 16.1, SOVPrev: fp(16.4), SOVChange: fp(-0.3),
				NetSentiment: nil, NetPrev: nil, Interactions: new(int64(900))},
		}}
	// Naver's collection began this week: changes are "prev. partly collected", not +60 pts.
	naver := report.NetworkVoices{Network: "naver", Category: 300, CategoryPrev: 0, Mentions: 300, PrevPartial: true, Leader: "Acme",
		Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 180, ChangeNote: "prev. partly collected", SOV: 60, SOVChangeNote: "prev. partly collected", NetSentiment: fp(0.4)},
			{Brand: "Globex", Mentions: 90, ChangeNote: "prev. partly collected", SOV: 30, SOVChangeNote: "prev. partly collected"},
			{Brand: "Initech", Mentions: 30, ChangeNote: "prev. partly collected", SOV: 10, SOVChangeNote: "prev. partly collected"},
		}}
	hn := report.NetworkVoices{Network: "hackernews", Category: 940, CategoryPrev: 1100, Mentions: 940, Leader: "Globex",
		Brands: []report.BrandFigures{
			{Brand: "Acme", Mentions: 250, MentionsPrev: 400, MentionsChange: fp(-37.5), SOV: 26.6, SOVChange: fp(-9.8),
				NetSentiment: fp(0.1), NetPrev: fp(0.33), Interactions: new(int64(3100))},
			{Brand: "Globex", Mentions: 520, MentionsPrev: 520, MentionsChange: fp(0), SOV: 55.3, SOVChange: fp(8.0), Interactions: new(int64(7400))},
			{Brand: "Initech", Mentions: 170, MentionsPrev: 180, MentionsChange: fp(-5.56), SOV: 18.1, SOVChange: fp(1.8), Interactions: new(int64(900))},
		}}
	voices := []report.NetworkVoices{all, hn, naver}
	if len(networks) > 0 {
		voices = []report.NetworkVoices{all}
		for _, v := range []report.NetworkVoices{hn, naver} {
			for _, n := range networks {
				if v.Network == n {
					voices = append(voices, v)
				}
			}
		}
	}
	return &report.Report{
		Meta:   report.Meta{Period: "week", Start: "2026-11-16T00:00:00+09:00", End: "2026-11-23T00:00:00+09:00", Timezone: "Asia/Seoul", Days: 7},
		Own:    "Acme",
		Brands: []string{"Acme", "Globex", "Initech"},
		Voice:  report.VoiceSection{Networks: voices},
		// Weekly shares over every network (hand-computed: totals 1000,
		// 1060, 1100, 1240).
		Trend: report.TrendSection{Weeks: []string{"2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"}, ShareWeeks: 4, Brands: []report.BrandTrend{
			{Brand: "Acme", WeeklyVolume: []int64{380, 400, 400, 430}, WeeklySOV: []*float64{fp(38), fp(37.74), fp(36.36), fp(34.68)}},
			{Brand: "Globex", WeeklyVolume: []int64{420, 470, 520, 610}, WeeklySOV: []*float64{fp(42), fp(44.34), fp(47.27), fp(49.19)}},
			{Brand: "Initech", WeeklyVolume: []int64{200, 190, 180, 200}, WeeklySOV: []*float64{fp(20), fp(17.92), fp(16.36), fp(16.13)}},
		}},
		Gap: report.GapSection{Index: []report.IndexRow{
			{Network: "all", Metric: "sov", Own: fp(34.7), Competitors: fp(32.65), CompIndex: fp(1.06)},
			{Network: "all", Metric: "net_sentiment", Own: fp(0.21), Competitors: fp(-0.05)},
			{Network: "all", Metric: "response_rate", Own: fp(12), Competitors: fp(30), CompIndex: fp(0.4)},
		}, WhiteSpace: []report.WhiteSpace{{Network: "naver", Category: 300, CategoryShare: 24.2, OwnSOV: 60, TopCompetitor: "Globex",
			TopCompetitorSV: 30, Status: "weak"}}},
		Spikes: report.SpikeSection{Spikes: []report.Spike{
			{Day: "2026-11-18", Network: "naver", Brand: "Globex", Mentions: 64, Mean: 12.3, Sigma: 4, Search: "/?brand=Globex&network=naver&from=2026-11-18&to=2026-11-18",
				Why: &report.SpikeExplanation{Top: []report.TopMention{{Network: "naver", URL: "https://blog.naver.com/g/7", Title: "글로벡스 요금제 인하 발표", Engagement: 512}}}},
			{Day: "2026-11-20", Network: "all", Brand: "Acme", Mentions: 120, Mean: 55, Sigma: 9.5},
		}},
		Goals: report.GoalSection{Goals: []report.GoalStatus{
			{Name: "네이버 점유율 40%", Brand: "Acme", Metric: "sov", Network: "naver", Unit: "%", Target: 40, Deadline: "2026-12-31",
				Current: fp(60), Progress: fp(100), Status: "met"},
			{Name: "Acme net sentiment", Brand: "Acme", Metric: "net_sentiment", Network: "all", Target: 0.4, Deadline: "2026-12-31",
				Current: fp(0.21), Progress: fp(35), Status: "behind"},
		}},
		Topics: report.TopicSection{Topics: []report.TopicRow{
			{Topic: "배터리", Mentions: 210, Prev: 150, Change: fp(40)},
			{Topic: "recall", Mentions: 3, Prev: 1, Note: "too few to call"},
			{Topic: "pricing", Mentions: 80, Prev: 100, Change: fp(-20)},
		}},
		Emerging: report.EmergingSection{Brands: []report.BrandTerms{
			{Brand: "Acme", Terms: []report.Emerging{{Term: "방전", Count: 40, Baseline: 5, Lift: 6.2}, {Term: "firmware", Count: 22, Baseline: 6, Lift: 3.1}}},
			{Brand: "Globex", Terms: []report.Emerging{{Term: "요금제", Count: 31, Baseline: 9, Lift: 2.9}}},
		}},
		Top: report.TopSection{Brands: []report.BrandTops{
			{Brand: "Acme",
				Negative: []report.TopMention{{ID: "naver:1", Network: "naver", URL: "https://blog.naver.com/acme_user/1",
					Title: "아크미 배터리 방전 문제 <심각>", Excerpt: "아크미 폰 배터리가 하루도 못 가요 ㅠㅠ 고객센터도 답이 없네요.",
					Author: "배터리장인", Published: "2026-11-18T10:00:00+09:00", Engagement: 340, Sentiment: -0.8}},
				Positive: []report.TopMention{{ID: "hackernews:41234567", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=41234567",
					Excerpt: "The new Acme firmware fixed the charging bug & doubled standby time.", Author: "tptacek",
					Published: "2026-11-17T08:12:00Z", Engagement: 212, Sentiment: 0.7}}},
			{Brand: "Globex",
				Negative: []report.TopMention{{ID: "x:99", Network: "x", URL: "javascript:alert(1)", Excerpt: "글로벡스 요금제 또 올랐네",
					Author: "kim", Published: "2026-11-19T21:00:00+09:00", Engagement: 88}}},
		}},
		// Acme's most engaged Hacker News posts: the evidence of its fall
		// there (3,100 interactions: 1,900 alone reach half, 1 post drew 61.3%).
		Drivers: []report.Drivers{{Network: "hackernews", Brand: "Acme", Posts: []report.TopMention{
			{ID: "hackernews:41234001", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=41234001",
				Title: "Ask HN: Has anyone else had their Acme phone battery swell after the November firmware update?", Engagement: 1900},
			{ID: "hackernews:41234567", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=41234567", Engagement: 700},
			{ID: "hackernews:41234999", Network: "hackernews", URL: "https://news.ycombinator.com/item?id=41234999", Engagement: 90}}}},
	}
}

// fixtureBuild serves fixtureReport and counts builds. Like the daemon's
// report.Cache it would serve a stale report to a request not marked
// Exact: it fails such a request, so every digest test checks the digest
// only ever asks exact reports.
type fixtureBuild struct {
	mu    sync.Mutex
	calls int
	reqs  []report.Request
}

func (f *fixtureBuild) Build(_ context.Context, req report.Request) (*report.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.reqs = append(f.reqs, req)
	if !req.Exact {
		return nil, errors.New("fixtureBuild: the digest asked a report that may be stale (Request.Exact unset)")
	}
	return fixtureReport(req.Networks), nil
}

// testConfig parses a configuration with a [digest] section; extra is
// appended inside [digest].
func testConfig(t testing.TB, dataDir, extra string, env map[string]string) *config.Config {
	t.Helper()
	doc := fmt.Sprintf(`[earshot]
data_dir = %q
timezone = "Asia/Seoul"
listen = "127.0.0.1:8089"

[[brand]]
name = "Acme"
own = true
terms = ["아크미"]

[[brand]]
name = "Globex"
terms = ["글로벡스"]

[[brand]]
name = "Initech"
terms = ["이니텍"]

[digest]
recipients = ["김민지 <kim@acme.example>"]
subject = "{{.Brand}} 주간 경쟁사 리포트 {{.Week}} ({{.From}}–{{.To}})"
%s

[[digest.recipient]]
email = "park@acme.example"
name = "Park"
brands = ["Globex"]
networks = ["naver"]
`, dataDir, extra)
	cfg, err := config.Parse([]byte(doc), "test.toml", func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// fakeClock is a settable clock whose Sleep advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	// onSleep, when set, runs after each advance (tests stop the runner).
	onSleep func(now time.Time)
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	now, hook := c.now, c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(now)
	}
	return ctx.Err()
}

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second, NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func contains(s string, subs ...string) string {
	var missing []string
	for _, x := range subs {
		if !strings.Contains(s, x) {
			missing = append(missing, x)
		}
	}
	return strings.Join(missing, " | ")
}
