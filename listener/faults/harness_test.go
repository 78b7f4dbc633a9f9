package faults_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/daum/daumfake"
	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/listener/naver/naverfake"
	"github.com/earshot/earshot/listener/reddit/redditfake"
	"github.com/earshot/earshot/listener/registry"
	"github.com/earshot/earshot/listener/replay"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
	"github.com/earshot/earshot/listener/x/xfake"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
	"github.com/earshot/earshot/store"
)

// maxBody is the fetcher's body cap in these tests: the 100 MB body and the
// gzip bomb must be refused at it.
const maxBody = 8 << 20

// fetchTimeout bounds the faulty source's fetches; hangs and trickles use
// hangTimeout so that they end quickly.
const fetchTimeout = "20s"

// hangTimeout is the faulty source's timeout under Hang and Trickle.
const hangTimeout = "1s"

// companionTimeout bounds the healthy sources' fetches.
const companionTimeout = "30s"

var secrets = map[string]string{
	"T_MASTODON_TOKEN": "t-mastodon-token",
	"T_BSKY_PASSWORD":  "t-app-password",
	"T_X_TOKEN":        "t-x-bearer",
	"T_REDDIT_ID":      "t-reddit-client",
	"T_REDDIT_SECRET":  "t-reddit-secret",
	"T_YOUTUBE_KEY":    "t-youtube-key",
	"T_NAVER_ID":       "t-naver-id",
	"T_NAVER_SECRET":   "t-naver-secret",
	"T_KAKAO_KEY":      "t-kakao-key",
}

// shift moves fixture times to just before now, as the demo does.
var shift = sync.OnceValue(func() time.Duration {
	return replay.New(replay.Options{Rebase: time.Now(), Logger: zerolog.Nop()}).Shift()
})

// network is one network's fake and the [[source]] polling it ({{.Base}}
// is the fake's URL).
type network struct {
	name   string
	fake   func() http.Handler
	source string
}

var networks = []network{
	{"hackernews", func() http.Handler {
		return replay.New(replay.Options{Rebase: time.Now(), Logger: zerolog.Nop()})
	}, `
[[source]]
network = "hackernews"
name = "hackernews"
lookback = "30d"
base_url = "{{.Base}}"
`},
	{"rss", func() http.Handler {
		return replay.New(replay.Options{Rebase: time.Now(), Logger: zerolog.Nop()})
	}, `
[[source]]
network = "rss"
name = "rss"
lookback = "30d"
urls = ["{{.Base}}/rss/atom.xml", "{{.Base}}/rss/googlenews_ko.xml", "{{.Base}}/rss/techblog.xml", "{{.Base}}/rss/jsonfeed.json", "{{.Base}}/rss/googlealerts.xml"]
`},
	{"reddit", func() http.Handler {
		return redditfake.New(redditfake.Options{Shift: shift(), ClientID: secrets["T_REDDIT_ID"], ClientSecret: secrets["T_REDDIT_SECRET"]})
	}, `
[[source]]
network = "reddit"
name = "reddit"
lookback = "30d"
base_url = "{{.Base}}"
auth_url = "{{.Base}}"
app_id = "earshot-faults"
username = "acme_marketing"
client_id_env = "T_REDDIT_ID"
client_secret_env = "T_REDDIT_SECRET"
`},
	{"mastodon", func() http.Handler {
		return mastodonfake.New(mastodonfake.Options{Shift: shift(), Token: secrets["T_MASTODON_TOKEN"]})
	}, `
[[source]]
network = "mastodon"
name = "mastodon"
lookback = "30d"
base_url = "{{.Base}}"
hashtags = ["acme", "아크미", "globex", "batteries"]
queries = ["Acme", "Globex"]
token_env = "T_MASTODON_TOKEN"
`},
	{"bluesky", func() http.Handler {
		return blueskyfake.New(blueskyfake.Options{Shift: shift(), Identifier: "earshot-faults.bsky.social", Password: secrets["T_BSKY_PASSWORD"]})
	}, `
[[source]]
network = "bluesky"
name = "bluesky"
lookback = "30d"
base_url = "{{.Base}}"
identifier = "earshot-faults.bsky.social"
password_env = "T_BSKY_PASSWORD"
`},
	{"naver", func() http.Handler {
		return naverfake.New(naverfake.Options{Shift: shift(), ClientID: secrets["T_NAVER_ID"], ClientSecret: secrets["T_NAVER_SECRET"]})
	}, `
[[source]]
network = "naver"
name = "naver"
lookback = "30d"
base_url = "{{.Base}}"
client_id_env = "T_NAVER_ID"
client_secret_env = "T_NAVER_SECRET"
`},
	{"daum", func() http.Handler {
		return daumfake.New(daumfake.Options{Shift: shift(), APIKey: secrets["T_KAKAO_KEY"]})
	}, `
[[source]]
network = "daum"
name = "daum"
lookback = "30d"
base_url = "{{.Base}}"
api_key_env = "T_KAKAO_KEY"
`},
	{"youtube", func() http.Handler {
		return youtubefake.New(youtubefake.Options{Shift: shift(), APIKey: secrets["T_YOUTUBE_KEY"]})
	}, `
[[source]]
network = "youtube"
name = "youtube"
lookback = "30d"
base_url = "{{.Base}}"
api_key_env = "T_YOUTUBE_KEY"
`},
	{"x", func() http.Handler {
		return xfake.New(xfake.Options{Shift: shift(), BearerToken: secrets["T_X_TOKEN"]})
	}, `
[[source]]
network = "x"
name = "x"
lookback = "7d"
base_url = "{{.Base}}"
bearer_token_env = "T_X_TOKEN"
daily_budget = 100000
`},
	{"web", func() http.Handler {
		return sitefake.New(sitefake.Options{Shift: shift()})
	}, `
[[source]]
network = "web"
name = "web"
lookback = "30d"
start_urls = ["{{.Base}}/"]
item_selector = "article.post"
title_selector = "h2"
text_selector = ".body"
author_selector = ".author"
time_selector = "time"
link_selector = "h2 a"
reply_selector = "a.in-reply-to"
follow_pattern = '(\?page=\d+|\.html)$'
max_pages = 20
delay = "1ms"
`},
}

