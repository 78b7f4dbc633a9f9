package config

import (
	"fmt"
	"strings"
)

// Example returns a commented example configuration that Parse accepts as
// is. `earshot init` can write it out as a starting point. Its sources are
// the networks table's: one per network, the starters on and the others
// commented out.
func Example() string { return exampleHead + exampleSources() + exampleTail }

// exampleSources writes one [[source]] per row of the networks table with
// its default interval and floor.
func exampleSources() string {
	var b strings.Builder
	commented := false
	for _, n := range networkTable {
		prefix := ""
		if !n.Starter {
			if !commented {
				b.WriteString("# More networks: uncomment, and export the named environment variables.\n")
			} else {
				b.WriteString("#\n")
			}
			commented, prefix = true, "# "
		}
		lines := n.Example
		for len(lines) > 0 && strings.HasPrefix(lines[0], "#") {
			b.WriteString(lines[0] + "\n")
			lines = lines[1:]
		}
		every := fmt.Sprintf("every = %q", fmtDuration(n.Every))
		lines = append([]string{"[[source]]", fmt.Sprintf("network = %q", n.Name),
			fmt.Sprintf("%-26s # default; floor %s", every, fmtDuration(n.Floor))}, lines...)
		for _, l := range lines {
			b.WriteString(prefix + l + "\n")
		}
		if !n.Starter {
			continue
		}
		b.WriteString("\n")
	}
	return b.String() + "\n"
}

const exampleHead = `# Earshot configuration. Durations are strings such as "90s", "5m", "1h".
# Secrets never go in this file: keys such as api_token are refused; name an
# environment variable instead (api_token_env).

[earshot]
data_dir = "./earshot-data"        # bbolt database and search index
listen = "127.0.0.1:8089"          # HTTP API; a non-loopback address needs api_token_env
timezone = "Asia/Seoul"            # IANA name used for daily reports
log_level = "info"                 # debug | info | warn | error
log_format = "auto"                # auto (console on a terminal, else JSON lines) | json | console
contact = "https://acme.example/earshot"   # put in the User-Agent so sites can reach you
# retention = "400d"               # delete mentions older than this (default: keep everything)
# api_token_env = "EARSHOT_API_TOKEN"      # environment variable holding the API token (32 random bytes: openssl rand -base64 32)
# allowed_hosts = ["earshot.example.com"]  # Host names served besides the listen address (a reverse proxy's name)
# trusted_proxies = ["127.0.0.1"]          # proxies whose X-Forwarded-For/-Proto are believed (CIDR or address)

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

`

const exampleTail = `# S.M.A.R.T. goals, tracked in the weekly report.
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
