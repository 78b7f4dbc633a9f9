package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fakeAlerts is an alert history of three entries, newest first.
type fakeAlerts struct{ entries []AlertEntry }

func (f fakeAlerts) Alerts(status string, before uint64, limit int) ([]AlertEntry, error) {
	out := []AlertEntry{}
	for _, e := range f.entries {
		if (status == "" || e.Status == status) && (before == 0 || e.Seq < before) && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f fakeAlerts) AlertChannels() []AlertChannelStatus {
	return []AlertChannelStatus{{Name: "hook", Queued: 1, Retrying: 1, LastError: "webhook: HTTP 503"}}
}

func alertServer(t *testing.T) *Server {
	at := time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC)
	h := fakeAlerts{entries: []AlertEntry{
		{Seq: 3, Rule: "recalls", Kind: "query", State: "firing", Status: "failed", Summary: `Watched phrase (recalls): <script>alert(1)</script>`, At: at,
			Search: "https://earshot.example/?q=recall", Deliveries: []AlertDelivery{{Channel: "hook", Status: "retrying", Attempts: 2, Error: "webhook: HTTP 503"}}},
		{Seq: 2, Rule: "volume", Kind: "spike", State: "firing", Status: "delivered", Summary: "Spike: Acme — 20 mentions in 1h (usual 5.0)", At: at,
			Report: "https://earshot.example/report?period=day", Deliveries: []AlertDelivery{{Channel: "hook", Status: "delivered", Attempts: 1}}},
		{Seq: 1, Rule: "recalls", Kind: "query", State: "firing", Status: "suppressed", Summary: "held", At: at, Held: 3,
			Deliveries: []AlertDelivery{{Channel: "hook", Status: "suppressed", Reason: "cooldown"}}},
	}}
	return New(Options{Searcher: &fakeSearcher{}, Health: fixtureHealth, Logger: zerolog.Nop(), Clock: func() time.Time { return fixtureNow },
		Brands: []string{"Acme"}, Networks: []string{"hackernews"}, Alerts: h})
}

func TestAlertsAPI(t *testing.T) {
	s := alertServer(t)
	rec, body := get(t, s, "/api/alerts?status=suppressed")
	var out AlertsResponse
	if rec.Code != 200 || json.Unmarshal([]byte(body), &out) != nil || len(out.Alerts) != 1 || out.Alerts[0].Held != 3 || out.Next != 0 {
		t.Fatalf("%d %s", rec.Code, body)
	}
	_, body = get(t, s, "/api/alerts?limit=2")
	if json.Unmarshal([]byte(body), &out) != nil || len(out.Alerts) != 2 || out.Next != 2 || out.Channels[0].Retrying != 1 {
		t.Fatalf("page 1: %s", body)
	}
	_, body = get(t, s, "/api/alerts?limit=2&before=2")
	if json.Unmarshal([]byte(body), &out) != nil || len(out.Alerts) != 1 || out.Alerts[0].Seq != 1 {
		t.Fatalf("page 2: %s", body)
	}
	for _, bad := range []string{"status=sent", "limit=0", "before=x"} {
		if rec, _ := get(t, s, "/api/alerts?"+bad); rec.Code != 400 {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	_, body = get(t, s, "/api/sources")
	if !strings.Contains(body, `"alert_channels":[{"name":"hook","queued":1,"retrying":1,"last_error":"webhook: HTTP 503"}]`) {
		t.Errorf("sources do not show the failing channel: %s", body)
	}
}

func TestAlertsPage(t *testing.T) {
	s := alertServer(t)
	rec, body := get(t, s, "/alerts")
	if rec.Code != 200 {
		t.Fatalf("%d", rec.Code)
	}
	mustContain(t, body, "&lt;script&gt;", `href="https://earshot.example/?q=recall"`, `href="https://earshot.example/report?period=day"`,
		"hook: retrying", "webhook: HTTP 503", "hook: suppressed (cooldown)", "3 held by the cooldown", `href="/alerts" aria-current="page"`)
	if strings.Contains(body, "<script>alert") {
		t.Error("summary not escaped")
	}
	_, body = get(t, s, "/sources")
	mustContain(t, body, `id="alert-channels"`, "webhook: HTTP 503")
}
