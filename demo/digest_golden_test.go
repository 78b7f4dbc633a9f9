package demo

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// demoNow is the fixed clock of the demo golden digest: a Wednesday, so
// the last complete ISO week is whole and the replay (dated just before
// the clock) fills it and the week before.
var demoNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// TestDemoDigestGolden renders the digest of the demo week (the last
// complete ISO week before demoNow, from the replayed recordings) for an
// English and a Korean recipient and compares text and HTML byte for byte
// with demo/testdata/digest-demo.{en,ko}.{txt,html}.golden
// (go test ./demo -run DemoDigestGolden -update rewrites them).
func TestDemoDigestGolden(t *testing.T) {
	d, stop, err := Setup("127.0.0.1:0", t.TempDir(), daemon.Options{Logger: zerolog.Nop(), Clock: func() time.Time { return demoNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := WaitFirstRound(ctx, d); err != nil {
		t.Fatal(err)
	}
	cfg := *d.Config()
	cfg.Digest.BaseURL = "http://127.0.0.1:8089" // the demo's default address, not the test's :0
	build := func(ctx context.Context, req report.Request) (*report.Report, error) {
		return report.Build(ctx, d.Store(), req)
	}
	r, err := digest.New(digest.Options{Config: &cfg, Ledger: d.Store(), Build: build, Clock: func() time.Time { return demoNow },
		Mailer: &digest.Outbox{Dir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	loc := cfg.Earshot.Location
	w := digest.WeekOf(demoNow.In(loc).AddDate(0, 0, -7), loc)
	for _, rc := range []config.Recipient{
		{Email: "jane@acme.example", Name: "Jane", Lang: "en"},
		{Email: "kim@acme.example", Name: "김민지", Lang: "ko"},
	} {
		rd, err := r.Preview(ctx, w, rc)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Lang == "ko" {
			// The whole Korean body is Korean: no English sentence but what
			// it quotes (posts, configured names) and links.
			rep, err := build(ctx, report.Request{Config: &cfg, Period: "week", End: w.Sunday(loc), Now: demoNow})
			if err != nil {
				t.Fatal(err)
			}
			quotes := quoted(rep, &cfg)
			for part, body := range map[string]string{"text": rd.Text, "html": rd.HTML, "subject": rd.Subject} {
				if bad := englishIn(body, quotes); len(bad) > 0 {
					t.Errorf("Korean %s part carries English: %q", part, bad)
				}
			}
		}
		goldenFile(t, "digest-demo."+rc.Lang+".txt.golden", rd.Text)
		goldenFile(t, "digest-demo."+rc.Lang+".html.golden", rd.HTML)
	}
}

// The English check finds what it should: an English note or heading
// left in a Korean body, and not a quoted post title or a link.
func TestEnglishInKoreanBody(t *testing.T) {
	quotes := []string{"Globex cuts prices on the G5 line by 20% ahead of the holidays", "lead the conversation"}
	body := "급증\n- 주도한 글: Globex cuts prices on the G5 line https://www.reddit.com/r/technology/comments/x_y_z/\n" +
		"- lead the conversation: 뒤처짐\n- 뉴스·블로그 (RSS), 웹은 반응 수를 주지 않습니다 (언급 55건, 1h, 6h)\n"
	if bad := englishIn(body, quotes); len(bad) != 0 {
		t.Errorf("quotes and links flagged: %q", bad)
	}
	for _, leak := range []string{"- rss: baseline too short: 0 of 14 days collected", "<h2>Share of voice</h2>", `<img alt="Acme share of voice">`} {
		if bad := englishIn("<html>"+body+leak, quotes); len(bad) != 1 {
			t.Errorf("%q: found %q, want one English run", leak, bad)
		}
	}
}

func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./demo -run DemoDigestGolden -update creates it)", err)
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got  %q\n want %q\n(go test ./demo -run DemoDigestGolden -update rewrites it)", name, i+1, g, w)
		}
	}
}