func networkByName(name string) network {
	for _, n := range networks {
		if n.name == name {
			return n
		}
	}
	panic("unknown network " + name)
}

const brands = `
[earshot]
contact = "https://example.com/earshot-faults"

[[brand]]
name = "Acme"
own = true
terms = ["아크미", "Acme Corp"]
exclude = ["Acme Road Runner"]
handles = { hackernews = ["acme_hq"], mastodon = ["acme"], bluesky = ["acme.bsky.social"], x = ["acme"], reddit = ["acme"], youtube = ["@acme"] }

[[brand]]
name = "Globex"
terms = ["글로벡스"]
handles = { mastodon = ["globex"], bluesky = ["globex.bsky.social"], x = ["globex"], reddit = ["globex"], youtube = ["@globex"] }

[[brand]]
name = "Initech"
terms = ["이니텍"]

[[topic]]
name = "battery"
query = 'batter* OR 배터리'
`

// rig is one daemon: a store on disk, a scheduler over some networks, each
// network's fake behind a fault handler on its own loopback server.
type rig struct {
	t     *testing.T
	st    *store.Store
	sched *ingest.Scheduler
	fault map[string]*faults.Handler
	srv   map[string]*faults.Server

	cancel context.CancelFunc
	done   chan error
}

// newRig starts fakes for names and a scheduler polling them; the first
// source's fetches time out after timeout, the others' after 30 s. Every source
// fetches once at Run's start, then parks: RunOnce drives later fetches.
func newRig(t *testing.T, plans map[string]faults.Plan, names ...string) *rig {
	return newRigTimeout(t, fetchTimeout, plans, names...)
}

