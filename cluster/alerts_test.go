package cluster

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/config"
)

// alertHook is the webhook every node's alert channel posts to: it counts
// deliveries per alerted mention, across nodes.
type alertHook struct {
	srv  *httptest.Server
	mu   sync.Mutex
	n    map[string]int             // mention id → deliveries
	keys map[string]map[string]bool // mention id → idempotency keys seen
	by   map[string][]string        // mention id → the sending nodes, in order (the URL's path)
}

func newAlertHook(t testing.TB) *alertHook {
	h := &alertHook{n: map[string]int{}, keys: map[string]map[string]bool{}, by: map[string][]string{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b webhook.Body
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("webhook body: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, a := range b.Alerts {
			for _, p := range a.Posts {
				h.n[p.ID]++
				if h.keys[p.ID] == nil {
					h.keys[p.ID] = map[string]bool{}
				}
				h.keys[p.ID][r.Header.Get(webhook.HeaderKey)] = true
				h.by[p.ID] = append(h.by[p.ID], strings.TrimPrefix(r.URL.Path, "/"))
			}
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// senders lists the nodes that delivered each alerted mention, in order.
func (h *alertHook) senders() map[string][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]string{}
	for k, v := range h.by {
		out[k] = slices.Clone(v)
	}
	return out
}

// distinctKeys is how many idempotency keys each alerted mention came with.
func (h *alertHook) distinctKeys() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, v := range h.keys {
		out[k] = len(v)
	}
	return out
}

func (h *alertHook) counts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, v := range h.n {
		out[k] = v
	}
	return out
}

// alertSetup adds a query rule firing on every mention naming a recall
// (posts 7, 257, 507 of each source: see postText) to a webhook channel.
func alertSetup(t testing.TB) func(*testCluster) {
	return func(c *testCluster) {
		c.hook = newAlertHook(t)
		c.alertCfg, c.alertT0 = func(node string) *config.Config { return alertConfig(t, c.hook.srv.URL+"/"+node) }, time.Now()
	}
}

// alertConfig is the alert rule and channel of alertSetup, posting to url.
func alertConfig(t testing.TB, url string) *config.Config {
	cfg, err := config.Parse([]byte(`[[brand]]
name = "Acme"
own = true

[[alert_channel]]
name = "hook"
type = "webhook"
url = "`+url+`"
secret_env = "HOOK_SECRET"

[[alert]]
name = "recall"
kind = "query"
query = "recall"
channels = ["hook"]
cooldown = "0s"
`), "t.toml", func(k string) string {
		if k == "HOOK_SECRET" {
			return "s3cret"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// wantAlerts are the mention ids the alert rule fires on.
func wantAlerts(srcs []*counter) []string {
	var out []string
	for _, s := range srcs {
		for i := range s.total {
			if i%250 == 7 {
				out = append(out, fmt.Sprintf("rss:%s-%d", s.name, i))
			}
		}
	}
	return out
}

// startAlerts runs an alert engine on st, gated by node; its clock is half
// a day after the sources' first post, so every post is fresh.
func (c *testCluster) startAlerts(node *Node, st alerts.Store) (*alerts.Engine, error) {
	base := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC) // the sources' first post + 12h
	if len(c.srcs) > 0 {
		base = c.srcs[0].base.Add(12 * time.Hour)
	}
	t0 := c.alertT0 // one clock for every node and restart: it never goes back
	e, err := alerts.New(alerts.Options{Store: st, Logger: c.log, Clock: func() time.Time { return base.Add(time.Since(t0)) },
		Tick: 100 * time.Millisecond, Backoff: 50 * time.Millisecond, Gate: node.AlertGate()})
	if err != nil {
		return nil, err
	}
	return e, e.SetConfig(c.alertCfg(node.Name()))
}

// delivered counts node i's alert records whose every delivery is done
// as delivered (by this node or, copied from the ledger, by another).
func (c *testCluster) delivered(i int) int {
	list, err := c.nodes[i].alerts.List(alerts.StatusDelivered, 0, 1000)
	if err != nil {
		c.t.Fatal(err)
	}
	return len(list)
}
