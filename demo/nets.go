package demo

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/daum/daumfake"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
	"github.com/earshot/earshot/listener/naver/naverfake"
	"github.com/earshot/earshot/listener/reddit/redditfake"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
	"github.com/earshot/earshot/listener/x/xfake"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// demoNet is how the demo replays one network of the networks table
// (config.Networks): its fake, mounted at /<network>/ on the replay server
// (nil: the replay at the root serves it), the body of its [[source]] and
// the credentials the fake accepts.
type demoNet struct {
	fake func(shift time.Duration, log zerolog.Logger, secret map[string]string) http.Handler
	// source is a text/template of the [[source]] lines after network and
	// the secrets (sourceData is its data); it may end with further
	// [[source]] tables of the same network.
	source string
	// secrets are the values the fake accepts, by the table's *_env key;
	// the config names them by demoEnv.
	secrets map[string]string
}

// sourceData fills a demoNet's source template.
type sourceData struct {
	Base      string   // the replay server's root URL
	Mount     string   // where the network's fake is mounted: Base/<network>
	FeedURLs  []string // the recorded feeds (rss)
	BrokenURL string   // the truncated feed (rss)
}

// demoNets are keyed by the networks table's names; TestDemoCoversTable
// holds them to the table, row for row.
var demoNets = map[string]demoNet{
	config.NetworkHackerNews: {source: `name = "hn"
every = "5m"
lookback = "35d"         # the replay holds three weeks before the demo week (demo/history.go): a previous week to compare with and a 28-day baseline
base_url = "{{.Base}}"
`},
	config.NetworkRSS: {source: `name = "news"
every = "15m"
lookback = "14d"
urls = [{{range $i, $u := .FeedURLs}}{{if $i}}, {{end}}{{printf "%q" $u}}{{end}}]
{{if .BrokenURL}}
# A feed that answers with truncated XML, to show how a broken source is reported
# (GET /api/sources) while the others go on.
[[source]]
network = "rss"
name = "broken-feed"
every = "15m"
urls = [{{printf "%q" .BrokenURL}}]
{{end}}`},
	config.NetworkWeb: {fake: func(shift time.Duration, log zerolog.Logger, _ map[string]string) http.Handler {
		return sitefake.New(sitefake.Options{Shift: shift, Logger: log})
	}, source: `# A community forum crawled with CSS selectors (robots.txt obeyed).
name = "forum"
every = "1h"
lookback = "14d"
start_urls = ["{{.Mount}}/"]
item_selector = "article.post"
title_selector = "h2"
text_selector = ".body"
author_selector = ".author"
time_selector = "time"
link_selector = "h2 a"
reply_selector = "a.in-reply-to"
follow_pattern = '(\?page=\d+|\.html)$'
max_pages = 20
delay = "10ms"
`},
	config.NetworkNaver: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return naverfake.New(naverfake.Options{Shift: shift, Logger: log,
			ClientID: sec["client_id_env"], ClientSecret: sec["client_secret_env"]})
	}, source: `every = "15m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
`, secrets: map[string]string{"client_id_env": "demo-naver-id", "client_secret_env": "demo-naver-secret"}},
	config.NetworkDaum: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return daumfake.New(daumfake.Options{Shift: shift, Logger: log, APIKey: sec["api_key_env"]})
	}, source: `every = "15m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
`, secrets: map[string]string{"api_key_env": "demo-kakao-rest-key"}},
	config.NetworkReddit: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return redditfake.New(redditfake.Options{Shift: shift, Logger: log,
			ClientID: sec["client_id_env"], ClientSecret: sec["client_secret_env"]})
	}, source: `every = "5m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
auth_url = "{{.Mount}}"
app_id = "earshot-demo"
username = "acme_marketing"
`, secrets: map[string]string{"client_id_env": "demo-reddit-client", "client_secret_env": "demo-reddit-secret"}},
	config.NetworkYouTube: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return youtubefake.New(youtubefake.Options{Shift: shift, Logger: log, APIKey: sec["api_key_env"]})
	}, source: `every = "30m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
`, secrets: map[string]string{"api_key_env": "demo-youtube-key"}},
	config.NetworkMastodon: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return mastodonfake.New(mastodonfake.Options{Shift: shift, Logger: log, Token: sec["token_env"]})
	}, source: `every = "5m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
hashtags = ["acme", "아크미", "globex", "initech", "batteries"]
queries = ["Acme", "Globex", "Initech"]
`, secrets: map[string]string{"token_env": "demo-mastodon-token"}},
	config.NetworkBluesky: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return blueskyfake.New(blueskyfake.Options{Shift: shift, Logger: log,
			Identifier: "earshot-demo.bsky.social", Password: sec["password_env"]})
	}, source: `every = "5m"
lookback = "21d"         # the fakes return history: the report has 14 collected days before this week
base_url = "{{.Mount}}"
identifier = "earshot-demo.bsky.social"
`, secrets: map[string]string{"password_env": "demo-app-password"}},
	config.NetworkX: {fake: func(shift time.Duration, log zerolog.Logger, sec map[string]string) http.Handler {
		return xfake.New(xfake.Options{Shift: shift, Logger: log, BearerToken: sec["bearer_token_env"]})
	}, source: `every = "15m"
lookback = "7d"
base_url = "{{.Mount}}"
daily_budget = 2000
`, secrets: map[string]string{"bearer_token_env": "demo-x-bearer"}},
}

