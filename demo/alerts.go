package demo

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
)

// demoAlertSecret signs the demo's webhook (resolved like demoSecrets).
const demoAlertSecret = "earshot-demo-webhook-secret"

// demoAlerts configures one alert rule of each kind against the replay:
// e-mail goes to the outbox (the demo has no SMTP server), the webhook to a
// local receiver that logs what it gets (WebhookLog).
const demoAlerts = `
[[alert_channel]]
name = "team-mail"
type = "email"
to = ["marketing@acme.example"]
lang = "ko"

[[alert_channel]]
name = "local-webhook"
type = "webhook"
url = %q
secret_env = "EARSHOT_DEMO_WEBHOOK_SECRET"

[[alert]]
name = "acme volume spike"
kind = "spike"
channels = ["local-webhook"]
ended = true

[[alert]]
name = "acme complaint surge"
kind = "negative_surge"
channels = ["team-mail", "local-webhook"]

[[alert]]
name = "outages and recalls"
kind = "query"
query = 'outage OR down OR recall OR 장애 OR 리콜'
channels = ["team-mail", "local-webhook"]

[[alert]]
name = "competitor posts"
kind = "competitor"
channels = ["local-webhook"]

[[alert]]
name = "broken feed"
kind = "source"
source = "broken-feed"
failing_for = "1m"
channels = ["local-webhook"]
`

// alertEnv adds the demo webhook's secret to getenv.
func alertEnv(getenv func(string) string) func(string) string {
	return func(k string) string {
		if k == "EARSHOT_DEMO_WEBHOOK_SECRET" {
			return demoAlertSecret
		}
		return getenv(k)
	}
}

// WebhookLog is the demo's webhook receiver: it checks each signature and
// appends the body, one JSON line, to Path.
type WebhookLog struct {
	Path string
	URL  string
	mu   sync.Mutex
	srv  *http.Server
}

// WebhookLogPath is where the demo's webhook receiver logs.
func WebhookLogPath(dataDir string) string { return filepath.Join(dataDir, "alerts-webhook.jsonl") }

// startWebhookLog listens on loopback and logs to WebhookLogPath.
func startWebhookLog(dataDir string) (*WebhookLog, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo webhook: %w", err)
	}
	w := &WebhookLog{Path: WebhookLogPath(dataDir), URL: "http://" + ln.Addr().String() + "/hook"}
	w.srv = &http.Server{Handler: w, ReadHeaderTimeout: 5 * time.Second}
	go w.srv.Serve(ln)
	return w, nil
}

// ServeHTTP logs one delivery; a bad signature is refused (401).
func (w *WebhookLog) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil || !webhook.Verify([]byte(demoAlertSecret), r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body) {
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := os.OpenFile(w.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		http.Error(rw, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	if _, err := f.Write(append(body, '\n')); err != nil {
		http.Error(rw, err.Error(), http.StatusInternalServerError)
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

// Close stops the receiver.
func (w *WebhookLog) Close() { _ = w.srv.Close() }

// ReadWebhookLog reads back what the receiver logged at path.
func ReadWebhookLog(path string) ([]webhook.Body, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []webhook.Body
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var b webhook.Body
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, sc.Err()
}

// printAlerts waits (at most 10 s) until no alert waits to be sent and
// prints where each went.
func printAlerts(ctx context.Context, w io.Writer, d *daemon.Daemon, hookLog string) {
	e := d.Alerts()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if l, err := e.List("fired", 0, 1); err == nil && len(l) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	list, err := e.List("", 0, 500)
	if err != nil {
		fmt.Fprintf(w, "\nAlerts: %v\n", err)
		return
	}
	fmt.Fprintf(w, "\nAlerts (one rule of each kind; history at %s/alerts):\n", d.Addr())
	if len(list) == 0 {
		fmt.Fprintln(w, "  none yet")
	}
	for i := len(list) - 1; i >= 0; i-- {
		r := list[i]
		fmt.Fprintf(w, "  %-10s %s\n", r.Status, e.Summary(&r.Record))
		for name, dl := range r.Deliveries {
			where := dl.Where
			if where == "" && name == "local-webhook" && dl.Status == "delivered" {
				where = hookLog
			}
			fmt.Fprintf(w, "             %s: %s%s%s\n", name, dl.Status, suffix(" (", dl.Reason, ")"), suffix(" → ", where, ""))
		}
	}
	ready, waiting := backfilled(d.Config().Sources)
	fmt.Fprintln(w, "  Spike and complaint-surge rules need two weeks of collected history before they may fire.")
	if len(ready) > 0 {
		fmt.Fprintf(w, "  The first poll backfilled that on %s;\n", strings.Join(ready, ", "))
	}
	if len(waiting) > 0 {
		fmt.Fprintf(w, "  %s collect from the first poll (or reach back less), so there they wait two weeks.\n", strings.Join(waiting, ", "))
	}
	fmt.Fprintln(w, "  The broken-feed rule fires after the feed has failed for a minute: keep the demo running and watch /alerts.")
}

// alertHistory is the collected history the alert rules' baselines need
// (alerts: two earlier weeks).
const alertHistory = 14 * 24 * time.Hour

// backfilled splits the configured networks by whether every source on
// them reached back alertHistory at its first poll (the networks table's
// Backfill of the source's lookback), as labels in table order.
func backfilled(sources []config.Source) (ready, waiting []string) {
	short := map[string]bool{}
	seen := map[string]bool{}
	for _, s := range sources {
		seen[s.Network] = true
		if n, ok := config.LookupNetwork(s.Network); !ok || n.Backfill(s.Lookback.Std()) < alertHistory {
			short[s.Network] = true
		}
	}
	for _, n := range config.Networks() {
		switch {
		case !seen[n.Name]:
		case short[n.Name]:
			waiting = append(waiting, n.Label)
		default:
			ready = append(ready, n.Label)
		}
	}
	return ready, waiting
}

func suffix(pre, s, post string) string {
	if s == "" {
		return ""
	}
	return pre + s + post
}
