package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo's rules fire on the replay: every delivered webhook alert is in
// the local log once per idempotency key, every delivered e-mail in the
// outbox.
func TestDemoAlertsGoWhereItSays(t *testing.T) {
	dir := t.TempDir()
	d, stop := startDemo(t, dir)
	var out strings.Builder
	printAlerts(context.Background(), &out, d, WebhookLogPath(dir))
	t.Log(out.String())
	list, err := d.Alerts().List("", 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	hookKeys, mails := map[string]bool{}, 0
	for _, r := range list {
		kinds[r.Alert.Kind]++
		for name, dl := range r.Deliveries {
			if dl.Status == "suppressed" { // the cooldown holds the rest of a burst back
				continue
			}
			if dl.Status != "delivered" {
				t.Errorf("%s on %s: %s %s", r.Alert.Rule, name, dl.Status, dl.Error)
				continue
			}
			switch name {
			case "local-webhook":
				hookKeys[dl.Key] = true
			case "team-mail":
				mails++
				if filepath.Dir(dl.Where) != filepath.Join(dir, "outbox") {
					t.Errorf("mail went to %q", dl.Where)
				} else if _, err := os.Stat(dl.Where); err != nil {
					t.Error(err)
				}
			}
		}
	}
	if kinds["query"] == 0 || kinds["competitor"] == 0 {
		t.Fatalf("the replay fired %v; want query and competitor alerts", kinds)
	}
	if kinds["spike"]+kinds["negative_surge"] != 0 {
		t.Errorf("a young install fired spikes: %v", kinds)
	}
	stop()
	bodies, err := ReadWebhookLog(WebhookLogPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, b := range bodies {
		seen[b.Key]++
	}
	if len(seen) != len(hookKeys) {
		t.Errorf("webhook log has %d keys, the history %d delivered", len(seen), len(hookKeys))
	}
	for k, n := range seen {
		if n != 1 || !hookKeys[k] {
			t.Errorf("key %s logged %d times (in history: %v)", k, n, hookKeys[k])
		}
	}
	if !strings.Contains(out.String(), WebhookLogPath(dir)) {
		t.Error("the summary does not say where the webhook alerts went")
	}
}