// demoEnv is the one rule for the demo's secret variables: the network and
// the key without _env, upper case (naver's client_id_env is
// EARSHOT_DEMO_NAVER_CLIENT_ID).
func demoEnv(network, key string) string {
	return "EARSHOT_DEMO_" + strings.ToUpper(network+"_"+strings.TrimSuffix(key, "_env"))
}

// demoSecrets are the credentials the demo's fakes accept, by the variable
// the demo config names them with.
var demoSecrets = func() map[string]string {
	out := map[string]string{}
	for name, n := range demoNets {
		for k, v := range n.secrets {
			out[demoEnv(name, k)] = v
		}
	}
	return out
}()

// demoSources writes the demo's [[source]] tables, in the networks table's
// order.
func demoSources(d sourceData) (string, error) {
	var b strings.Builder
	for _, name := range config.NetworkNames() {
		n, ok := demoNets[name]
		if !ok {
			return "", fmt.Errorf("demo: network %q of the networks table has no demo source", name)
		}
		t, err := template.New(name).Parse(n.source)
		if err != nil {
			return "", fmt.Errorf("demo %s source: %w", name, err)
		}
		fmt.Fprintf(&b, "\n[[source]]\nnetwork = %q\n", name)
		for _, k := range slices.Sorted(maps.Keys(n.secrets)) {
			fmt.Fprintf(&b, "%s = %q\n", k, demoEnv(name, k))
		}
		d := d
		d.Mount = d.Base + "/" + name
		if err := t.Execute(&b, d); err != nil {
			return "", fmt.Errorf("demo %s source: %w", name, err)
		}
	}
	return b.String(), nil
}

// demoHandler serves Hacker News and feeds from replay at the root and
// every other network's fake under /<network>/.
func demoHandler(root http.Handler, shift time.Duration, log zerolog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", root)
	for name, n := range demoNets {
		if n.fake == nil {
			continue
		}
		h := n.fake(shift, log, n.secrets)
		mux.Handle("/"+name+"/", http.StripPrefix("/"+name, h))
		if name == config.NetworkWeb {
			mux.Handle("GET /robots.txt", h) // crawlers ask the host root
		}
	}
	return mux
}

// demoGetenv resolves the demo's secrets, then the real environment.
func demoGetenv(getenv func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := demoSecrets[k]; ok {
			return v
		}
		return getenv(k)
	}
}
