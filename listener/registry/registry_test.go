package registry

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/replay"
)

func env(k string) string {
	switch k {
	case "REDDIT_ID", "REDDIT_SECRET", "MASTODON_TOKEN", "BSKY_PASSWORD", "NAVER_ID", "NAVER_SECRET", "YT_KEY", "X_TOKEN":
		return "secret"
	}
	return ""
}

type fakeBudget struct{ limit int }

func (fakeBudget) Take(int) error                { return nil }
func (b fakeBudget) Usage() listener.BudgetUsage { return listener.BudgetUsage{Limit: b.limit} }

// Every network of the table is configured in the test config, and every
// configured source becomes a job of its network with its interval, timeout
// and budget.
func TestJobsForEveryNetwork(t *testing.T) {
	cfg, err := config.Load("testdata/networks.toml", env)
	if err != nil {
		t.Fatal(err)
	}
	budgets := map[string]*time.Location{}
	d := Deps{Fetcher: httpx.New(httpx.Options{}), Budget: func(source string, limit int, loc *time.Location) listener.Budget {
		budgets[source] = loc
		return fakeBudget{limit}
	}}
	jobs, err := Jobs(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != len(cfg.Sources) {
		t.Fatalf("%d jobs for %d sources", len(jobs), len(cfg.Sources))
	}
	for i, j := range jobs {
		s := cfg.Sources[i]
		if j.Source.Network() != s.Network || j.Source.Name() != s.Name || j.Every != s.Every.Std() || j.Timeout != s.Timeout.Std() {
			t.Errorf("job %d = %s/%s every %v timeout %v; source %+v", i, j.Source.Network(), j.Source.Name(), j.Every, j.Timeout, s)
		}
		if wantBudget := s.DailyBudget > 0; (j.Budget != nil) != wantBudget {
			t.Errorf("%s: budget %v, want one: %v", s.Name, j.Budget, wantBudget)
		}
	}
	if loc := budgets["youtube"]; loc == nil || loc.String() != "America/Los_Angeles" {
		t.Errorf("youtube budget day in %v, want America/Los_Angeles", loc)
	}
	for _, name := range []string{"naver", "daum"} {
		if loc := budgets[name]; loc == nil || loc.String() != "Asia/Seoul" {
			t.Errorf("%s budget day in %v, want Asia/Seoul", name, loc)
		}
	}
	for _, n := range config.NetworkNames() {
		if !slices.ContainsFunc(cfg.Sources, func(s config.Source) bool { return s.Network == n }) {
			t.Errorf("the test config has no %s source", n)
		}
	}
}

// A brand's blog feed (handles.rss) is followed as an implicit source
// whose posts are all owned by the brand.
func TestOwnedFeeds(t *testing.T) {
	feed, err := fs.ReadFile(replay.Recordings(), replay.FeedDir+"/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	defer srv.Close()
	cfg := &config.Config{Brands: []config.Brand{{Name: "Acme", Own: true, Handles: map[string][]string{"rss": {srv.URL + "/blog.xml"}}}}}
	fixtureNow := func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
	jobs, err := Jobs(cfg, Deps{Fetcher: httpx.New(httpx.Options{PerHostInterval: -1}), Clock: fixtureNow})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs = %v, %v", jobs, err)
	}
	src := jobs[0].Source
	if src.Name() != "owned-rss-Acme" {
		t.Errorf("name = %s", src.Name())
	}
	posts, _, err := src.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) == 0 {
		t.Fatal("no post from the brand's feed")
	}
	for _, p := range posts {
		if !p.Owned || p.OwnedBrand != "Acme" {
			t.Errorf("post %s not owned by Acme: %+v", p.NativeID, p)
		}
	}
}

func TestQueriesDefaultToBrandTerms(t *testing.T) {
	cfg := &config.Config{Brands: []config.Brand{{Name: "Acme", Terms: []string{"아크미", "Acme"}}, {Name: "Globex"}}}
	got := queries(cfg, config.Source{})
	if len(got) != 3 || got[0] != "Acme" || got[1] != "아크미" || got[2] != "Globex" {
		t.Errorf("queries = %v", got)
	}
	if got := queries(cfg, config.Source{Queries: []string{"x"}}); len(got) != 1 {
		t.Errorf("configured queries = %v", got)
	}
	if h := hashtag("Acme Corp!"); h != "AcmeCorp" {
		t.Errorf("hashtag = %q", h)
	}
}
