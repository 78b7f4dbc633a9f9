package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
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
// returns exactly the posts it counts (SOV mentions, net sentiment's
// positive + negative, a spike's day, owned posts, customer-care replies,
// a topic's mentions).
func TestFigureLinksReturnCountedMentions(t *testing.T) {
	st, cfg, day := clockScenario(t)
	// On the 20th (KST): two Globex mentions of the topic "recall", an Acme
	// post and an Acme reply (2 h later) to the 00:30 Acme mention.
	cfg.Topics = []config.Topic{{Name: "recall"}}
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour).UTC() }
	extra := []store.Mention{
		{ID: "hackernews:t1", Network: "hackernews", NativeID: "t1", Kind: store.KindMention, Text: "Globex recall", Brands: []string{"Globex"}, Topics: []string{"recall"}, Published: at(13), Fetched: at(13)},
		{ID: "hackernews:t2", Network: "hackernews", NativeID: "t2", Kind: store.KindMention, Text: "Globex recall again", Brands: []string{"Globex"}, Topics: []string{"recall"}, Published: at(14), Fetched: at(14)},
		{ID: "hackernews:o1", Network: "hackernews", NativeID: "o1", Kind: store.KindOwned, Text: "Acme kettles are back", Brands: []string{"Acme"}, Published: at(15), Fetched: at(15)},
		{ID: "hackernews:o2", Network: "hackernews", NativeID: "o2", Kind: store.KindOwned, Text: "Acme here: we are on it", Brands: []string{"Acme"}, ReplyTo: "hackernews:21", Published: at(2), Fetched: at(2)},
	}
	if _, err := st.Commit("hn", extra, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.Sync(ctx); err != nil {
		t.Fatal(err)
	}
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
	type cell struct{ table, col, row string } // row: its key cells, "|"-joined
	const sov = "Share of voice, sentiment and owned posts"
	want := map[string]int{
		"brand=Acme&network=hackernews&kind=mention&from=2026-11-20&to=2026-11-20":                               int(acme.Mentions),
		"brand=Acme&network=hackernews&kind=mention&sentiment=positive%2Cnegative&from=2026-11-20&to=2026-11-20": int(acme.Positive + acme.Negative),
	}
	from := map[string]cell{ // the cell each link must be on
		"brand=Acme&network=hackernews&kind=mention&from=2026-11-20&to=2026-11-20":                               {sov, "mentions", "hackernews|Acme"},
		"brand=Acme&network=hackernews&kind=mention&sentiment=positive%2Cnegative&from=2026-11-20&to=2026-11-20": {sov, "net", "hackernews|Acme"},
		"brand=Acme&network=hackernews&kind=owned&from=2026-11-20&to=2026-11-20":                                 {sov, "owned/wk", "hackernews|Acme"},
		"brand=Acme&network=hackernews&kind=owned&reply=yes&from=2026-11-20&to=2026-11-23":                       {"Customer care", "answered", "hackernews|Acme"},
		"network=hackernews&kind=mention&topic=recall&from=2026-11-20&to=2026-11-20":                             {"Topics", "mentions", "recall"},
	}
	if acme.Mentions != 8 || acme.Positive+acme.Negative != 6 || acme.OwnedPosts != 2 {
		t.Fatalf("scenario figures: %+v", acme)
	}
	want["brand=Acme&network=hackernews&kind=owned&from=2026-11-20&to=2026-11-20"] = int(acme.OwnedPosts)
	for _, c := range r.Care.Rows {
		if c.Network == "hackernews" && c.Brand == "Acme" {
			if c.Answered != 1 {
				t.Errorf("care = %+v, want 1 answered", c)
			}
			// Replies up to 72 h after the window (which ends at the 21st).
			want["brand=Acme&network=hackernews&kind=owned&reply=yes&from=2026-11-20&to=2026-11-23"] = int(c.Answered)
		}
	}
	if len(r.Topics.Topics) != 1 || r.Topics.Topics[0].Mentions != 2 {
		t.Fatalf("topics = %+v", r.Topics)
	}
	want["network=hackernews&kind=mention&topic=recall&from=2026-11-20&to=2026-11-20"] = int(r.Topics.Topics[0].Mentions)
	// The search page shows (and its form keeps) the filters it has no control for.
	if _, body := get(t, s, "/?network=hackernews&kind=owned&topic=recall&reply=yes"); !strings.Contains(body, `name="topic" value="recall"`) || !strings.Contains(body, `name="reply" value="yes" checked`) {
		t.Errorf("the search page drops the topic or reply filter")
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
			from[strings.TrimPrefix(sp.Search, "/?")] = cell{"Spikes", "mentions", sp.Day + "|hackernews|Acme"}
		}
	}
	for params, n := range want {
		if _, ok := links["/?"+params]; !ok {
			t.Errorf("the report page has no link /?%s", params)
		}
		if c := from[params]; pageCellHref(page, c.table, c.col, c.row) != "/?"+params {
			t.Errorf("%s / %s / %s links to %q, want /?%s", c.table, c.row, c.col, pageCellHref(page, c.table, c.col, c.row), params)
		}
		v, _ := url.ParseQuery(params)
		if got := searchTotal(t, s, v.Encode()); got != n {
			t.Errorf("following /?%s returns %d mentions, the figure counts %d", params, got, n)
		}
	}
}

// pageCellHref is the link of column col in the row of table title whose
// first cells read row ("|"-joined), "" when there is none.
func pageCellHref(page, title, col, row string) string {
	at := strings.Index(page, ">"+html.EscapeString(title)+"</h2>")
	if at < 0 {
		return ""
	}
	rest := page[at:]
	rest = rest[:strings.Index(rest, "</table>")+1]
	var head []string
	for _, m := range regexp.MustCompile(`<th>([^<]*)</th>`).FindAllStringSubmatch(rest, -1) {
		head = append(head, html.UnescapeString(m[1]))
	}
	keys := strings.Split(row, "|")
	cellRe := regexp.MustCompile(`<td[^>]*>(?:<a href="([^"]*)">)?([^<]*)`)
	for _, tr := range strings.Split(rest, "<tr")[2:] {
		cells := cellRe.FindAllStringSubmatch(tr, -1)
		if len(cells) != len(head) || len(cells) < len(keys) {
			continue
		}
		match := true
		for i, k := range keys {
			match = match && html.UnescapeString(cells[i][2]) == k
		}
		if i := slices.Index(head, col); match && i >= 0 {
			return html.UnescapeString(cells[i][1])
		}
	}
	return ""
}
