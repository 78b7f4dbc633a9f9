package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/listener/replay"
	"github.com/earshot/earshot/store"
)

// demoConfig is the built-in demo configuration: an own brand and two
// competitors with English and Korean names, polling a local replay.
var demoConfig = template.Must(template.New("demo").Parse(`# Earshot demo configuration (built in; see 'earshot init' for a real one)
[earshot]
data_dir = {{printf "%q" .DataDir}}
listen = {{printf "%q" .Listen}}
timezone = "Asia/Seoul"
log_level = "info"
contact = "https://example.com/earshot-demo"

[[brand]]
name = "Acme"
own = true
terms = ["아크미", "Acme Corp"]
exclude = ["Acme Road Runner", "Wile E. Coyote"]
handles = { hackernews = ["acme_hq"], mastodon = ["acme"], bluesky = ["acme.bsky.social"], x = ["acme"], reddit = ["acme"], youtube = ["@acme"] }
domains = ["acme.example"]

[[brand]]
name = "Globex"
terms = ["글로벡스"]
handles = { mastodon = ["globex"], bluesky = ["globex.bsky.social"], x = ["globex"], reddit = ["globex"], youtube = ["@globex"] }
domains = ["globex.example"]

[[brand]]
name = "Initech"
terms = ["이니텍"]
handles = { mastodon = ["initech@hachyderm.io"], bluesky = ["initech.bsky.social"], x = ["initech"], reddit = ["initech"], youtube = ["@initech"] }
domains = ["initech.example"]

[[topic]]
name = "battery"
query = 'batter* OR *배터리'   # *배터리: 배터리 and compounds such as 보조배터리

[[topic]]
name = "pricing"
query = 'pric* OR subscription OR 가격 OR 요금'

[[topic]]
name = "support"
query = '"customer support" OR support NEAR/3 slow OR 고객센터'

[[topic]]
name = "outage"
query = 'outage OR down OR 장애'

[[goal]]
name = "lead the conversation"
metric = "sov"
target = 50
deadline = "2027-03-31"

[[goal]]
name = "answer complaints within 2 hours"
metric = "response_time"
target_time = "2h"
deadline = "2027-03-31"

{{.Networks}}
{{.Alerts}}`))

type demoParams struct {
	DataDir, Listen string
	Networks        string // the [[source]] tables, one network after another (demoSources)
	Alerts          string // the [[alert]] rules and channels (demoAlerts, alerts.go)
}

// demoFeeds lists the recorded feeds; a file named broken* is kept apart.
func demoFeeds(fsys fs.FS, base string) (good []string, broken string, err error) {
	entries, err := fs.ReadDir(fsys, replay.FeedDir)
	if err != nil {
		return nil, "", fmt.Errorf("demo fixtures: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		u := base + "/rss/" + url.PathEscape(e.Name())
		if strings.HasPrefix(e.Name(), "broken") {
			broken = u
			continue
		}
		good = append(good, u)
	}
	sort.Strings(good)
	return good, broken, nil
}

// Options configure Run.
type Options struct {
	Listen  string // API address; a free port is taken if this one is busy
	DataDir string // "" = a temporary directory, removed on exit
	Once    bool   // ingest once, print the summary and return
	Version string
	Logger  zerolog.Logger
	Stdout  io.Writer // the summary and what to try
	Stderr  io.Writer // notes (a busy port, a failed digest)
}

// Run starts the replay and the daemon on the demo config, waits for the
// first round, prints what was ingested and what to open, writes last
// week's digest to the outbox and, unless Once, runs until ctx ends.
func Run(ctx context.Context, o Options) error {
	stdout, stderr := o.Stdout, o.Stderr
	temporary := o.DataDir == ""
	if temporary {
		dir, err := os.MkdirTemp("", "earshot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.DataDir = dir
	}
	if ln, err := net.Listen("tcp", o.Listen); err == nil {
		ln.Close()
	} else {
		fmt.Fprintf(stderr, "%s is busy (%v); using a free port\n", o.Listen, err)
		o.Listen = "127.0.0.1:0"
	}
	d, stopReplay, err := Setup(o.Listen, o.DataDir, daemon.Options{Logger: o.Logger, Clock: time.Now, Version: o.Version})
	if err != nil {
		return err
	}
	defer stopReplay()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()

	if err := WaitFirstRound(ctx, d); err != nil {
		cancel()
		<-done
		return err
	}
	printSummary(stdout, d)
	build := func(ctx context.Context, req report.Request) (*report.Report, error) {
		return report.Build(ctx, d.Store(), req)
	}
	if path, err := digest.WriteSample(ctx, d.Config(), build, time.Now()); err != nil {
		fmt.Fprintf(stderr, "demo digest: %v\n", err)
	} else {
		fmt.Fprintf(stdout, "\nLast week's digest e-mail (no SMTP configured, so it went to the outbox):\n  %s\n", path)
		if temporary {
			fmt.Fprintln(stdout, "  (the demo's data dir is removed on exit: run with -data DIR to keep it)")
		}
	}
	printAlerts(ctx, stdout, d, WebhookLogPath(o.DataDir))
	if o.Once {
		cancel()
		return <-done
	}
	fmt.Fprintln(stdout, "\nEarshot demo is running; Ctrl-C stops it.")
	return <-done
}

// Setup starts the replay of recorded responses on loopback (times moved
// to just before now) and opens a daemon on the built-in demo config;
// opts.Clock (default time.Now) dates the replay. stop ends the replay.
func Setup(listen, dataDir string, opts daemon.Options) (d *daemon.Daemon, stop func(), err error) {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	log, clock := opts.Logger, opts.Clock
	rln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("replay server: %w", err)
	}
	recs, err := recordings()
	if err != nil {
		rln.Close()
		return nil, nil, err
	}
	rp := replay.New(replay.Options{Rebase: clock(), Logger: log, FS: recs})
	rs := &http.Server{Handler: demoHandler(rp, rp.Shift(), log), ReadHeaderTimeout: 5 * time.Second}
	go rs.Serve(rln)
	stop = func() { rs.Close() }
	base := "http://" + rln.Addr().String()
	good, broken, err := demoFeeds(recs, base)
	if err != nil {
		stop()
		return nil, nil, err
	}
	nets, err := demoSources(sourceData{Base: base, FeedURLs: good, BrokenURL: broken})
	if err != nil {
		stop()
		return nil, nil, err
	}
	hook, err := startWebhookLog(dataDir)
	if err != nil {
		stop()
		return nil, nil, err
	}
	stopReplay := stop
	stop = func() { stopReplay(); hook.Close() }
	var buf bytes.Buffer
	if err := demoConfig.Execute(&buf, demoParams{DataDir: dataDir, Listen: listen, Networks: nets, Alerts: fmt.Sprintf(demoAlerts, hook.URL)}); err != nil {
		stop()
		return nil, nil, err
	}
	cfg, err := config.Parse(buf.Bytes(), "demo.toml", demoGetenv(alertEnv(os.Getenv)))
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("built-in demo config:\n%w", err)
	}
	// Every demo source talks to one local replay: no need to space requests.
	opts.HostGap = -1
	d, err = daemon.Open(cfg, opts)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return d, stop, nil
}

