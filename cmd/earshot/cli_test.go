package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/demo"
	"github.com/earshot/earshot/web"
)

// startDemo runs the demo daemon in this process until stop or the test's
// end, after its first round of fetches.
func startDemo(t *testing.T, dataDir string) (*daemon.Daemon, func()) {
	t.Helper()
	d, stopReplay, err := demo.Setup("127.0.0.1:0", dataDir, daemon.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	if err := demo.WaitFirstRound(ctx, d); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("daemon run: %v", err)
			}
			stopReplay()
		}
	}
	t.Cleanup(stop)
	return d, stop
}

func TestDemoOnce(t *testing.T) {
	var out, errb bytes.Buffer
	if code := realMain([]string{"demo", "-once", "-listen", "127.0.0.1:0"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Mentions stored:") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errb)
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

	// SMTP set and base_url left on loopback: valid, with a warning.
	t.Setenv("SMTP_PASSWORD", "x")
	errb.Reset()
	mailed := filepath.Join("..", "..", "config", "testdata", "digest.good.toml")
	if code := realMain([]string{"check", "-config", mailed}, &out, &errb); code != 0 ||
		!strings.Contains(errb.String(), "warning: digest.base_url http://127.0.0.1:8089 points at this machine") {
		t.Fatalf("check of a mailed digest on loopback: exit %d\n%s", code, &errb)
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
	writeConfigFor(t, cfgPath, d.Config(), strings.TrimPrefix(d.Addr(), "http://"))

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
