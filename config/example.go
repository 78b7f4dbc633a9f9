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

# More networks: uncomment, and export the named environment variables.
# [[source]]
# network = "reddit"
# app_id = "earshot"                 # Reddit's required User-Agent names your app
# username = "acme_marketing"        # ... and your Reddit account
# client_id_env = "REDDIT_CLIENT_ID"
# client_secret_env = "REDDIT_CLIENT_SECRET"
# subreddits = ["technology", "gadgets"]   # default: all of Reddit
#
# [[source]]
# network = "mastodon"
# base_url = "https://mastodon.social"     # the instance
# hashtags = ["acme", "아크미"]            # public, no token needed
#
# [[source]]
# network = "bluesky"
# identifier = "acme-listener.bsky.social"
# password_env = "BSKY_APP_PASSWORD"        # an app password
#
# [[source]]
# network = "naver"
# client_id_env = "NAVER_CLIENT_ID"
# client_secret_env = "NAVER_CLIENT_SECRET"
# kinds = ["blog", "news", "cafearticle"]
#
# [[source]]
# network = "youtube"
# api_key_env = "YOUTUBE_API_KEY"
# daily_budget = 10000                      # quota units per Pacific-time day
#
# [[source]]
# network = "x"
# bearer_token_env = "X_BEARER_TOKEN"
# daily_budget = 500                        # posts read per day: reads are billed
#
# [[source]]
# network = "web"
# name = "forum"
# start_urls = ["https://forum.example.com/c/phones"]
# item_selector = "article.post"
# text_selector = ".body"
# link_selector = "h2 a"
# time_selector = "time"

# S.M.A.R.T. goals, tracked in the weekly report.
[[goal]]
name = "Share of voice on Reddit"
metric = "sov"                 # sov | net_sentiment | mentions | engagement_per_post | response_time | link_mentions
network = "reddit"
target = 30                    # percent
deadline = "2027-03-31"

# [[goal]]
# name = "support under 2h"
# metric = "response_time"
# target_time = "2h"
# deadline = "2027-03-31"

# Industry rules for sentiment (VADER scale -4..4).
# [[sentiment.override]]
# term = "killer feature"
# score = 2.5

# The weekly digest. Without smtp_host it is written to data_dir/outbox/.
# [digest]
# schedule = "0 9 * * MON"
# recipients = ["kim@acme.example"]
# from = "Earshot <earshot@acme.example>"
# smtp_host = "smtp.acme.example"
# username = "earshot@acme.example"
# password_env = "SMTP_PASSWORD"
`
