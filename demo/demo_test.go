package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// startDemo runs the demo daemon (replay + real store on disk + API) until
// the test ends, after its first round of fetches.
func startDemo(t *testing.T, dataDir string) (*daemon.Daemon, func()) {
	t.Helper()
	d, stopReplay, err := Setup("127.0.0.1:0", dataDir, daemon.Options{Logger: zerolog.Nop(), Clock: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	if err := WaitFirstRound(ctx, d); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon run: %v", err)
		}
		stopReplay()
	}
	t.Cleanup(stop)
	return d, stop
}

func getJSON(t *testing.T, rawURL string, wantStatus int, v any) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", rawURL, resp.StatusCode, wantStatus, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", rawURL, err, body)
	}
}

func TestDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	d, stop := startDemo(t, dir)
	api := d.Addr()

	// The example: brand and network filters with highlights and counts.
	var res web.SearchResponse
	getJSON(t, api+"/api/search?q=battery&brand=Acme&network=hackernews", 200, &res)
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatalf("no hits for battery/Acme/hackernews: %+v", res)
	}
	for _, h := range res.Hits {
		if h.Network != "hackernews" || !slices.Contains(h.Brands, "Acme") {
			t.Errorf("hit %s outside the filters: network %s brands %v", h.ID, h.Network, h.Brands)
		}
		if !strings.Contains(strings.ToLower(h.Snippet+h.Title), "batter") {
			t.Errorf("hit %s does not mention battery: %q", h.ID, h.Snippet)
		}
	}
	if !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Errorf("first snippet has no highlight: %q", res.Hits[0].Snippet)
	}
	if f := res.Facets["brand"]; len(f) == 0 || f[0].Term != "Acme" {
		t.Errorf("brand facet = %+v", f)
	}

	// Korean: the stem finds the word with particles attached.
	var ko web.SearchResponse
	getJSON(t, api+"/api/search?q="+url.QueryEscape("아크미"), 200, &ko)
	if ko.Total == 0 {
		t.Fatal("no hits for 아크미")
	}
	withParticle := false
	for _, h := range ko.Hits {
		for _, p := range []string{"아크미는", "아크미의", "아크미가", "아크미가", "아크미에", "아크미를", "아크미도"} {
			if strings.Contains(h.Snippet, p) || strings.Contains(h.Title, p) {
				withParticle = true
			}
		}
	}
	if !withParticle {
		t.Errorf("no hit for 아크미 shows it with a particle; hits: %+v", ko.Hits)
	}

	// Compound search: *배터리 finds the compounds 배터리 alone misses.
	var plain, compound web.SearchResponse
	getJSON(t, api+"/api/search?q="+url.QueryEscape("배터리"), 200, &plain)
	getJSON(t, api+"/api/search?q="+url.QueryEscape("*배터리")+"&size=100", 200, &compound)
	marked := false
	for _, h := range compound.Hits {
		marked = marked || strings.Contains(h.Snippet, "<mark>보조배터리")
	}
	if compound.Total <= plain.Total || !marked {
		t.Errorf("*배터리: %d hits (none marked 보조배터리: %v), 배터리: %d", compound.Total, !marked, plain.Total)
	}
	// The replayed Daum source stores its Korean blogs and cafés.
	var daum web.SearchResponse
	getJSON(t, api+"/api/search?network=daum&q="+url.QueryEscape("아크미"), 200, &daum)
	if daum.Total == 0 {
		t.Error("no Daum mention of 아크미 in the demo")
	}

	// Every mention is readable by id.
	var m store.Mention
	getJSON(t, api+"/api/mentions/"+url.PathEscape(res.Hits[0].ID), 200, &m)
	if m.ID != res.Hits[0].ID || m.Title+m.Text == "" { // an HN story may have a title and no text
		t.Errorf("mention = %+v", m)
	}

	// A malformed query is a 400 with a message, never a 500.
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	getJSON(t, api+"/api/search?q="+url.QueryEscape("(battery OR"), 400, &e)
	if e.Error.Code != "bad_query" || e.Error.Message == "" {
		t.Errorf("error = %+v", e)
	}

	// The broken feed is reported; the other sources went on.
	var src struct {
		Sources []struct {
			Name           string
			LastError      string `json:"last_error"`
			Healthy        bool
			MentionsStored int64 `json:"mentions_stored"`
		}
	}
	getJSON(t, api+"/api/sources", 200, &src)
	seen := map[string]bool{}
	for _, s := range src.Sources {
		seen[s.Name] = true
		switch s.Name {
		case "broken-feed":
			if s.Healthy || s.LastError == "" {
				t.Errorf("broken feed reported healthy: %+v", s)
			}
		default:
			if !s.Healthy || s.MentionsStored == 0 {
				t.Errorf("source %s: %+v", s.Name, s)
			}
		}
	}
	if !seen["hn"] || !seen["news"] || !seen["broken-feed"] {
		t.Errorf("sources = %+v", src.Sources)
	}

	// Stop, reopen: everything is still there, once.
	before := d.Store().Stats()
	stop()
	st, err := store.Open(dir, store.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after := st.Stats()
	if after.Mentions != before.Mentions || after.Mentions == 0 {
		t.Errorf("mentions before %d, after reopen %d", before.Mentions, after.Mentions)
	}
}

func TestRunOnce(t *testing.T) {
	var out, errb bytes.Buffer
	err := Run(context.Background(), Options{Listen: "127.0.0.1:0", Once: true, Logger: zerolog.Nop(), Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, &out, &errb)
	}
	for _, want := range []string{"Mentions stored:", "by brand:", "Acme", "broken-feed", "UNHEALTHY", "/api/search?q=battery&brand=Acme&network=hackernews"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, &out)
		}
	}
}