func newRigTimeout(t *testing.T, timeout string, plans map[string]faults.Plan, names ...string) *rig {
	t.Helper()
	r := &rig{t: t, fault: map[string]*faults.Handler{}, srv: map[string]*faults.Server{}}
	var toml strings.Builder
	toml.WriteString(brands)
	for i, name := range names {
		n := networkByName(name)
		if i > 0 {
			timeout = companionTimeout // companions must not time out on a busy machine
		}
		h := faults.Wrap(n.fake(), plans[name])
		srv, err := faults.Start(h)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close(); _ = srv.Close() })
		r.fault[name], r.srv[name] = h, srv
		src := strings.ReplaceAll(n.source, "{{.Base}}", srv.URL)
		src += fmt.Sprintf("timeout = %q\n", timeout)
		toml.WriteString(src)
	}
	cfg, err := config.Parse([]byte(toml.String()), "faults.toml", func(k string) string { return secrets[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	log := zerolog.Nop()
	if testing.Verbose() && os.Getenv("FAULTS_LOG") != "" {
		log = zerolog.New(zerolog.NewTestWriter(t))
	}
	st, err := store.Open(t.TempDir(), store.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r.st = st
	m, err := match.New(cfg.Brands, cfg.Topics)
	if err != nil {
		t.Fatal(err)
	}
	fetcher := httpx.New(httpx.Options{UserAgent: httpx.UserAgent("test", cfg.Earshot.Contact), MaxBody: maxBody, PerHostInterval: -1})
	jobs, err := registry.Jobs(cfg, registry.Deps{Fetcher: fetcher, Logger: log, UserAgent: httpx.UserAgent("test", cfg.Earshot.Contact),
		Budget: func(source string, limit int, loc *time.Location) listener.Budget {
			return &ingest.Budget{Store: st, Key: source, Limit: limit, Loc: loc}
		}})
	if err != nil {
		t.Fatal(err)
	}
	r.sched = ingest.NewScheduler(jobs, ingest.Options{Logger: log, Matcher: m, Sink: st,
		Sleep: func(ctx context.Context, _ time.Duration) error { <-ctx.Done(); return ctx.Err() }})
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan error, 1)
	go func() { r.done <- r.sched.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

// stop cancels the scheduler, checks that Run returns (the daemon was
// alive and drains) and closes the store.
func (r *rig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("scheduler.Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		r.t.Errorf("scheduler.Run did not return after cancel: the daemon hangs")
	}
	if err := r.st.Close(); err != nil {
		r.t.Errorf("store close: %v", err)
	}
}

// waitFirstRound waits until every source has been fetched once.
func (r *rig) waitFirstRound() {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		all := true
		for _, h := range r.sched.Health() {
			if h.LastAttempt.IsZero() {
				all = false
			}
		}
		if all {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("first round not done after 30s: %+v", r.sched.Health())
}

func (r *rig) health(name string) ingest.SourceHealth {
	for _, h := range r.sched.Health() {
		if h.Name == name {
			return h
		}
	}
	r.t.Fatalf("no health for %s", name)
	return ingest.SourceHealth{}
}

// loopback is a fake's address in an ID (web mentions are named by URL).
var loopback = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// stored returns the IDs of the network's stored mentions, checking on the
// way that no ID is stored twice and that the counters agree with the log.
func (r *rig) stored(network string) map[string]bool {
	r.t.Helper()
	ids := map[string]bool{}
	total := 0
	err := r.st.Range(context.Background(), time.Unix(0, 0).Add(-1<<62), time.Unix(1<<40, 0), func(m store.Mention) error {
		total++
		if m.Network != network {
			return nil
		}
		id := loopback.ReplaceAllString(m.ID, "127.0.0.1")
		if ids[id] {
			return fmt.Errorf("mention %s stored twice", m.ID)
		}
		ids[id] = true
		return nil
	})
	if err != nil {
		r.t.Fatalf("range over the store: %v", err)
	}
	if st := r.st.Stats(); st.Mentions != uint64(total) || st.Networks[network] != uint64(len(ids)) {
		r.t.Fatalf("store counters (%d mentions, %d on %s) disagree with the log (%d, %d): something was stored twice",
			st.Mentions, st.Networks[network], network, total, len(ids))
	}
	return ids
}

// The harness covers every network of the networks table, each with its
// item layout: a network added to the table without a fault rig fails here.
func TestHarnessCoversEveryNetwork(t *testing.T) {
	have := map[string]bool{}
	for _, n := range networks {
		if have[n.name] {
			t.Errorf("network %s listed twice", n.name)
		}
		have[n.name] = true
		if _, ok := config.LookupNetwork(n.name); !ok {
			t.Errorf("harness network %s is not in the networks table", n.name)
		}
	}
	for _, name := range config.NetworkNames() {
		if !have[name] {
			t.Errorf("network %s of the networks table has no fake and source in the fault harness", name)
		}
		if lists[name] == nil {
			t.Errorf("network %s has no item layout in lists", name)
		}
	}
}
