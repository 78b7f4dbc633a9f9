package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/internal/freeport"
	"github.com/earshot/earshot/store"
)

// minSupported is the floor on mailpit's HTML check: Total.Supported, the
// share of the message's HTML that every client in caniemail.com's data
// supports fully ("partial" counts against it; docs/digest.md#the-e-mail).
const minSupported = 95.0

// mailpitModule is the nested module pinning the mailpit version
// (testdata: outside ./... and Earshot's go.mod).
var mailpitModule = filepath.Join("testdata", "mailpit")

// prefetchMailpit is the command that downloads mailpit's modules and
// warms the build cache; .ci/run runs it. The test itself builds offline.
const prefetchMailpit = "go build -C demo/testdata/mailpit -o /dev/null github.com/axllent/mailpit"

// buildMailpit compiles github.com/axllent/mailpit from the nested module,
// offline (GOPROXY=off: tests never touch the internet) and from the Go
// build cache after the first time. It fails, never skips.
func buildMailpit(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build mailpit: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mailpit")
	start := time.Now()
	cmd := exec.Command(goBin, "build", "-C", mailpitModule, "-o", bin, "github.com/axllent/mailpit")
	cmd.Env = append(cmd.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building mailpit offline from %s: %v\n%s\nDownload it once (CI does) from the repository root: %s", mailpitModule, err, out, prefetchMailpit)
	}
	t.Logf("mailpit built in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// freePorts returns n distinct loopback ports that were free a moment ago,
// below the ephemeral range (freeport).
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	ports, err := freeport.Loopback(n)
	if err != nil {
		t.Fatal(err)
	}
	return ports
}

// mailpit is a running mailpit: its SMTP port and its API base URL.
type mailpit struct {
	smtpPort int
	api      string
}

// startMailpit runs mailpit on random loopback ports with an in-memory
// database and waits until its API answers.
func startMailpit(t *testing.T, bin string) mailpit {
	t.Helper()
	ports := freePorts(t, 2)
	m := mailpit{smtpPort: ports[0]}
	httpAddr := "127.0.0.1:" + strconv.Itoa(ports[1])
	m.api = "http://" + httpAddr
	var out bytes.Buffer
	cmd := exec.Command(bin, "--smtp", "127.0.0.1:"+strconv.Itoa(m.smtpPort), "--listen", httpAddr,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--disable-version-check", "--smtp-disable-rdns")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("mailpit output:\n%s", out.String())
		}
	})
	// Not a performance bound: only a clear message instead of a hang.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		select {
		case <-exited:
			t.Fatalf("mailpit exited: %v", waitErr)
		case <-time.After(100 * time.Millisecond):
		}
		if resp, err := http.Get(m.api + "/api/v1/info"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m
			}
		}
	}
	t.Fatalf("mailpit did not answer on %s within a minute", m.api)
	return m
}

