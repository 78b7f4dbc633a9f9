package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// clockScenario is a Seoul install: 20 days of one Acme mention a day at
// noon KST (the baseline), then 2026-11-20 (a Friday, KST) with mentions
// near both of its midnights (23:30 KST on the 19th and 00:30 / 23:30 KST on
// the 20th, which are the 19th and 20th in UTC), labelled mentions, a
// Globex mention, and one Acme mention whose date is estimated.
func clockScenario(t *testing.T) (*store.Store, *config.Config, time.Time) {
	t.Helper()
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Earshot: config.Earshot{Timezone: "Asia/Seoul", Location: seoul},
		Brands: []config.Brand{{Name: "Acme", Own: true, Terms: []string{"Acme"}}, {Name: "Globex", Terms: []string{"Globex"}}}}
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, seoul)
	var ms []store.Mention
	add := func(brand string, at time.Time, label string, estimated bool, text string) {
		n := len(ms)
		ms = append(ms, store.Mention{ID: fmt.Sprintf("hackernews:%d", n), Network: "hackernews", NativeID: strconv.Itoa(n), Kind: store.KindMention,
			URL: fmt.Sprintf("https://news.ycombinator.com/item?id=%d", n), Text: text, Brands: []string{brand}, Published: at.UTC(), Fetched: at.UTC(),
			SentimentLabel: label, EngagementTotal: int64(n), PublishedEstimated: estimated})
	}
	for i := 20; i >= 1; i-- {
		add("Acme", day.AddDate(0, 0, -i).Add(12*time.Hour), "neutral", false, "Acme kettle review")
	}
	add("Acme", day.Add(-30*time.Minute), "negative", false, "Acme kettle recall late night") // 19th KST
	for i, m := range []int{30, 90, 300, 600, 900, 1200, 1410} {                              // 20th KST, 00:30 … 23:30
		label := []string{"positive", "negative", "negative", "neutral", "positive", "negative", "negative"}[i]
		add("Acme", day.Add(time.Duration(m)*time.Minute), label, false, "Acme kettle recall announced")
	}
	add("Globex", day.Add(10*time.Hour), "positive", false, "Globex kettle")
	add("Acme", day.Add(11*time.Hour), "", true, "Acme kettle recall, undated café post")
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Commit("hn", ms, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return st, cfg, day
}

func clockServer(st *store.Store, cfg *config.Config, now time.Time) *Server {
	return New(Options{Searcher: st, Logger: zerolog.Nop(), Clock: func() time.Time { return now },
		Zone: func() *time.Location { return cfg.Earshot.Location }, Brands: []string{"Acme", "Globex"}, Networks: []string{"hackernews"},
		Reporter: report.NewBuilder(st, func() *config.Config { return cfg })})
}

func searchTotal(t *testing.T, s *Server, params string) int {
	t.Helper()
	rec, body := get(t, s, "/api/search?facets=none&"+params)
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", params, rec.Code, body)
	}
	m := regexp.MustCompile(`"total":(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no total in %s", params, body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// One clock: a date in a search is the configured zone's day, the day the
// report counts. In UTC days the 20th KST holds a different set of
// mentions (the 18-vs-15 bug); here search and report agree.
func TestSearchDaysAreReportDays(t *testing.T) {
	st, cfg, day := clockScenario(t)
	s := clockServer(st, cfg, day.AddDate(0, 0, 3))
	// 7 dated + 1 estimated Acme mentions stamped on the 20th KST; the one
	// at 23:30 on the 19th KST is the 20th in UTC and must not count.
	if got := searchTotal(t, s, "brand=Acme&from=2026-11-20&to=2026-11-20"); got != 8 {
		t.Errorf("search of the 20th (Seoul) = %d Acme mentions, want 8", got)
	}
	r, err := report.Build(context.Background(), st, report.Request{Config: cfg, Period: "day", End: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Now: day.AddDate(0, 0, 3)})
	if err != nil {
		t.Fatal(err)
	}
	for _, nv := range r.Voice.Networks {
		for _, b := range nv.Brands {
			if nv.Network == "all" && b.Brand == "Acme" && b.Mentions != 8 {
				t.Errorf("report of the 20th (Seoul) = %d Acme mentions, want 8", b.Mentions)
			}
		}
	}
	// "Today" is the local day: at 00:10 KST on the 21st it is the 21st.
	s = clockServer(st, cfg, time.Date(2026, 11, 20, 15, 10, 0, 0, time.UTC))
	if _, body := get(t, s, "/?q=acme"); !strings.Contains(body, "from=2026-11-21") {
		t.Errorf("the Today preset is not the local day")
	}
}

// A figure you can open: following the report page's link of a figure
// returns exactly the mentions it counts (SOV mentions, net sentiment's
// positive + negative, a spike's day).
func TestFigureLinksReturnCountedMentions(t *testing.T) {
	st, cfg, day := clockScenario(t)
	s := clockServer(st, cfg, day.AddDate(0, 0, 3))
	r, err := report.Build(context.Background(), st, report.Request{Config: cfg, Period: "day", End: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Now: day.AddDate(0, 0, 3)})
	if err != nil {
		t.Fatal(err)
	}
	_, page := get(t, s, "/report?period=day&end=2026-11-20")
	links := map[string]string{} // anchor text → href, per figure
	for _, m := range regexp.MustCompile(`<a href="(/\?[^"]+)">([^<]*)</a>`).FindAllStringSubmatch(page, -1) {
		links[html.UnescapeString(m[1])] = m[2]
	}
	var acme report.BrandFigures
	for _, nv := range r.Voice.Networks {
		for _, b := range nv.Brands {
			if nv.Network == "hackernews" && b.Brand == "Acme" {
				acme = b
			}
		}
	}
	want := map[string]int{
		"brand=Acme&network=hackernews&kind=mention&from=2026-11-20&to=2026-11-20":                               int(acme.Mentions),
		"brand=Acme&network=hackernews&kind=mention&sentiment=positive%2Cnegative&from=2026-11-20&to=2026-11-20": int(acme.Positive + acme.Negative),
	}
	if acme.Mentions != 8 || acme.Positive+acme.Negative != 6 {
		t.Fatalf("scenario figures: %+v", acme)
	}
	if len(r.Spikes.Spikes) == 0 {
		t.Fatalf("no spike on the 20th: %+v", r.Spikes)
	}
	for _, sp := range r.Spikes.Spikes {
		if sp.Brand == "Acme" && sp.Network == "hackernews" {
			// Collection began at noon on the 1st baseline day: 19 whole
			// days, 20 dated mentions (two on the 19th): mean 20/19, σ =
			// √(22/19 − (20/19)²) = 0.22; the estimated one is left out.
			if sp.Mentions != 7 || sp.Estimated != 1 || sp.BaselineDays != 19 || sp.Mean != 1.05 || sp.Sigma != 0.22 || sp.Why == nil || len(sp.Why.Top) != 3 {
				t.Errorf("spike = %+v", sp)
			}
			want[strings.TrimPrefix(sp.Search, "/?")] = int(sp.Mentions + sp.Estimated)
		}
	}
	for params, n := range want {
		if _, ok := links["/?"+params]; !ok {
			t.Errorf("the report page has no link /?%s", params)
		}
		v, _ := url.ParseQuery(params)
		if got := searchTotal(t, s, v.Encode()); got != n {
			t.Errorf("following /?%s returns %d mentions, the figure counts %d", params, got, n)
		}
	}
}
