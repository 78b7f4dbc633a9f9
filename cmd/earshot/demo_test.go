package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// startDemo runs the demo daemon (replay + real store on disk + API) until
// the test ends, after its first round of fetches.
func startDemo(t *testing.T, dataDir string) (*daemon, func()) {
	t.Helper()
	d, stopReplay, err := setupDemo("127.0.0.1:0", dataDir, zerolog.Nop(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.run(ctx) }()
	if err := waitFirstRound(ctx, d); err != nil {
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
	api := d.addr()

	// The example: brand and network filters with highlights and counts.
	var res web.SearchResponse
	getJSON(t, api+"/api/search?q=battery&brand=Acme&network=hackernews", 200, &res)
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatalf("no hits for battery/Acme/hackernews: %+v", res)
	}
	for _, h := range res.Hits {
		if h.Network != "hackernews" || !containsStr(h.Brands, "Acme") {
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

	// Every mention is readable by id.
	var m store.Mention
	getJSON(t, api+"/api/mentions/"+url.PathEscape(res.Hits[0].ID), 200, &m)
	if m.ID != res.Hits[0].ID || m.Text == "" {
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
	before := d.store.Stats()
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

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestDemoOnceCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := realMain([]string{"demo", "-once", "-listen", "127.0.0.1:0"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errb)
	}
	for _, want := range []string{"Mentions stored:", "by brand:", "Acme", "broken-feed", "UNHEALTHY", "/api/search?q=battery&brand=Acme&network=hackernews"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, &out)
		}
	}
}

func TestInitCheck(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := realMain([]string{"init"}, &out, &errb); code != 0 {
		t.Fatalf("init exit %d: %s", code, &errb)
	}
	good := filepath.Join(dir, "earshot.toml")
	if err := os.WriteFile(good, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := realMain([]string{"check", "-config", good}, &out, &errb); code != 0 || !strings.Contains(out.String(), "ok") {
		t.Fatalf("check of init output: exit %d\n%s\n%s", code, &out, &errb)
	}

	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[earshot]\nlisten = \"0.0.0.0:80\"\ncolour = \"red\"\n\n[[brand]]\nname = \"Acme\"\n\n[[source]]\nnetwork = \"myspace\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := realMain([]string{"check", "-config", bad}, &out, &errb); code != 1 {
		t.Fatalf("check of a bad file: exit %d, want 1", code)
	}
	for _, want := range []string{"bad.toml:2:", "bad.toml:3:", "colour", "bad.toml:5:", "own", "bad.toml:9:", "myspace"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, &errb)
		}
	}
}

func TestSearchAndReindexCommands(t *testing.T) {
	dir := t.TempDir()
	d, stop := startDemo(t, filepath.Join(dir, "data"))
	cfgPath := filepath.Join(dir, "earshot.toml")
	writeConfigFor(t, cfgPath, d.cfg, d.ln.Addr().String())

	// With the daemon running, search goes through its API.
	var out, errb bytes.Buffer
	if code := realMain([]string{"search", "-config", cfgPath, "-brand", "Acme", "battery"}, &out, &errb); code != 0 {
		t.Fatalf("search (daemon up): exit %d: %s", code, &errb)
	}
	online := out.String()
	if !strings.Contains(online, "[") || !strings.Contains(online, "mention(s) match") {
		t.Errorf("search output:\n%s", online)
	}
	out.Reset()
	if code := realMain([]string{"status", "-config", cfgPath}, &out, &errb); code != 0 {
		t.Fatalf("status (daemon up): exit %d: %s", code, &errb)
	}
	for _, want := range []string{"daemon: running", "mentions", "by brand:   Acme", "broken-feed", "failing (1)", "hn", "ok"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status output lacks %q:\n%s", want, &out)
		}
	}
	stop()
	out.Reset()
	if code := realMain([]string{"status", "-config", cfgPath}, &out, &errb); code != 0 || !strings.Contains(out.String(), "daemon: not running") || !strings.Contains(out.String(), "by network:") {
		t.Fatalf("status (daemon down): exit %d: %s %s", code, &out, &errb)
	}

	// Daemon stopped: the same search reads the store directly, same answer.
	out.Reset()
	if code := realMain([]string{"search", "-config", cfgPath, "-brand", "Acme", "battery"}, &out, &errb); code != 0 {
		t.Fatalf("search (daemon down): exit %d: %s", code, &errb)
	}
	if first(out.String()) != first(online) {
		t.Errorf("offline search differs:\n%s\nvs\n%s", &out, online)
	}
	out.Reset()
	if code := realMain([]string{"reindex", "-config", cfgPath}, &out, &errb); code != 0 || !strings.Contains(out.String(), "reindexed") {
		t.Fatalf("reindex: exit %d: %s %s", code, &out, &errb)
	}
	out.Reset()
	if code := realMain([]string{"search", "-config", cfgPath, "-json", "-brand", "Acme", "battery"}, &out, &errb); code != 0 {
		t.Fatalf("search after reindex: exit %d: %s", code, &errb)
	}
	var res web.SearchResponse
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Total == 0 {
		t.Errorf("json search after reindex: %v %+v", err, res)
	}
	out.Reset()
	errb.Reset()
	if code := realMain([]string{"search", "-config", cfgPath, "(unbalanced"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "q:") {
		t.Errorf("malformed query: exit %d: %s", code, &errb)
	}
}

// first returns the summary line of a search's text output.
func first(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "mention(s) match") {
			return l[:strings.Index(l, ", ")+1] + strings.SplitN(l, ";", 2)[0]
		}
	}
	return ""
}

// writeConfigFor writes a config file equivalent to cfg's brands, topics
// and data dir, with the daemon's actual address.
func writeConfigFor(t *testing.T, path string, cfg *config.Config, listen string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("[earshot]\n")
	b.WriteString("data_dir = " + strconvQuote(cfg.Earshot.DataDir) + "\n")
	b.WriteString("listen = " + strconvQuote(listen) + "\n")
	for _, br := range cfg.Brands {
		b.WriteString("\n[[brand]]\nname = " + strconvQuote(br.Name) + "\n")
		if br.Own {
			b.WriteString("own = true\n")
		}
	}
	for _, s := range cfg.Sources {
		if s.Network != "hackernews" && s.Network != "rss" {
			continue // the CLI reads the store; these two keep the network filter known
		}
		b.WriteString("\n[[source]]\nnetwork = " + strconvQuote(s.Network) + "\nname = " + strconvQuote(s.Name) + "\n")
		if len(s.URLs) > 0 {
			b.WriteString("urls = [" + strconvQuote(s.URLs[0]) + "]\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