// get decodes a mailpit API answer into v.
func (m mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// htmlCheck is the part of mailpit's /api/v1/message/{ID}/html-check
// answer the test reads.
type htmlCheck struct {
	Total struct {
		Nodes, Tests                    int
		Supported, Partial, Unsupported float64
	}
	Warnings []struct {
		Slug, Title, Category string
		Score                 struct {
			Found                           int
			Supported, Partial, Unsupported float64
		}
	}
}

// TestMailpitHTMLCheck sends the demo week's digest (English, Korean and a
// filtered Korean recipient's) through Earshot's SMTP sender to a real
// mailpit and reads it back through mailpit's API: the headers arrive
// (Auto-Submitted, List-Unsubscribe with the one-click link and the
// mailto, List-Unsubscribe-Post), the Korean subject decodes, and
// mailpit's HTML check (caniemail.com data) rates each HTML part at least
// minSupported % supported. Every warning is logged with its weight.
func TestMailpitHTMLCheck(t *testing.T) {
	mp := startMailpit(t, buildMailpit(t))

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
	recipients := []config.Recipient{
		{Email: "jane@acme.example", Name: "Jane", Lang: "en"},
		{Email: "kim@acme.example", Name: "김민지", Lang: "ko"},
		{Email: "park@acme.example", Name: "박민수", Lang: "ko", Brands: []string{"Globex"}, Networks: []string{"naver", "reddit"}},
	}
	cfg.Digest.To = recipients
	cfg.Digest.From = "Earshot <earshot@acme.example>"
	cfg.Digest.Subject = "{{.Brand}} 주간 경쟁사 리포트 {{.Week}}"
	cfg.Digest.SMTPHost, cfg.Digest.SMTPPort, cfg.Digest.TLS = "127.0.0.1", mp.smtpPort, config.DigestTLSNone
	cfg.Digest.BaseURL = "https://earshot.acme.example" // https: the one-click link is sent
	build := func(ctx context.Context, req report.Request) (*report.Report, error) {
		return report.Build(ctx, d.Store(), req)
	}
	r, err := digest.New(digest.Options{Config: &cfg, Ledger: d.Store(), OptOuts: d.Store(), Build: build,
		Clock: func() time.Time { return demoNow }, Logger: zerolog.Nop()}) // Mailer nil: SMTP, as configured
	if err != nil {
		t.Fatal(err)
	}
	loc := cfg.Earshot.Location
	w := digest.WeekOf(demoNow.In(loc).AddDate(0, 0, -7), loc)
	results, err := r.Send(ctx, w, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(recipients) {
		t.Fatalf("%d results for %d recipients", len(results), len(recipients))
	}
	for _, res := range results {
		if res.Err != nil || res.Status != store.DigestStatusSent {
			t.Fatalf("send to %s: %s %v", res.Recipient, res.Status, res.Err)
		}
	}
	subjects, names := map[string]string{}, map[string]string{}
	for _, rc := range recipients {
		rd, err := r.Preview(ctx, w, rc)
		if err != nil {
			t.Fatal(err)
		}
		subjects[rc.Email], names[rc.Email] = rd.Subject, rc.Name
	}

	var list struct {
		Messages []struct {
			ID      string
			Subject string
			To      []struct{ Name, Address string }
		}
	}
	mp.get(t, "/api/v1/messages", &list)
	if len(list.Messages) != len(recipients) {
		t.Fatalf("mailpit holds %d messages, want %d", len(list.Messages), len(recipients))
	}
	for _, msg := range list.Messages {
		if len(msg.To) != 1 {
			t.Fatalf("message %s to %v", msg.ID, msg.To)
		}
		to := msg.To[0].Address
		want, ok := subjects[to]
		if !ok {
			t.Fatalf("message to unknown recipient %q", to)
		}
		t.Run(strings.SplitN(to, "@", 2)[0], func(t *testing.T) {
			if msg.Subject != want || !strings.ContainsFunc(msg.Subject, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				t.Errorf("subject as mailpit decodes it = %q, want %q", msg.Subject, want)
			}
			if msg.To[0].Name != names[to] {
				t.Errorf("To name as mailpit decodes it = %q, want %q", msg.To[0].Name, names[to])
			}
			var h map[string][]string
			mp.get(t, "/api/v1/message/"+url.PathEscape(msg.ID)+"/headers", &h)
			one := func(name string) string {
				if len(h[name]) != 1 {
					t.Errorf("header %s: %q, want exactly one", name, h[name])
					return ""
				}
				return h[name][0]
			}
			if got := one("Auto-Submitted"); got != "auto-generated" {
				t.Errorf("Auto-Submitted = %q", got)
			}
			lu := one("List-Unsubscribe")
			if !strings.HasPrefix(lu, "<https://earshot.acme.example/unsubscribe?t=") || !strings.Contains(lu, ">, <mailto:earshot@acme.example?") {
				t.Errorf("List-Unsubscribe = %q, want the one-click link then the mailto", lu)
			}
			if got := one("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe-Post = %q", got)
			}
			var body struct{ HTML string }
			mp.get(t, "/api/v1/message/"+url.PathEscape(msg.ID), &body)
			if !strings.Contains(body.HTML, `id="findings"`) {
				t.Errorf("mailpit's HTML part has no findings section (%d bytes)", len(body.HTML))
			}
			var hc htmlCheck
			mp.get(t, "/api/v1/message/"+url.PathEscape(msg.ID)+"/html-check", &hc)
			var warns strings.Builder
			var worstPartial, worstNo float64
			for _, w := range hc.Warnings {
				// mailpit weighs a warning by the share of nodes it touches
				// and takes the largest weighted partial and unsupported.
				worstPartial = max(worstPartial, w.Score.Partial*float64(w.Score.Found)/float64(max(hc.Total.Nodes, 1)))
				worstNo = max(worstNo, w.Score.Unsupported*float64(w.Score.Found)/float64(max(hc.Total.Nodes, 1)))
				fmt.Fprintf(&warns, "\n  %-28s %-4s found %3d: yes %5.1f%% partial %5.1f%% no %5.1f%% (weighted: partial %.2f, no %.2f points)",
					w.Slug, w.Category, w.Score.Found, w.Score.Supported, w.Score.Partial, w.Score.Unsupported,
					w.Score.Partial*float64(w.Score.Found)/float64(max(hc.Total.Nodes, 1)),
					w.Score.Unsupported*float64(w.Score.Found)/float64(max(hc.Total.Nodes, 1)))
			}
			t.Logf("mailpit HTML check for %s (%d nodes, %d tests, %d bytes): supported %.2f%%, partial %.2f%%, unsupported %.2f%%; warnings:%s",
				to, hc.Total.Nodes, hc.Total.Tests, len(body.HTML), hc.Total.Supported, hc.Total.Partial, hc.Total.Unsupported, warns.String())
			if hc.Total.Tests == 0 || hc.Total.Nodes == 0 {
				t.Fatalf("mailpit ran no HTML check: %+v", hc.Total)
			}
			// The formula docs/digest.md states, recomputed from the warnings:
			// a newer mailpit that scores otherwise fails here first.
			if got := 100 - worstPartial - worstNo; got < hc.Total.Supported-0.01 || got > hc.Total.Supported+0.01 {
				t.Errorf("100 − %.2f − %.2f = %.2f, but mailpit says %.2f%% supported: its formula changed (update docs/digest.md)",
					worstPartial, worstNo, got, hc.Total.Supported)
			}
			if hc.Total.Supported < minSupported {
				t.Errorf("mailpit's HTML check: %.2f%% supported, want ≥ %.0f%% (partial %.2f%%, unsupported %.2f%%)",
					hc.Total.Supported, minSupported, hc.Total.Partial, hc.Total.Unsupported)
			}
		})
	}
}

// TestMailpitDocs holds the docs and CI to the test: the mailpit version
// pinned in testdata/mailpit/go.mod, the floor minSupported and the
// command that fetches mailpit (which .ci/run must run, or the test above
// fails on a fresh machine).
func TestMailpitDocs(t *testing.T) {
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", path))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var version string
	for _, line := range strings.Split(read("demo/testdata/mailpit/go.mod"), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "require" && f[1] == "github.com/axllent/mailpit" {
			version = f[2]
		}
	}
	if version == "" {
		t.Fatal("demo/testdata/mailpit/go.mod does not require github.com/axllent/mailpit on one line")
	}
	for _, c := range []struct{ file, want string }{
		{"docs/testing.md", "`github.com/axllent/mailpit " + version + "`"},
		{"docs/testing.md", prefetchMailpit},
		{"docs/digest.md", "(" + version + ", built from source"},
		{"docs/digest.md", fmt.Sprintf("**`Total.Supported` ≥ %.0f%%**", minSupported)},
		{"docs/dependencies.md", "`github.com/axllent/mailpit` " + version},
		{".ci/run", prefetchMailpit},
	} {
		if !strings.Contains(read(c.file), c.want) {
			t.Errorf("%s does not say %q", c.file, c.want)
		}
	}
}
