package config

import (
	"strings"
	"testing"
	"time"
)

// floorSources is one minimal valid source per network (the body after
// network = "..."). A network added to the table without a line here fails
// TestIntervalFloors.
var floorSources = map[string]string{
	NetworkHackerNews: `queries = ["acme"]`,
	NetworkRSS:        `urls = ["https://blog.example.com/feed.xml"]`,
	NetworkReddit: `subreddits = ["technology"]
app_id = "earshot"
username = "acme_marketing"
client_id_env = "REDDIT_ID"
client_secret_env = "REDDIT_SECRET"`,
	NetworkMastodon: `base_url = "https://mastodon.social"
hashtags = ["acme"]`,
	NetworkBluesky: `identifier = "acme-listener.bsky.social"
password_env = "BSKY_PASSWORD"`,
	NetworkNaver: `client_id_env = "NAVER_ID"
client_secret_env = "NAVER_SECRET"`,
	NetworkDaum:    `api_key_env = "YT_KEY"`,
	NetworkYouTube: `api_key_env = "YT_KEY"`,
	NetworkX: `bearer_token_env = "X_TOKEN"
queries = ["acme"]
daily_budget = 500`,
	NetworkWeb: `start_urls = ["https://forum.example.com/c/phones"]
item_selector = "article.post"
text_selector = ".body"`,
}

// documentedFloors are the shortest poll intervals docs/networks.md
// promises each network's operators. They are written out on purpose: a
// test that read them from the networks table could not notice the table
// lowering one.
var documentedFloors = map[string]time.Duration{
	NetworkHackerNews: time.Minute, NetworkRSS: 5 * time.Minute, NetworkReddit: time.Minute,
	NetworkMastodon: time.Minute, NetworkBluesky: time.Minute, NetworkNaver: 2 * time.Minute, NetworkDaum: 2 * time.Minute,
	NetworkYouTube: 10 * time.Minute, NetworkX: 5 * time.Minute, NetworkWeb: 10 * time.Minute,
}

func floorDoc(network, every, timeout string) string {
	doc := ownBrand + "[[source]]\nnetwork = \"" + network + "\"\nevery = \"" + every + "\"\n"
	if timeout != "" {
		doc += "timeout = \"" + timeout + "\"\n"
	}
	return doc + floorSources[network] + "\n"
}

// Every network refuses an interval one second under its floor and accepts
// the floor itself, with or without an explicit timeout.
func TestIntervalFloors(t *testing.T) {
	if len(documentedFloors) != len(NetworkNames()) {
		t.Fatalf("documentedFloors has %d networks, the build %d: %v", len(documentedFloors), len(NetworkNames()), NetworkNames())
	}
	for _, n := range NetworkNames() {
		floor, ok := documentedFloors[n]
		if !ok || floorSources[n] == "" {
			t.Errorf("%s: no documented floor or no test source", n)
			continue
		}
		under := fmtDuration(floor - time.Second)
		for _, timeout := range []string{"", "10s"} {
			c, err := Parse([]byte(floorDoc(n, fmtDuration(floor), timeout)), "t.toml", testEnv)
			if err != nil {
				t.Errorf("%s every = floor %s (timeout %q): %v", n, fmtDuration(floor), timeout, err)
			} else if got := c.Sources[0].Every.Std(); got != floor {
				t.Errorf("%s every = %s, want %s", n, got, floor)
			}
			es := parseErrs(t, floorDoc(n, under, timeout), testEnv)
			want := "interval " + under + " is under the floor of " + fmtDuration(floor) + " for " + n
			if len(es) != 1 || es[0].Key != "source[0].every" || es[0].Msg != want {
				t.Errorf("%s every = %s (timeout %q): %v, want one error %q", n, under, timeout, es, want)
			}
		}
	}
}

// A timeout may equal the poll interval but not exceed it.
func TestTimeoutAtMostInterval(t *testing.T) {
	doc := func(timeout string) string { return floorDoc(NetworkHackerNews, "5m", timeout) }
	c, err := Parse([]byte(doc("5m")), "t.toml", testEnv)
	if err != nil || c.Sources[0].Timeout.Std() != 5*time.Minute {
		t.Fatalf("timeout = every: %v %+v", err, c)
	}
	es := parseErrs(t, doc("5m1s"), testEnv)
	if len(es) != 1 || es[0].Key != "source[0].timeout" || !strings.Contains(es[0].Msg, "exceeds the poll interval 5m") {
		t.Errorf("timeout 5m1s over every 5m: %v", es)
	}
}
