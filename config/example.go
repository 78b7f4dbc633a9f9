package config

// Example returns a commented example configuration that Parse accepts as
// is. `earshot init` can write it out as a starting point.
func Example() string { return exampleConfig }

const exampleConfig = `# Earshot configuration. Durations are strings such as "90s", "5m", "1h".
# Secrets never go in this file: keys such as api_token are refused; name an
# environment variable instead (api_token_env).

[earshot]
data_dir = "./earshot-data"        # bbolt database and search index
listen = "127.0.0.1:8089"          # HTTP API; a non-loopback address needs api_token_env
timezone = "Asia/Seoul"            # IANA name used for daily reports
log_level = "info"                 # debug | info | warn | error
contact = "https://acme.example/earshot"   # put in the User-Agent so sites can reach you
# retention = "400d"               # delete mentions older than this (default: keep everything)
# api_token_env = "EARSHOT_API_TOKEN"      # environment variable holding the API token

# Exactly one brand is your own (own = true); the others are competitors.
# Every brand matches its name and its terms, in any script.
[[brand]]
name = "Acme"
own = true
terms = ["아크미", "ACME Corp"]
exclude = ["acme road runner", "wile e. coyote"]   # phrases that veto a match
domains = ["acme.example", "아크미.kr"]

[brand.handles]            # the brand's own accounts, per network
hackernews = ["acme_hq"]
mastodon = ["@acme@mastodon.social"]
bluesky = ["acme.bsky.social"]

[[brand]]
name = "Globex"
terms = ["글로벡스", "Globex Corporation"]
domains = ["globex.example"]

[[brand]]
name = "Initech"
terms = ["이니텍"]
handles = { x = ["initech"] }

# Topics are boolean queries: AND, OR, NOT, "exact phrases", prefix*,
# a NEAR/3 b (within 3 words), parentheses.
[[topic]]
name = "battery complaints"
query = '(battery OR 배터리) AND (drain* OR 방전 OR overheat*) AND NOT "press release"'

[[topic]]
name = "pricing"
query = '"price increase" OR 가격 OR price NEAR/3 hike'

# Hacker News through the Algolia API (no account needed). Queries default
# to every brand term and handle.
[[source]]
network = "hackernews"
every = "5m"               # floor 1m
tags = ["story", "comment"]
lookback = "72h"           # how far back the first fetch reaches (default 72h, up to 365d)

# Any RSS, Atom or JSON feed, including Google News searches and Google Alerts.
[[source]]
network = "rss"
name = "news-ko"
every = "15m"              # floor 5m
timeout = "20s"
urls = [
  "https://news.google.com/rss/search?q=%EC%95%84%ED%81%AC%EB%AF%B8&hl=ko&gl=KR&ceid=KR:ko",
  "https://acme.example/blog/feed.xml",
]
`
