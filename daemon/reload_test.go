package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/demo"
	"github.com/earshot/earshot/internal/freeport"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/replay"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

func fetchText(t *testing.T, rawURL string) (int, string) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func getJSON(t *testing.T, rawURL string, wantStatus int, v any) {
	t.Helper()
	code, body := fetchText(t, rawURL)
	if code != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", rawURL, code, wantStatus, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", rawURL, err, body)
	}
}

// TestReloadSwapsOrKeepsConfig drives reloads through the daemon's run
// loop: a bad config keeps everything running and is reported three ways;
// a good one replaces the source set, the filter names and the token.
func TestReloadSwapsOrKeepsConfig(t *testing.T) {
	var next *config.Config
	nextErr := errors.New("earshot.toml:7:1: brand[1].name: duplicate brand name \"acme\"")
	d, stopReplay, err := demo.Setup("127.0.0.1:0", t.TempDir(), daemon.Options{Logger: zerolog.Nop(),
		Load: func() (*config.Config, error) { return next, nextErr }})
	if err != nil {
		t.Fatal(err)
	}
	defer stopReplay()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	if err := demo.WaitFirstRound(ctx, d); err != nil {
		t.Fatal(err)
	}
	api := d.Addr()
	before := len(d.Health())

	// A bad config: rejected, reported, nothing changes.
	if err := d.ReloadFile(ctx); err == nil || !strings.Contains(err.Error(), "duplicate brand") {
		t.Fatalf("bad reload: err %v", err)
	}
	var src web.SourcesResponse
	getJSON(t, api+"/api/sources", 200, &src)
	if !strings.Contains(src.ConfigError, "duplicate brand") || src.Config == nil || src.Config.ErrorAt == nil || len(src.Sources) != before {
		t.Errorf("after a bad reload: config_error %q, %d sources (want %d)", src.ConfigError, len(src.Sources), before)
	}
	_, m := fetchText(t, api+"/metrics")
	for _, want := range []string{"earshot_config_reload_success 0", `earshot_config_reloads_total{result="failure"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// A good config: only the hn source, a new brand, another listen address.
	old := d.Config()
	cfg := *old
	cfg.Brands = append(append([]config.Brand(nil), old.Brands...), config.Brand{Name: "Umbrella", Terms: []string{"엄브렐라"}})
	cfg.Sources = nil
	for _, s := range old.Sources {
		if s.Name == "hn" {
			cfg.Sources = append(cfg.Sources, s)
		}
	}
	cfg.Earshot.Listen = "127.0.0.1:1"
	next, nextErr = &cfg, nil
	if code, _ := fetchText(t, api+"/api/search?brand=Umbrella"); code != 400 {
		t.Errorf("unknown brand before the reload: %d", code)
	}
	var prev ingest.SourceHealth
	for _, h := range d.Health() {
		if h.Name == "hn" {
			prev = h
		}
	}
	if err := d.ReloadFile(ctx); err != nil {
		t.Fatalf("good reload: %v", err)
	}
	// The counters of a source that stays carry over the reload.
	if prev.PostsFetched == 0 {
		t.Fatalf("hn fetched nothing before the reload: %+v", prev)
	}
	if h := d.Health()[0]; h.PostsFetched < prev.PostsFetched || h.MentionsStored < prev.MentionsStored || h.LastAttempt.Before(prev.LastAttempt) {
		t.Errorf("counters lost in the reload: before %+v, after %+v", prev, h)
	}
	src = web.SourcesResponse{}
	getJSON(t, api+"/api/sources", 200, &src)
	if len(src.Sources) != 1 || src.Sources[0].Name != "hn" || src.ConfigError != "" || src.Config.Reloads != 1 {
		t.Errorf("after a good reload: %+v", src)
	}
	if len(src.Config.RestartNeeded) != 1 || !strings.HasPrefix(src.Config.RestartNeeded[0], "listen") {
		t.Errorf("restart_needed = %v", src.Config.RestartNeeded)
	}
	if code, body := fetchText(t, api+"/api/search?brand=Umbrella"); code != 200 {
		t.Errorf("new brand after the reload: %d %s", code, body)
	}
	_, m = fetchText(t, api+"/metrics")
	for _, want := range []string{"earshot_config_reload_success 1", `earshot_config_reloads_total{result="success"} 1`,
		`earshot_fetch_duration_seconds_count{network="hackernews",source="hn"}`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The new scheduler runs: hn is fetched again.
	deadline := time.Now().Add(30 * time.Second)
	for !d.Health()[0].LastAttempt.After(prev.LastAttempt) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !d.Health()[0].LastAttempt.After(prev.LastAttempt) {
		t.Error("the new scheduler never fetched")
	}

	// A token appears with the reload: the API now wants it.
	withToken := cfg
	withToken.Earshot.APIToken = "reload-token"
	if err := d.Reload(ctx, &withToken); err != nil {
		t.Fatal(err)
	}
	if code, _ := fetchText(t, api+"/api/sources"); code != 401 {
		t.Errorf("after a reload adding a token: %d, want 401", code)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ps, err := freeport.Loopback(1)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", ps[0])
}

const signalConfig = `[earshot]
data_dir = %q
listen = %q
log_level = "warn"

[[brand]]
name = "Acme"
own = true
%s
[[source]]
network = "rss"
name = "news"
every = "5m"
lookback = "365d"
urls = [%q]
`

// TestRunSignals runs a daemon in this process and sends it real
// signals: SIGHUP with a good then a bad file, then SIGTERM, after which the
// store must open again (bbolt and bleve closed cleanly) with its mentions.
func TestRunSignals(t *testing.T) {
	feed, err := fs.ReadFile(replay.Recordings(), replay.FeedDir+"/techblog.xml")
	if err != nil {
		t.Fatal(err)
	}
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(feed)
	}))
	defer feedSrv.Close()
	dir := t.TempDir()
	data, listen, path := filepath.Join(dir, "data"), freePort(t), filepath.Join(dir, "earshot.toml")
	write := func(extra string) {
		if err := os.WriteFile(path, fmt.Appendf(nil, signalConfig, data, listen, extra, feedSrv.URL+"/feed.xml"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	var errb syncBuffer
	load := func() (*config.Config, error) { return config.Load(path, os.Getenv) }
	cfg, err := load()
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.Open(cfg, daemon.Options{Logger: daemon.Logger(cfg, &errb), Load: load})
	if err != nil {
		t.Fatal(err)
	}
	exit := make(chan error, 1)
	go func() { exit <- d.RunWithSignals(context.Background()) }()
	api := "http://" + listen
	var src web.SourcesResponse
	waitFor(t, exit, &errb, func() bool {
		resp, err := http.Get(api + "/api/sources")
		if err != nil {
			return false
		}
		resp.Body.Close()
		src = web.SourcesResponse{}
		getJSON(t, api+"/api/sources", 200, &src)
		return len(src.Sources) == 1 && src.Sources[0].LastSuccess != nil
	})

	write("\n[[brand]]\nname = \"Globex\"\nterms = [\"글로벡스\"]\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, exit, &errb, func() bool {
		src = web.SourcesResponse{}
		getJSON(t, api+"/api/sources", 200, &src)
		return src.Config.Reloads == 1
	})
	if code, _ := fetchText(t, api+"/api/search?brand=Globex"); code != 200 {
		t.Errorf("Globex after SIGHUP: %d", code)
	}

	write("\n[[brand]]\nname = \"acme\"\n") // duplicate brand
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, exit, &errb, func() bool {
		src = web.SourcesResponse{}
		getJSON(t, api+"/api/sources", 200, &src)
		return src.ConfigError != ""
	})
	if !strings.Contains(src.ConfigError, "duplicate brand") {
		t.Errorf("config_error = %q", src.ConfigError)
	}
	if code, _ := fetchText(t, api+"/api/search?brand=Globex"); code != 200 {
		t.Errorf("the good config did not stay after a bad reload: %d", code)
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exit:
		if err != nil {
			t.Fatalf("run: %v: %s", err, &errb)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("run did not stop on SIGTERM")
	}
	if !strings.Contains(errb.String(), "config reload rejected") {
		t.Errorf("the rejected reload is not logged:\n%s", &errb)
	}
	st, err := store.Open(data, store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("store after SIGTERM: %v", err)
	}
	defer st.Close()
	if s := st.Stats(); s.Mentions == 0 || s.IndexLag != 0 {
		t.Errorf("store after SIGTERM: %d mentions, index lag %d", s.Mentions, s.IndexLag)
	}
}

func waitFor(t *testing.T, exit <-chan error, errb *syncBuffer, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exit:
			t.Fatalf("the daemon stopped early (%v): %s", err, errb)
		default:
		}
		if cond() {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("condition not met in 60s")
}

// syncBuffer is a bytes.Buffer the daemon's goroutines can log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
