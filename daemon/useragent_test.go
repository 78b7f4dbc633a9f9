package daemon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
)

// TestVersionReachesEveryUserAgent runs a daemon whose sources all point
// at one local server and checks that the version given in Options is in
// the User-Agent of every request: the shared fetcher's (Hacker News,
// feeds), Reddit's own form and the crawler's.
func TestVersionReachesEveryUserAgent(t *testing.T) {
	const version = "9.8.7-uatest"
	var mu sync.Mutex
	seen := map[string]string{} // first path segment → User-Agent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
		mu.Lock()
		if _, ok := seen[seg]; !ok {
			seen[seg] = r.UserAgent()
		}
		mu.Unlock()
		http.Error(w, "nothing here", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	doc := fmt.Sprintf(`[earshot]
data_dir = %q
listen = "127.0.0.1:0"
contact = "https://acme.example/earshot"

[[brand]]
name = "Acme"
own = true

[[source]]
network = "hackernews"
base_url = "%[2]s/hn"

[[source]]
network = "rss"
urls = ["%[2]s/feed/a.xml"]

[[source]]
network = "reddit"
base_url = "%[2]s/reddit"
auth_url = "%[2]s/reddit"
app_id = "earshot-test"
username = "acme_marketing"
client_id_env = "UA_TEST_REDDIT_ID"
client_secret_env = "UA_TEST_REDDIT_SECRET"

[[source]]
network = "web"
start_urls = ["%[2]s/web/"]
item_selector = "article"
`, filepath.Join(t.TempDir(), "data"), srv.URL)
	env := map[string]string{"UA_TEST_REDDIT_ID": "id", "UA_TEST_REDDIT_SECRET": "secret"}
	cfg, err := config.Parse([]byte(doc), "ua.toml", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.Open(cfg, daemon.Options{Logger: zerolog.Nop(), Version: version, HostGap: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	want := []string{"hn", "feed", "reddit", "robots.txt"} // the crawler asks the host's robots.txt first
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, k := range want {
			if _, ok := seen[k]; ok {
				n++
			}
		}
		got := fmt.Sprint(seen)
		mu.Unlock()
		if n == len(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not every source fetched in 30s: %s", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range want {
		if ua := seen[k]; !strings.Contains(ua, version) {
			t.Errorf("%s: User-Agent %q lacks the version %s", k, ua, version)
		}
	}
	if ua := seen["hn"]; !strings.Contains(ua, "acme.example/earshot") {
		t.Errorf("User-Agent %q lacks the contact", ua)
	}
}
