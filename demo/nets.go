package demo

import (
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
	"github.com/earshot/earshot/listener/naver/naverfake"
	"github.com/earshot/earshot/listener/reddit/redditfake"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
	"github.com/earshot/earshot/listener/x/xfake"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// demoSecrets are the credentials the demo's fakes accept; the demo config
// names them by *_env keys like a real one.
var demoSecrets = map[string]string{
	"EARSHOT_DEMO_MASTODON_TOKEN": "demo-mastodon-token",
	"EARSHOT_DEMO_BSKY_PASSWORD":  "demo-app-password",
	"EARSHOT_DEMO_X_TOKEN":        "demo-x-bearer",
	"EARSHOT_DEMO_REDDIT_ID":      "demo-reddit-client",
	"EARSHOT_DEMO_REDDIT_SECRET":  "demo-reddit-secret",
	"EARSHOT_DEMO_YOUTUBE_KEY":    "demo-youtube-key",
	"EARSHOT_DEMO_NAVER_ID":       "demo-naver-id",
	"EARSHOT_DEMO_NAVER_SECRET":   "demo-naver-secret",
}

// demoNet is one replayed network: the fake mounted at /<prefix>/ on the
// replay server, and its [[source]] in the demo config (base_url is
// {{.Base}}/<prefix>).
type demoNet struct {
	prefix string
	fake   func(shift time.Duration, log zerolog.Logger) http.Handler
	source string
}

var demoNets = []demoNet{
	{"web", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return sitefake.New(sitefake.Options{Shift: shift, Logger: log})
	}, `
# A community forum crawled with CSS selectors (robots.txt obeyed).
[[source]]
network = "web"
name = "forum"
every = "1h"
lookback = "14d"
start_urls = ["{{.Base}}/web/"]
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
	{"naver", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return naverfake.New(naverfake.Options{Shift: shift, Logger: log,
			ClientID: demoSecrets["EARSHOT_DEMO_NAVER_ID"], ClientSecret: demoSecrets["EARSHOT_DEMO_NAVER_SECRET"]})
	}, `
[[source]]
network = "naver"
every = "15m"
lookback = "14d"
base_url = "{{.Base}}/naver"
client_id_env = "EARSHOT_DEMO_NAVER_ID"
client_secret_env = "EARSHOT_DEMO_NAVER_SECRET"
`},
	{"reddit", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return redditfake.New(redditfake.Options{Shift: shift, Logger: log,
			ClientID: demoSecrets["EARSHOT_DEMO_REDDIT_ID"], ClientSecret: demoSecrets["EARSHOT_DEMO_REDDIT_SECRET"]})
	}, `
[[source]]
network = "reddit"
every = "5m"
lookback = "14d"
base_url = "{{.Base}}/reddit"
auth_url = "{{.Base}}/reddit"
app_id = "earshot-demo"
username = "acme_marketing"
client_id_env = "EARSHOT_DEMO_REDDIT_ID"
client_secret_env = "EARSHOT_DEMO_REDDIT_SECRET"
`},
	{"youtube", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return youtubefake.New(youtubefake.Options{Shift: shift, Logger: log, APIKey: demoSecrets["EARSHOT_DEMO_YOUTUBE_KEY"]})
	}, `
[[source]]
network = "youtube"
every = "30m"
lookback = "14d"
base_url = "{{.Base}}/youtube"
api_key_env = "EARSHOT_DEMO_YOUTUBE_KEY"
`},
	{"mastodon", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return mastodonfake.New(mastodonfake.Options{Shift: shift, Logger: log, Token: demoSecrets["EARSHOT_DEMO_MASTODON_TOKEN"]})
	}, `
[[source]]
network = "mastodon"
every = "5m"
lookback = "14d"
base_url = "{{.Base}}/mastodon"
hashtags = ["acme", "아크미", "globex", "initech", "batteries"]
queries = ["Acme", "Globex", "Initech"]
token_env = "EARSHOT_DEMO_MASTODON_TOKEN"
`},
	{"bluesky", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return blueskyfake.New(blueskyfake.Options{Shift: shift, Logger: log,
			Identifier: "earshot-demo.bsky.social", Password: demoSecrets["EARSHOT_DEMO_BSKY_PASSWORD"]})
	}, `
[[source]]
network = "bluesky"
every = "5m"
lookback = "14d"
base_url = "{{.Base}}/bluesky"
identifier = "earshot-demo.bsky.social"
password_env = "EARSHOT_DEMO_BSKY_PASSWORD"
`},
	{"x", func(shift time.Duration, log zerolog.Logger) http.Handler {
		return xfake.New(xfake.Options{Shift: shift, Logger: log, BearerToken: demoSecrets["EARSHOT_DEMO_X_TOKEN"]})
	}, `
[[source]]
network = "x"
every = "15m"
lookback = "7d"
base_url = "{{.Base}}/x"
bearer_token_env = "EARSHOT_DEMO_X_TOKEN"
daily_budget = 2000
`},
}

// demoHandler serves Hacker News and feeds from replay at the root and
// every other network's fake under its prefix.
func demoHandler(root http.Handler, shift time.Duration, log zerolog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", root)
	for _, n := range demoNets {
		h := n.fake(shift, log)
		mux.Handle("/"+n.prefix+"/", http.StripPrefix("/"+n.prefix, h))
		if n.prefix == "web" {
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