// WaitFirstRound waits until every source has been fetched once and the
// index has caught up.
func WaitFirstRound(ctx context.Context, d *daemon.Daemon) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		all := true
		for _, h := range d.Health() {
			if h.LastAttempt.IsZero() {
				all = false
			}
		}
		if all {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	syncCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := d.Store().Sync(syncCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("index sync: %w", err)
	}
	return ctx.Err()
}

func printSummary(w io.Writer, d *daemon.Daemon) {
	api := d.Addr()
	fmt.Fprintf(w, "\nEarshot demo — own brand Acme (아크미) against Globex (글로벡스) and Initech (이니텍)\n\n")
	fmt.Fprintln(w, "Sources (first poll of the local replay):")
	for _, h := range d.Health() {
		state := "healthy"
		if !h.Healthy {
			state = "UNHEALTHY: " + h.LastError
		}
		fmt.Fprintf(w, "  %-12s %-10s fetched %3d posts, stored %3d mentions — %s\n", h.Name, h.Network, h.PostsFetched, h.MentionsStored, state)
	}
	res, err := d.Store().Search(context.Background(), store.SearchRequest{Sort: "newest", Page: 1, Size: 1})
	if err == nil {
		fmt.Fprintf(w, "\nMentions stored: %d\n", res.Total)
		for _, name := range []string{"brand", "network"} {
			var parts []string
			for _, fc := range res.Facets[name] {
				parts = append(parts, fmt.Sprintf("%s %d", fc.Term, fc.Count))
			}
			fmt.Fprintf(w, "  by %-8s %s\n", name+":", strings.Join(parts, ", "))
		}
	}
	fmt.Fprintf(w, "\nTry:\n")
	fmt.Fprintf(w, "  open %s/                (search)\n", api)
	fmt.Fprintf(w, "  open %s/report          (the competitive gap report)\n", api)
	fmt.Fprintf(w, "  curl '%s/api/report?period=week'\n", api)
	fmt.Fprintf(w, "  curl '%s/api/search?q=battery&brand=Acme&network=hackernews'\n", api)
	fmt.Fprintf(w, "  curl '%s/api/search?q=%s'\n", api, url.QueryEscape("아크미"))
	fmt.Fprintf(w, "  curl '%s/api/search?q=%s'   (compound search: 보조배터리 too)\n", api, url.QueryEscape("*배터리"))
	fmt.Fprintf(w, "  curl '%s/api/search?q=%s&sort=newest'\n", api, url.QueryEscape(`"customer support" OR outage`))
	fmt.Fprintf(w, "  curl '%s/api/sources'\n", api)
}
